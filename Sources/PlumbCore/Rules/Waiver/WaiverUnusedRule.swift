/// A waiver that no longer matches anything: stale exceptions are reported, not kept forever.
struct WaiverUnusedRule: Rule {
  static let description = RuleDescription(id: "waiver/unused")
  var runsAfterWaivers: Bool { true }

  func check(_ context: RuleContext) -> [Finding] {
    let name = context.snapshot.repositoryName
    return context.facts.waiverOutcomes.filter { outcome in
      // Estate waivers count only where they name this repository outright; elsewhere they are not about it.
      !outcome.expired && outcome.matched == 0
        && (outcome.waiver.fromRepository || outcome.waiver.repositories.contains(name))
    }.map { outcome in
      let waiver = outcome.waiver
      return context.finding(
        "waiver for \(waiver.rule) owned by \(waiver.owner) matches no finding; remove it",
        path: waiver.fromRepository ? waiver.file : nil, line: waiver.fromRepository ? waiver.line : nil,
        subject: Self.subject(waiver), evidence: Self.evidence(outcome))
    }
  }

  static func subject(_ waiver: Waiver) -> String {
    "\(waiver.rule)|\(waiver.paths.joined(separator: ","))|\(waiver.repositories.joined(separator: ","))|\(waiver.owner)"
  }

  static func evidence(_ outcome: WaiverOutcome) -> [(String, JSONValue)] {
    outcome.waiver.fields + [("matched", .int(outcome.matched))]
  }
}
