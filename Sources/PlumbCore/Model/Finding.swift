/// How much a finding matters; ordered so `>=` means "at least as severe".
public enum Severity: String, Sendable, Comparable, CaseIterable, Codable {
  case note, warning, error

  var rank: Int {
    switch self {
    case .note: return 0
    case .warning: return 1
    case .error: return 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The commit that introduced a finding.
public struct CommitRef: Sendable, Equatable, Hashable {
  public let sha: String
  public let author: String
  public let email: String
  /// ISO 8601 in UTC.
  public let time: String
  public let summary: String

  public init(sha: String, author: String, email: String, time: String, summary: String) {
    self.sha = sha
    self.author = author
    self.email = email
    self.time = time
    self.summary = summary
  }
}

/// One violation of the platform contract, at one place in one repository.
public struct Finding: Sendable, Equatable, Hashable {
  public let rule: String
  public var severity: Severity
  public let message: String
  /// Repository-relative path; nil for repository-level findings.
  public let path: String?
  /// 1-based; nil where no line applies.
  public let line: Int?
  /// Stable across unrelated edits: rule, repository name, path and the finding's subject.
  public let fingerprint: String
  public var commit: CommitRef?
  public let evidence: JSONValue

  public init(
    rule: String, severity: Severity, message: String, path: String?, line: Int?, fingerprint: String,
    commit: CommitRef? = nil, evidence: JSONValue = .object([])
  ) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.path = path
    self.line = line
    self.fingerprint = fingerprint
    self.commit = commit
    self.evidence = evidence
  }
}

/// What scanning one repository produced.
public struct RepositoryResult: Sendable, Equatable {
  public enum Status: String, Sendable { case ok, error }
  public let path: String
  public let name: String
  public let head: String?
  public let ref: String?
  public let status: Status
  public let error: String?
  public let findings: [Finding]
  /// Team, tier and tags from the estate manifest, when there is one.
  public var metadata: RepositoryMetadata
  /// Where the estate waivers that matched a finding here were declared (`file:line`), for telling estate-wide
  /// which waivers no repository uses.
  public var estateWaiversMatched: [String] = []

  public init(
    path: String, name: String, head: String?, ref: String?, status: Status, error: String?, findings: [Finding],
    metadata: RepositoryMetadata = .none
  ) {
    self.metadata = metadata
    self.path = path
    self.name = name
    self.head = head
    self.ref = ref
    self.status = status
    self.error = error
    self.findings = findings
  }

  public static func failed(
    path: String, name: String, error: String, metadata: RepositoryMetadata = .none
  ) -> RepositoryResult {
    RepositoryResult(
      path: path, name: name, head: nil, ref: nil, status: .error, error: error, findings: [], metadata: metadata)
  }
}
