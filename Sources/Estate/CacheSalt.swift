import Foundation
import PlumbCore

/// Everything besides a repository's own refs that its result depends on, folded into its cache key.
public enum CacheSalt {
  /// plumb's version, the policy, the revision asked for, whether findings carry commits, what the estate knows, the ISO week (so
  /// date-based judgements such as `runbook/stale` days catch up weekly) and how many estate waivers
  /// have expired by today (so a result is re-judged the day a waiver runs out).
  public static func make(
    policy: Policy, revision: String?, attribution: Bool, knowledge: EstateKnowledge, today: String
  ) -> String {
    let expired = policy.waivers.filter { $0.isExpired(today: today) }.count
    return [
      "plumb " + PlumbVersion.current, "policy " + policy.hash, "revision " + (revision ?? "HEAD"),
      "attribution \(attribution)",
      "estate " + knowledge.digest, "week " + isoWeek(today), "expired-waivers \(expired)",
    ].joined(separator: "\n")
  }

  /// `2026-W47` for a `YYYY-MM-DD` day; the day itself when it does not parse.
  static func isoWeek(_ day: String) -> String {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parser = DateFormatter()
    parser.locale = Locale(identifier: "en_US_POSIX")
    parser.timeZone = TimeZone(identifier: "UTC")
    parser.dateFormat = "yyyy-MM-dd"
    guard let date = parser.date(from: day) else { return day }
    let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
    return "\(parts.yearForWeekOfYear ?? 0)-W\(parts.weekOfYear ?? 0)"
  }
}
