/// A release tag that points elsewhere than when a previous run recorded it: a release was rewritten.
struct TagMovedRule: Rule {
  static let description = RuleDescription(id: "tags/moved")

  func check(_ context: RuleContext) -> [Finding] {
    guard let recorded = context.facts.knowledge.recordedTags[context.snapshot.repositoryName] else { return [] }
    return context.facts.releases.compactMap { release in
      guard let before = recorded[release.tag.name], before != release.tag.target else { return nil }
      return context.finding(
        "release tag \(release.tag.name) moved: it pointed at \(before.prefix(12)) when a previous run recorded it, now at \(release.tag.target.prefix(12))",
        subject: release.tag.name,
        evidence: [
          ("tag", .string(release.tag.name)), ("recorded", .string(before)), ("now", .string(release.tag.target)),
        ],
        commit: release.tag.commit.flatMap(context.snapshot.history.commitRef))
    }
  }
}
