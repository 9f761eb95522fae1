import Formats

/// Files that no CODEOWNERS rule gives an owner: nobody is asked to review changes to them.
struct UnownedFilesRule: Rule {
  static let description = RuleDescription(id: "ownership/unowned-files")

  func check(_ context: RuleContext) -> [Finding] {
    guard let facts = context.facts.codeOwners, let file = facts.parsed else { return [] }
    let ignored = context.settings.strings("ignore").map(Glob.init)
    let listed = context.settings.int("max-listed") ?? 50
    let winners = context.facts.codeOwnersWinners
    var unowned: [String] = []
    for (index, entry) in context.snapshot.files.enumerated() {
      let owners = winners[index].flatMap { file.rules[$0].owners }
      if owners.isEmpty && !ignored.contains(where: { $0.matches(entry.path) }) { unowned.append(entry.path) }
    }
    guard !unowned.isEmpty else { return [] }
    let total = context.snapshot.files.count
    let sample = unowned.prefix(listed).joined(separator: ", ")
    let more = unowned.count > listed ? " and \(unowned.count - listed) more" : ""
    return [
      context.finding(
        "\(unowned.count) of \(total) files have no owner in \(facts.path): \(sample)\(more)", path: facts.path,
        subject: "unowned-files",
        evidence: [("count", .int(unowned.count)), ("files", JSONValue(Array(unowned.prefix(listed))))])
    ]
  }
}
