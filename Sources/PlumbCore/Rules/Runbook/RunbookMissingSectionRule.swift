import Formats

/// A runbook without the headings an on-call engineer looks for first.
struct RunbookMissingSectionRule: Rule {
  static let description = RuleDescription(id: "runbook/missing-section")

  func check(_ context: RuleContext) -> [Finding] {
    let runbooks = context.facts.runbooks
    guard let primary = runbooks.first else { return [] }
    var headings: [String] = []
    for path in runbooks {
      if case .success(let outline) = context.snapshot.parsed(path, parser: "markdown", MarkdownOutline.parse) {
        headings.append(contentsOf: outline.headings.map { Self.words($0.text) })
      }
    }
    return context.settings.strings("sections").compactMap { section in
      let wanted = Self.words(section)
      guard !headings.contains(where: { Self.contains($0, wanted) }) else { return nil }
      return context.finding(
        "runbook \(primary) has no \"\(section)\" section", path: primary, subject: section.lowercased(),
        evidence: [("section", .string(section)), ("runbooks", JSONValue(runbooks))])
    }
  }

  /// Lower-cased words, so "Roll-back / Recovery" and "rollback" compare sensibly.
  static func words(_ text: String) -> String {
    let mapped = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
    return String(mapped).split(separator: " ").joined(separator: " ")
  }

  /// A heading holds a section when the section's words appear in it as whole words.
  static func contains(_ heading: String, _ section: String) -> Bool {
    guard !section.isEmpty else { return false }
    return " \(heading) ".contains(" \(section) ")
      || heading.replacingOccurrences(of: " ", with: "") == section.replacingOccurrences(of: " ", with: "")
  }
}
