/// No CODEOWNERS anywhere GitHub or GitLab looks for one.
struct CodeOwnersMissingRule: Rule {
  static let description = RuleDescription(id: "ownership/codeowners-missing")

  func check(_ context: RuleContext) -> [Finding] {
    guard context.facts.codeOwners == nil else { return [] }
    let places = RepositoryFacts.codeOwnersLocations.joined(separator: ", ")
    return [
      context.finding(
        "no CODEOWNERS file (looked at \(places))", subject: "codeowners",
        evidence: [("looked_at", JSONValue(RepositoryFacts.codeOwnersLocations))])
    ]
  }
}
