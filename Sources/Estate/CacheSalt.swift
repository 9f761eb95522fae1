import PlumbCore

/// Everything besides a repository's own refs that its result depends on, folded into its cache key.
public enum CacheSalt {
  /// plumb's version and `build` (the executable's identity: a rebuilt plumb of the same version never reuses
  /// another build's results), the policy, the revision asked for, whether findings carry commits, what the
  /// estate knows, the ISO week (so date-based judgements such as `runbook/stale` days catch up weekly) and
  /// how many estate waivers have expired by today (so a result is re-judged the day a waiver runs out).
  public static func make(
    policy: Policy, revision: String?, attribution: Bool, knowledge: EstateKnowledge, today: String, build: String
  ) -> String {
    let expired = policy.waivers.filter { $0.isExpired(today: today) }.count
    return [
      "plumb " + PlumbVersion.current, "build " + build, "policy " + policy.hash, "revision " + (revision ?? "HEAD"),
      "attribution \(attribution)",
      "estate " + knowledge.digest, "week " + isoWeek(today), "expired-waivers \(expired)",
    ].joined(separator: "\n")
  }

  /// `2026-W47` for a `YYYY-MM-DD` day; the day itself when it does not parse. Plain arithmetic: the week
  /// of the Thursday of the day's week (ISO 8601), without Foundation's calendars, which cost a nightly
  /// re-run milliseconds to set up.
  static func isoWeek(_ day: String) -> String {
    guard let date = CivilDate(iso: day) else { return day }
    let thursday = date.adding(days: 4 - date.isoWeekday)
    let dayOfYear = thursday.daysSinceEpoch - CivilDate(year: thursday.year, month: 1, day: 1).daysSinceEpoch
    return "\(thursday.year)-W\(dayOfYear / 7 + 1)"
  }
}
