import PlumbCore

/// The scorecard's categories as the page names them: the same mapping adoption uses (`AdoptionCategory`).
public enum ProofCategory {
  public static let all = AdoptionCategory.allCases.map(\.rawValue)

  /// The category a rule belongs to; `repo/*` and `waiver/*` belong to none.
  public static func of(rule: String) -> String? { AdoptionCategory.of(rule: rule)?.rawValue }

  /// Categories a repository fails: one of their findings is a warning or worse (notes never fail one).
  public static func failing(_ findings: [Finding]) -> Set<String> {
    Set(findings.filter { $0.severity >= .warning }.compactMap { of(rule: $0.rule) })
  }
}
