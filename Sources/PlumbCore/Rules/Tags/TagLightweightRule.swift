/// A release tag that is not annotated: no tagger, no date, no message, and easy to move unnoticed.
struct TagLightweightRule: Rule {
  static let description = RuleDescription(id: "tags/lightweight")

  func check(_ context: RuleContext) -> [Finding] {
    context.facts.releases.filter { $0.parsed.version != nil && !$0.tag.isAnnotated }.map { release in
      context.finding(
        "release tag \(release.tag.name) is lightweight; release with an annotated tag (git tag -a)",
        subject: release.tag.name, evidence: [("tag", .string(release.tag.name))],
        commit: release.tag.commit.flatMap(context.snapshot.history.commitRef))
    }
  }
}
