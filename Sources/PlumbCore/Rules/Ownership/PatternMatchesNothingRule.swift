/// A CODEOWNERS pattern that matches no file: a typo, or a folder that moved away.
struct PatternMatchesNothingRule: Rule {
  static let description = RuleDescription(id: "ownership/pattern-matches-nothing")

  func check(_ context: RuleContext) -> [Finding] {
    guard let facts = context.facts.codeOwners, let file = facts.parsed else { return [] }
    var used = [Bool](repeating: false, count: file.rules.count)
    for row in context.facts.codeOwnersMatches {
      for index in row { used[index] = true }
    }
    return file.rules.indices.filter { !used[$0] }.map { index in
      let rule = file.rules[index]
      return context.finding(
        "pattern \"\(rule.pattern)\" matches no file", path: facts.path, line: rule.line, subject: rule.pattern,
        evidence: [("pattern", .string(rule.pattern)), ("owners", JSONValue(rule.owners))])
    }
  }
}
