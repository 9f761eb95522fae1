import PlumbCore

/// What every output records about the run, so a report can be reproduced.
public struct RunInfo: Sendable {
  public static let toolName = "plumb"
  public static let version = PlumbVersion.current
  public let policyHash: String
  public let pack: String
  public let revision: String?

  public init(policyHash: String, pack: String, revision: String?) {
    self.policyHash = policyHash
    self.pack = pack
    self.revision = revision
  }
}

/// Counts that every format prints at the end.
public struct Summary: Sendable {
  public let repositories: Int
  public let unreadable: Int
  public let findings: Int
  public let bySeverity: [(Severity, Int)]
  public let byRule: [(String, Int)]

  public init(_ results: [RepositoryResult]) {
    repositories = results.count
    unreadable = results.filter { $0.status == .error }.count
    let all = results.flatMap(\.findings)
    findings = all.count
    var severities: [Severity: Int] = [:]
    var rules: [String: Int] = [:]
    for finding in all {
      severities[finding.severity, default: 0] += 1
      rules[finding.rule, default: 0] += 1
    }
    bySeverity = Severity.allCases.reversed().compactMap { severity in severities[severity].map { (severity, $0) } }
    byRule = rules.keys.sorted().map { ($0, rules[$0]!) }
  }
}
