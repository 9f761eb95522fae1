/// A CODEOWNERS rule that decides for no file because later rules (last match wins) cover all it matches.
struct ShadowedPatternRule: Rule {
  static let description = RuleDescription(id: "ownership/shadowed-pattern")

  func check(_ context: RuleContext) -> [Finding] {
    guard let facts = context.facts.codeOwners, let file = facts.parsed else { return [] }
    let matches = context.facts.codeOwnersMatches
    let winners = context.facts.codeOwnersWinners
    var matched = [Bool](repeating: false, count: file.rules.count)
    var won = [Bool](repeating: false, count: file.rules.count)
    var overriders = [Set<Int>](repeating: [], count: file.rules.count)
    for (row, rowWinners) in zip(matches, winners) {
      for index in row { matched[index] = true }
      for index in rowWinners { won[index] = true }
      for index in row where !rowWinners.contains(index) {
        if let winner = rowWinners.first(where: { file.rules[$0].sectionIndex == file.rules[index].sectionIndex }) {
          overriders[index].insert(winner)
        }
      }
    }
    return file.rules.indices.filter { matched[$0] && !won[$0] }.map { index in
      let rule = file.rules[index]
      let lines = overriders[index].sorted().map { file.rules[$0].line }
      let by = lines.map(String.init).joined(separator: ", ")
      return context.finding(
        "pattern \"\(rule.pattern)\" never decides: every file it matches is overridden by line \(by)",
        path: facts.path, line: rule.line, subject: rule.pattern,
        evidence: [("pattern", .string(rule.pattern)), ("overridden_by_lines", .array(lines.map { .int($0) }))])
    }
  }
}
