import PlumbCore

/// One committed (or, on its own connection, still open) scan or merge recorded in the store.
public struct StoredRun: Sendable, Equatable {
  public let id: Int64
  /// ISO 8601, UTC.
  public let startedAt: String
  public let finishedAt: String?
  public let plumbVersion: String
  public let policyHash: String
  /// "2/8" for one shard, "merged 8 shards" for a merge, nil for a whole-estate run.
  public let shard: String?
  /// True once `finishRun` committed the run; a run that never finished leaves no row at all.
  public let complete: Bool

  public init(
    id: Int64, startedAt: String, finishedAt: String?, plumbVersion: String, policyHash: String, shard: String?,
    complete: Bool
  ) {
    self.id = id
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.plumbVersion = plumbVersion
    self.policyHash = policyHash
    self.shard = shard
    self.complete = complete
  }
}

/// A finding named in a run's changes: enough to list it, without commit or evidence.
public struct ChangedFinding: Sendable, Equatable {
  public let repository: String
  public let rule: String
  public let severity: Severity
  public let message: String
  public let path: String?
  public let line: Int?
  public let fingerprint: String

  public init(
    repository: String, rule: String, severity: Severity, message: String, path: String?, line: Int?,
    fingerprint: String
  ) {
    self.repository = repository
    self.rule = rule
    self.severity = severity
    self.message = message
    self.path = path
    self.line = line
    self.fingerprint = fingerprint
  }

  init(repository: String, _ finding: Finding) {
    self.init(
      repository: repository, rule: finding.rule, severity: finding.severity, message: finding.message,
      path: finding.path, line: finding.line, fingerprint: finding.fingerprint)
  }
}

/// What a run changed against the store as it was before the run.
public struct RunChanges: Sendable, Equatable {
  /// Open now and not open before: never seen, or fixed earlier and back again.
  public var new: [ChangedFinding]
  /// Open before, in a repository this run read successfully, and not found now.
  public var fixed: [ChangedFinding]
  /// Repositories whose scanned head differs from the one the store last recorded.
  public var changedRepositories: [String]
  /// Repositories the store had never recorded.
  public var addedRepositories: [String]
  /// The latest run committed before this one.
  public var previousRun: StoredRun?

  public init(
    new: [ChangedFinding] = [], fixed: [ChangedFinding] = [], changedRepositories: [String] = [],
    addedRepositories: [String] = [], previousRun: StoredRun? = nil
  ) {
    self.new = new
    self.fixed = fixed
    self.changedRepositories = changedRepositories
    self.addedRepositories = addedRepositories
    self.previousRun = previousRun
  }
}

/// A finding open in the store, with when it was first and last seen.
public struct OpenFinding: Sendable, Equatable {
  public let repository: String
  public let finding: Finding
  public let firstSeenRun: Int64
  public let lastSeenRun: Int64
  /// How many places in the latest scan carried this fingerprint (the store keeps the first).
  public let occurrences: Int
}

/// A repository as the store last recorded it.
public struct StoredRepository: Sendable, Equatable {
  public let name: String
  public let path: String
  public let defaultBranch: String?
  /// The ref last scanned, e.g. refs/heads/main.
  public let ref: String?
  /// The commit last scanned; an unreadable repository keeps the head of its last good scan.
  public let lastHead: String?
  public let lastRun: Int64
  /// The first run that recorded it (for a store migrated from before this was kept, the first sign of it).
  public let firstRun: Int64?
  public let status: RepositoryResult.Status
  public let error: String?
  /// Team, tier and tags from the estate manifest of the last run that recorded it.
  public let metadata: RepositoryMetadata
}

/// The runs one finding was open in: from `firstSeenRun` until `fixedInRun` (nil while it is open).
public struct FindingSpan: Sendable, Equatable {
  public let repository: String
  public let rule: String
  public let severity: Severity
  public let firstSeenRun: Int64
  public let fixedInRun: Int64?

  public func isOpen(atRun run: Int64) -> Bool {
    firstSeenRun <= run && (fixedInRun.map { run < $0 } ?? true)
  }
}

/// Per run and rule: findings open in the store once the run finished, and what the run opened and fixed.
public struct RuleCount: Sendable, Equatable {
  public let run: Int64
  public let rule: String
  public let open: Int
  public let new: Int
  public let fixed: Int
}

/// Why the store refused to do something; the description is meant for the person running plumb.
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
  case busy(path: String)
  case newerStore(path: String, unknownMigrations: [String])
  case notAStore(path: String)
  case runNotOpen(Int64)
  case runAlreadyOpen(Int64)
  case database(path: String, message: String)

  public var description: String {
    switch self {
    case .busy(let path):
      return
        "another plumb run is using the store \(path) (it holds the store's write lock until that run finishes); "
        + "wait for it to finish, or use another --store file"
    case .newerStore(let path, let unknown):
      return
        "the store \(path) was written by a newer plumb (unknown migrations: \(unknown.joined(separator: ", "))); "
        + "this plumb will not change or rebuild it: use a newer plumb, or another --store file"
    case .notAStore(let path):
      return "\(path) is not a plumb store (not an SQLite database, or one plumb did not create); it was left as it is"
    case .runNotOpen(let id):
      return "run \(id) is not open in this store (begin a run first; a run is finished once)"
    case .runAlreadyOpen(let id):
      return "run \(id) is still open in this store; finish it before beginning another"
    case .database(let path, let message):
      return "store \(path): \(message)"
    }
  }
}

/// A cached result's key and what a run needs to know of it without reading the result (made only by the store).
public struct CacheRow: Sendable, Equatable {
  public let cacheKey: String
  /// Nil for rows written before the store kept it.
  public let findingCount: Int?
  /// The highest severity among its findings; nil when it has none (or the row predates this column).
  public let worstSeverity: Severity?
  public let refsFingerprint: String?
  /// `CachedRefs.json` as stored.
  public let refs: String?
}

/// A repository's refs as estate knowledge sees them (JSON), filed under the digest of its reference files.
public struct CachedRefs: Sendable, Equatable {
  public let fingerprint: String
  public let json: String

  public init(fingerprint: String, json: String) {
    self.fingerprint = fingerprint
    self.json = json
  }
}
