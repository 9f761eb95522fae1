/// A release built from a commit the default branch never got: its code is on no maintained line.
struct TagNotOnDefaultBranchRule: Rule {
  static let description = RuleDescription(id: "tags/not-on-default-branch")

  func check(_ context: RuleContext) -> [Finding] {
    let history = context.snapshot.history
    guard let branch = history.defaultBranch else { return [] }
    return context.facts.releases.compactMap { release in
      guard release.parsed.version != nil, let commit = release.tag.commit,
        !history.isOnDefaultBranch(commit)
      else { return nil }
      let short = String(branch.name.split(separator: "/").last ?? "")
      return context.finding(
        "release tag \(release.tag.name) points at \(commit.prefix(12)), which is not on the default branch \(short)",
        subject: release.tag.name,
        evidence: [
          ("tag", .string(release.tag.name)), ("commit", .string(commit)), ("default_branch", .string(branch.name)),
        ],
        commit: history.commitRef(commit))
    }
  }
}
