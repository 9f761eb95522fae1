import Formats
import Foundation

/// Lines of CODEOWNERS that GitHub or GitLab would reject or silently ignore.
struct CodeOwnersSyntaxRule: Rule {
  static let description = RuleDescription(id: "ownership/codeowners-syntax")

  func check(_ context: RuleContext) -> [Finding] {
    guard let facts = context.facts.codeOwners, let file = facts.parsed,
      case .success(let text) = context.snapshot.text(facts.path)
    else { return [] }
    let lines = text.textLines
    return file.errors.map { error in
      let source = error.line <= lines.count ? String(lines[error.line - 1]) : ""
      return context.finding(
        "line \(error.line), column \(error.column): \(error.message)", path: facts.path, line: error.line,
        subject: source.trimmingCharacters(in: .whitespaces) + "|" + error.message,
        evidence: [("column", .int(error.column)), ("text", .string(source))])
    }
  }
}
