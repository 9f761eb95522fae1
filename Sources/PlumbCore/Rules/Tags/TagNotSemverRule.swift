/// A release tag whose name is not semver (or breaks the `v` prefix policy): tools cannot order it.
struct TagNotSemverRule: Rule {
  static let description = RuleDescription(id: "tags/not-semver")

  func check(_ context: RuleContext) -> [Finding] {
    let prefix = context.policy.releases.vPrefix
    return context.facts.releases.compactMap { release in
      let name = release.tag.name
      let problem: String
      if release.parsed.version == nil {
        problem = "release tag \(name) is not a semantic version (MAJOR.MINOR.PATCH, optionally after a component name)"
      } else if prefix == "required" && !release.parsed.hasVPrefix {
        problem = "release tag \(name) has no leading v, which the release policy requires"
      } else if prefix == "forbidden" && release.parsed.hasVPrefix {
        problem = "release tag \(name) has a leading v, which the release policy forbids"
      } else {
        return nil
      }
      return context.finding(
        problem, subject: name, evidence: [("tag", .string(name)), ("v_prefix_policy", .string(prefix))],
        commit: release.tag.commit.flatMap(context.snapshot.history.commitRef))
    }
  }
}
