import Formats

/// The template version a repository records is behind the template's newest release: fixes and new
/// platform defaults shipped in the template never reach it.
struct TemplateDriftRule: Rule {
  static let description = RuleDescription(id: "template/drift")

  func check(_ context: RuleContext) -> [Finding] {
    guard let link = context.facts.template else { return [] }
    let name = link.template.name
    switch link.version {
    case .notRecorded:
      return []
    case .unknown(let recorded):
      // Neither drift nor default files can be judged against a version the template does not have.
      return [
        context.finding(
          "\(link.recordPath) records version \(recorded) of template \(name), which \(name) has no tag or commit for",
          path: link.recordPath, line: link.reference.line, subject: "\(name)|unknown-version",
          evidence: [("template", .string(name)), ("recorded", .string(recorded)), ("resolved", .bool(false))])
      ]
    case .resolved(let recorded, let commit):
      let releases = link.template.releases
      guard let newest = releases.first else { return [] }
      // Newest first: every release above the first one the recorded commit contains is one it lacks.
      var behind: [TemplateRelease] = []
      for release in releases {
        if link.template.isAncestor(release.commit, of: commit.sha) { break }
        behind.append(release)
      }
      guard !behind.isEmpty else { return [] }
      let recordedRelease = releases.first { $0.tag == recorded } ?? releases.first { $0.commit == commit.sha }
      let days = max(0, Int((newest.time - (recordedRelease?.time ?? commit.time)) / 86_400))
      let maxReleases = context.settings.int("max-releases-behind") ?? 1
      let maxDays = context.settings.int("max-days-behind") ?? 90
      guard behind.count > maxReleases || days > maxDays else { return [] }
      let count = "\(behind.count) release\(behind.count == 1 ? "" : "s")"
      return [
        context.finding(
          "\(link.recordPath) records template \(name) at \(recorded); the newest release is \(newest.tag) "
            + "(\(count) and \(days) day\(days == 1 ? "" : "s") behind)",
          path: link.recordPath, line: link.reference.line, subject: "\(name)|drift",
          evidence: [
            ("template", .string(name)), ("recorded", .string(recorded)), ("newest", .string(newest.tag)),
            ("releases_behind", .int(behind.count)), ("days_behind", .int(days)),
            ("missing_releases", JSONValue(behind.prefix(20).map(\.tag))), ("max_releases_behind", .int(maxReleases)),
            ("max_days_behind", .int(maxDays)),
          ])
      ]
    }
  }
}
