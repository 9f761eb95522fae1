import PlumbCore

/// The five areas of the platform contract the scorecard is kept in, in their fixed order.
public enum ProofCategory {
  public static let all = ["ownership", "runbooks", "pinning", "templates", "versioning"]

  /// The category a rule belongs to; `repo/*` and `waiver/*` belong to none.
  public static func of(rule: String) -> String? {
    switch rule.prefix(while: { $0 != "/" }) {
    case "ownership": return "ownership"
    case "runbook": return "runbooks"
    case "pins": return "pinning"
    case "template": return "templates"
    case "tags": return "versioning"
    default: return nil
    }
  }

  /// Categories a repository fails: one of their findings is a warning or worse (notes never fail one).
  public static func failing(_ findings: [Finding]) -> Set<String> {
    Set(findings.filter { $0.severity >= .warning }.compactMap { of(rule: $0.rule) })
  }
}
