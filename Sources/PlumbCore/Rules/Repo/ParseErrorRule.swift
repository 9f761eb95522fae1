/// A file plumb must read but cannot: its rules would otherwise pass or fail silently.
struct ParseErrorRule: Rule {
  static let description = RuleDescription(id: "repo/parse-error")

  func check(_ context: RuleContext) -> [Finding] {
    let facts = context.facts
    var findings: [Finding] = []
    func report(_ path: String?, _ line: Int?, _ message: String, column: Int? = nil) {
      var evidence: [(String, JSONValue)] = []
      if let column { evidence.append(("column", .int(column))) }
      let place = path ?? "repository"
      findings.append(
        context.finding("\(place): \(message)", path: path, line: line, subject: message, evidence: evidence))
    }
    if let codeOwners = facts.codeOwners, case .failure(let problem) = codeOwners.file {
      report(codeOwners.path, nil, "CODEOWNERS \(problem)")
    }
    if let catalog = facts.catalog, case .failure(let problem) = catalog.info {
      report(catalog.path, problem.line, "cannot parse: \(problem.message)", column: problem.column)
    }
    if let template = facts.templateReference, case .failure(let problem) = template.reference {
      report(template.path, problem.line, "cannot parse: \(problem.message)", column: problem.column)
    }
    for runbook in facts.runbooks {
      if case .failure(let problem) = context.snapshot.text(runbook) { report(runbook, nil, "runbook \(problem)") }
    }
    for problem in facts.pins.problems {
      report(problem.path, problem.line, problem.message, column: problem.column)
    }
    for problem in facts.configProblems {
      report(problem.file, problem.line, problem.message, column: problem.column)
    }
    // A tag that does not read is left out of every tag rule: say so rather than judge the others as if it were not there.
    for (name, problem) in context.snapshot.history.unreadableTags.sorted(by: { $0.key < $1.key }) {
      report(nil, nil, "tag \(name) cannot be read, so tag rules leave it out: \(problem)")
    }
    let badPaths = context.snapshot.files.filter { !$0.pathIsValidUTF8 }.map(\.path)
    if !badPaths.isEmpty {
      findings.append(
        context.finding(
          "\(badPaths.count) path(s) are not valid UTF-8 and are shown with replacement characters: "
            + badPaths.prefix(10).joined(separator: ", "),
          subject: "non-utf8-paths", evidence: [("paths", JSONValue(badPaths))]))
    }
    return findings
  }
}
