/// The commented `plumb.yml` that `plumb init` writes; every rule listed with its default, so editing is choosing.
public enum StarterConfig {
  public static func text(catalog: RuleCatalog) -> String {
    var out = """
      # plumb.yml: the estate policy. `plumb rules explain RULE-ID` tells what each rule checks.
      # A repository may add its own .plumb.yml (rules and waivers only); it cannot turn off a rule marked locked.
      extends: default            # a rule pack from rules/packs/: \(catalog.packNames.joined(separator: " | "))

      rules:
        # Each rule: off | on | error | warning | note, or a mapping {severity: ..., locked: true, PARAMETER: ...}.

      """
    for rule in catalog.rules {
      out += "  # \(rule.id): \(rule.severity.rawValue)  — \(rule.summary)\n"
      for name in rule.parameters.keys.sorted() {
        out +=
          "  #   \(name): \(rule.parameters[name]!.serialized())  \(rule.parameterHelp[name].map { "— " + $0 } ?? "")\n"
      }
    }
    out += """

      # Which repositories are services (they need a runbook).
      service:
        catalog-types: [service, website]   # catalog-info.yaml spec.type values
        markers: [Dockerfile, deploy/]      # or any of these files / folders

      runbook:
        locations: [RUNBOOK.md, "docs/runbook*.md", runbooks/]

      # Exceptions need an owner and an expiry date; expired ones are reported and stop suppressing.
      waivers: []
      #  - rule: ownership/unowned-files
      #    paths: ["vendor/**"]
      #    repositories: ["legacy-*"]
      #    owner: team-platform
      #    expires: 2027-03-31
      #    reason: vendored code has no owner yet

      """
    return out
  }
}
