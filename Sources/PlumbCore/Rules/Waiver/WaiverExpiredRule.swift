/// A waiver past its expiry date: it no longer suppresses anything, and someone owes a fix or a renewal.
struct WaiverExpiredRule: Rule {
  static let description = RuleDescription(id: "waiver/expired")
  var runsAfterWaivers: Bool { true }

  func check(_ context: RuleContext) -> [Finding] {
    let name = context.snapshot.repositoryName
    // As with waiver/unused, an estate waiver that covered nothing here counts only where it names this repository.
    return context.facts.waiverOutcomes.filter { outcome in
      outcome.expired
        && (outcome.waiver.fromRepository || outcome.matched > 0 || outcome.waiver.repositories.contains(name))
    }.map { outcome in
      let waiver = outcome.waiver
      return context.finding(
        "waiver for \(waiver.rule) owned by \(waiver.owner) expired on \(waiver.expires)"
          + (outcome.matched > 0 ? "; \(outcome.matched) finding(s) it covered are reported again" : ""),
        path: waiver.fromRepository ? waiver.file : nil, line: waiver.fromRepository ? waiver.line : nil,
        subject: WaiverUnusedRule.subject(waiver), evidence: WaiverUnusedRule.evidence(outcome))
    }
  }
}
