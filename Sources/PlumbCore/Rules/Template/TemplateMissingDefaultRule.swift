import Formats

/// A file the repository's template ships by default is gone: the golden path's wiring (CI, owners,
/// catalog entry, container build) no longer reaches this repository.
struct TemplateMissingDefaultRule: Rule {
  static let description = RuleDescription(id: "template/missing-default")

  func check(_ context: RuleContext) -> [Finding] {
    guard let link = context.facts.template, let baseline = link.baseline,
      let (layout, files) = link.defaultFiles(at: baseline.commit)
    else { return [] }
    let mayDelete = context.settings.strings("may-delete").map(Glob.init)
    let name = link.template.name
    let missing = files.sorted().filter { path in
      !mayDelete.contains { $0.matches(path) } && !context.snapshot.exists(path)
    }
    // With no version recorded the newest release is the reference: say so, not that it was recorded.
    let reference =
      if case .notRecorded = link.version {
        "\(baseline.label), its newest release; \(link.recordPath) records no version"
      } else {
        "\(baseline.label), recorded in \(link.recordPath)"
      }
    return missing.map { path in
      context.finding(
        "\(path) is missing: template \(name) ships it (\(reference))",
        path: path, subject: name,
        evidence: [
          ("template", .string(name)), ("version", .string(baseline.label)), ("recorded_in", .string(link.recordPath)),
          ("layout", .string(layout.kind.rawValue)),
        ])
    }
  }
}
