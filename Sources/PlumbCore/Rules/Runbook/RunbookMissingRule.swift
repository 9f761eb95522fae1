/// A service with no runbook: whoever is paged at night has nothing to follow.
struct RunbookMissingRule: Rule {
  static let description = RuleDescription(id: "runbook/missing")

  func check(_ context: RuleContext) -> [Finding] {
    guard let reason = context.facts.serviceReason, context.facts.runbooks.isEmpty else { return [] }
    let locations = context.policy.runbook.locations
    return [
      context.finding(
        "service repository (\(reason)) has no runbook (looked for \(locations.joined(separator: ", ")))",
        subject: "runbook", evidence: [("service_because", .string(reason)), ("looked_for", JSONValue(locations))])
    ]
  }
}
