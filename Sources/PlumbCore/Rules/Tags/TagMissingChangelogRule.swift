import Formats

/// A release the changelog does not mention: consumers cannot tell what changed.
struct TagMissingChangelogRule: Rule {
  static let description = RuleDescription(id: "tags/missing-changelog")

  func check(_ context: RuleContext) -> [Finding] {
    let names = context.settings.strings("files")
    var texts: [String: String] = [:]
    func changelog(in folder: String) -> (path: String, text: String)? {
      for name in names {
        let path = folder.isEmpty ? name : folder + "/" + name
        if let known = texts[path] { return (path, known) }
        if case .success(let text) = context.snapshot.text(path) {
          texts[path] = text
          return (path, text)
        }
      }
      return nil
    }
    return context.facts.releases.compactMap { release in
      guard let version = release.parsed.version, version.prereleaseIdentifiers.isEmpty else { return nil }
      // A component's own changelog (modules/vpc/CHANGELOG.md) first, then the repository's.
      guard let found = changelog(in: release.parsed.component) ?? changelog(in: "") else { return nil }
      let plain = "\(version.major).\(version.minor).\(version.patch)"
      guard !found.text.contains(plain) else { return nil }
      return context.finding(
        "\(found.path) does not mention release \(release.tag.name)", path: found.path, subject: release.tag.name,
        evidence: [("tag", .string(release.tag.name)), ("version", .string(plain))],
        commit: release.tag.commit.flatMap(context.snapshot.history.commitRef))
    }
  }
}
