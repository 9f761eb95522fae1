import Formats

/// The runbook was last changed long before the code it describes: on-call follows outdated steps.
struct RunbookStaleRule: Rule {
  static let description = RuleDescription(id: "runbook/stale")

  func check(_ context: RuleContext) -> [Finding] {
    guard let runbook = context.facts.runbooks.first else { return [] }
    let maxDays = context.settings.int("max-days") ?? 180
    let maxCommits = context.settings.int("max-commits") ?? 100
    let code = context.settings.strings("paths")
    let ignored = context.settings.strings("ignore")
    let history = context.snapshot.history
    // Newest first: code changes until the commit that last changed the runbook. Times are read
    // afterwards, for the few steps the verdict needs.
    var codeCommits: [RepositoryHistory.FirstParentStep] = []
    var runbookStep: RepositoryHistory.FirstParentStep?
    history.walkFirstParent { step in
      if history.changed(runbook, in: step) {
        runbookStep = step
        return false
      }
      let changed = step.changedRootEntries.filter { name in
        code.contains { Glob.matchesName($0, name) } && !ignored.contains { Glob.matchesName($0, name) }
      }
      if !changed.isEmpty { codeCommits.append(step) }
      return true
    }
    guard let runbookStep, let newest = codeCommits.first, codeCommits.count > maxCommits else { return [] }
    let runbookChange = (commit: runbookStep.commit, time: history.time(of: runbookStep))
    let days = Int((history.time(of: newest) - runbookChange.time) / 86_400)
    guard days > maxDays else { return [] }
    // The commit that made it stale: the first code change past both limits.
    let crossing = codeCommits.reversed().enumerated().first { index, entry in
      index + 1 > maxCommits && Int((history.time(of: entry) - runbookChange.time) / 86_400) > maxDays
    }?.element
    return [
      context.finding(
        "\(runbook) was last changed \(days) days and \(codeCommits.count) code commits before the latest code change",
        path: runbook, subject: "stale",
        evidence: [
          ("runbook_changed_in", .string(runbookChange.commit)), ("days_behind", .int(days)),
          ("commits_behind", .int(codeCommits.count)), ("max_days", .int(maxDays)), ("max_commits", .int(maxCommits)),
        ],
        commit: crossing.flatMap { history.commitRef($0.commit) })
    ]
  }
}
