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
    // Newest first: code changes until the commit that last changed the runbook.
    var codeCommits: [(commit: String, time: Int64)] = []
    var runbookChange: (commit: String, time: Int64)?
    history.walkFirstParent { step in
      if history.changed(runbook, in: step) {
        runbookChange = (step.commit, step.time)
        return false
      }
      let changed = step.changedRootEntries.filter { name in
        code.contains { Glob.matchesName($0, name) } && !ignored.contains { Glob.matchesName($0, name) }
      }
      if !changed.isEmpty { codeCommits.append((step.commit, step.time)) }
      return true
    }
    guard let runbookChange, let newest = codeCommits.first else { return [] }
    let days = Int((newest.time - runbookChange.time) / 86_400)
    guard days > maxDays, codeCommits.count > maxCommits else { return [] }
    // The commit that made it stale: the first code change past both limits.
    let crossing = codeCommits.reversed().enumerated().first { index, entry in
      index + 1 > maxCommits && Int((entry.time - runbookChange.time) / 86_400) > maxDays
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
