/// A higher version on an older commit than a lower version: the release order lies about the code.
struct TagNonMonotonicRule: Rule {
  static let description = RuleDescription(id: "tags/non-monotonic")

  func check(_ context: RuleContext) -> [Finding] {
    let history = context.snapshot.history
    var findings: [Finding] = []
    // Judged per component: `grafana-7.0.1` and `loki-2.9.0` are separate release lines.
    let byComponent = Dictionary(
      grouping: context.facts.releases.filter { $0.parsed.version != nil && $0.tag.commit != nil }
    ) {
      $0.parsed.component
    }
    for component in byComponent.keys.sorted() {
      let ordered = byComponent[component]!.sorted { $0.parsed.version! < $1.parsed.version! }
      for (lower, higher) in zip(ordered, ordered.dropFirst()) {
        let lowerCommit = lower.tag.commit!
        let higherCommit = higher.tag.commit!
        guard lowerCommit != higherCommit, history.isAncestor(higherCommit, of: lowerCommit) else { continue }
        findings.append(
          context.finding(
            "release \(higher.tag.name) tags \(higherCommit.prefix(12)), an ancestor of \(lower.tag.name)'s commit: "
              + "the higher version holds older code",
            subject: higher.tag.name,
            evidence: [
              ("tag", .string(higher.tag.name)), ("lower_tag", .string(lower.tag.name)),
              ("component", .string(component)),
            ],
            commit: history.commitRef(higherCommit)))
      }
    }
    return findings
  }
}
