/// One rung of a pack's maturity ladder (bronze, silver, gold): the rules it adds to the rungs below.
public struct MaturityLevel: Sendable, Equatable {
  public let name: String
  public let rules: [String]

  public init(name: String, rules: [String]) {
    self.name = name
    self.rules = rules
  }
}

/// Which rung a repository stands on, as Soundcheck and OpsLevel count it.
public enum MaturityLevels {
  /// The highest level whose rules, and those of every level below it, have no failing finding;
  /// nil when even the first level is not reached.
  public static func level(failingRules: Set<String>, levels: [MaturityLevel]) -> String? {
    var reached: String?
    for level in levels {
      guard failingRules.isDisjoint(with: level.rules) else { break }
      reached = level.name
    }
    return reached
  }

  /// Rules whose findings fail a level: warnings and errors left after waivers (notes never fail).
  public static func failingRules(_ findings: [Finding]) -> Set<String> {
    Set(findings.filter { $0.severity >= .warning }.map(\.rule))
  }
}
