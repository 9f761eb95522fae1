import GRDB
import PlumbCore
import Synchronization

/// plumb's SQLite store: runs, repositories, findings with first/last seen and fixed runs, tag observations
/// and a result cache. A run is one write transaction from `beginRun` to `finishRun`, so a run that dies
/// half-way leaves the store as it was, and a second run on the same file is refused while one is open.
public final class EstateStore: Sendable {
  public let path: String
  let queue: DatabaseQueue
  /// What the open run changed so far; nil between runs.
  let openRun: Mutex<OpenRun?>

  struct OpenRun: Sendable {
    let id: Int64
    var new: [ChangedFinding] = []
    var fixed: [ChangedFinding] = []
    var changed: Set<String> = []
    var added: Set<String> = []
  }

  init(path: String, queue: DatabaseQueue) {
    self.path = path
    self.queue = queue
    self.openRun = Mutex(nil)
  }

  deinit {
    // A run never finished is rolled back, exactly as if the process had died.
    if openRun.withLock({ $0 != nil }) { try? queue.inDatabase { db in try db.rollback() } }
  }

  /// Opens the store at `path`, creating it or applying this plumb's newer migrations. A store written by a newer
  /// plumb, or an SQLite file plumb did not create, is refused and left untouched. Opening works while another
  /// process runs on the store (it only reads), and SQLite rolls back whatever a crashed run left behind.
  public static func open(path: String) throws -> EstateStore {
    let migrator = StoreSchema.migrator
    return try translating(path) {
      var configuration = Configuration()
      // A run is one transaction spanning many calls.
      configuration.allowsUnsafeTransactions = true
      // A locked store fails at once rather than waiting: two runs on one store is a mistake to report.
      configuration.busyMode = .immediateError
      configuration.label = "plumb store"
      // WAL with NORMAL sync: every run stays one atomic transaction (a killed run still leaves nothing);
      // commits skip their fsync, so a power cut may lose the last finished run, never the store.
      configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      let needsMigration = try queue.inDatabase { db in
        let applied = try migrator.appliedIdentifiers(db)
        let unknown = applied.subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else { throw StoreError.newerStore(path: path, unknownMigrations: unknown) }
        if applied.isEmpty, try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0 > 0 {
          throw StoreError.notAStore(path: path)
        }
        return try !migrator.hasCompletedMigrations(db)
      }
      if needsMigration {
        try queue.inDatabase { db in
          // WAL lets reports read the store while a run holds the write lock.
          if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
            _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
          }
        }
        try migrator.migrate(queue)
      }
      return EstateStore(path: path, queue: queue)
    }
  }

  // MARK: - Runs

  /// Starts a run: takes the store's write lock (BEGIN IMMEDIATE) and holds it until `finishRun`.
  /// Throws `StoreError.busy` at once when another run, in any process, holds it.
  public func beginRun(startedAt: String, plumbVersion: String, policyHash: String, shard: String?) throws -> Int64 {
    try access { db in
      if let open = openRun.withLock({ $0?.id }) { throw StoreError.runAlreadyOpen(open) }
      try db.beginTransaction(.immediate)
      do {
        try db.execute(
          sql: "INSERT INTO runs (started_at, plumb_version, policy_hash, shard) VALUES (?, ?, ?, ?)",
          arguments: [startedAt, plumbVersion, policyHash, shard])
        let id = db.lastInsertedRowID
        openRun.withLock { $0 = OpenRun(id: id) }
        return id
      } catch {
        try? db.rollback()
        throw error
      }
    }
  }

  /// Records one repository's result in the open run: its findings seen again or new, and its open findings
  /// not seen marked fixed. An unreadable repository (status error) updates only its repository row: its
  /// findings, tags and cached result stay as they were. `refs` is filed with the cached result for the
  /// next run's estate knowledge.
  public func record(
    _ result: RepositoryResult, cacheKey: String?, tags: [String: String], runID: Int64, defaultBranch: String? = nil,
    refs: CachedRefs? = nil
  ) throws {
    try access { db in
      guard openRun.withLock({ $0?.id }) == runID else { throw StoreError.runNotOpen(runID) }
      var previousHead: String?
      var retagged = false
      var known = false
      var new: [ChangedFinding] = []
      var fixed: [ChangedFinding] = []
      try db.inSavepoint {
        // The last run that read it: its open findings and current tags were seen through then.
        var seenBefore: Int64?
        if let row = try Row.fetchOne(
          db, sql: "SELECT last_head, seen_run FROM repositories WHERE name = ?", arguments: [result.name])
        {
          known = true
          previousHead = try row.decode(forColumn: "last_head")
          seenBefore = try row.decode(forColumn: "seen_run")
        }
        try Self.upsertRepository(result, defaultBranch: defaultBranch, runID: runID, db)
        if result.status == .ok {
          let cachedKey = try String.fetchOne(
            db, sql: "SELECT cache_key FROM scan_cache WHERE repository = ?", arguments: [result.name])
          if let cacheKey, cacheKey == cachedKey {
            // The same key means the same result as last recorded, whose findings are exactly the open
            // ones: the repository's seen run, just moved, confirms them all (the unchanged nightly re-run).
            if let refs {
              try db.execute(
                sql:
                  "UPDATE scan_cache SET refs_fingerprint = ?, refs = ? WHERE repository = ? AND refs_fingerprint IS NOT ?",
                arguments: [refs.fingerprint, refs.json, result.name, refs.fingerprint])
            }
          } else {
            let seen: Set<String>
            (new, seen) = try Self.upsertFindings(result, runID: runID, db)
            fixed = try Self.fixUnseenFindings(of: result.name, seen: seen, lastSeen: seenBefore, runID: runID, db)
            if let cacheKey {
              try db.execute(
                sql: """
                  INSERT INTO scan_cache (repository, cache_key, run, finding_count, worst_severity,
                    refs_fingerprint, refs) VALUES (?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (repository) DO UPDATE SET cache_key = excluded.cache_key, run = excluded.run,
                    finding_count = excluded.finding_count, worst_severity = excluded.worst_severity,
                    refs_fingerprint = excluded.refs_fingerprint, refs = excluded.refs
                  """,
                arguments: [
                  result.name, cacheKey, runID, result.findings.count,
                  result.findings.map(\.severity).max()?.rawValue, refs?.fingerprint, refs?.json,
                ])
              try db.execute(
                sql: """
                  INSERT INTO scan_results (repository, result) VALUES (?, ?)
                  ON CONFLICT (repository) DO UPDATE SET result = excluded.result
                  """,
                arguments: [result.name, result.json.serialized()])
            }
          }
          retagged = try Self.observe(tags, repository: result.name, lastSeen: seenBefore, runID: runID, db)
        }
        return .commit
      }
      openRun.withLock { run in
        run?.new += new
        run?.fixed += fixed
        if !known { run?.added.insert(result.name) }
        // Changed: its head moved, or a tag was added, moved or deleted.
        if let previousHead, let head = result.head, head != previousHead || retagged {
          run?.changed.insert(result.name)
        }
      }
    }
  }

  /// Writes the run's counts, commits and releases the lock. On failure the whole run is rolled back.
  public func finishRun(_ runID: Int64, finishedAt: String) throws -> RunChanges {
    try access { db in
      guard let run = openRun.withLock({ $0 }), run.id == runID else { throw StoreError.runNotOpen(runID) }
      defer { openRun.withLock { $0 = nil } }
      do {
        let fixed = run.fixed
        try db.execute(
          sql: "UPDATE runs SET finished_at = ?, complete = 1 WHERE id = ?", arguments: [finishedAt, runID])
        try Self.writeCounts(runID: runID, new: run.new, fixed: fixed, db)
        let previous = try Row.fetchOne(
          db, sql: "SELECT * FROM runs WHERE id < ? AND complete = 1 ORDER BY id DESC LIMIT 1", arguments: [runID]
        ).map(Self.storedRun)
        try db.commit()
        return RunChanges(
          new: run.new.sorted(by: Self.changeOrder), fixed: fixed.sorted(by: Self.changeOrder),
          changedRepositories: run.changed.sorted(), addedRepositories: run.added.sorted(), previousRun: previous)
      } catch {
        if db.isInsideTransaction { try? db.rollback() }
        throw error
      }
    }
  }

  /// Records repositories whose cached results this run reuses unchanged (same cache key, so the same refs
  /// too), all at once: they were read, and their open findings and current tags seen again. Equivalent to
  /// recording each cached result, in one statement for the whole estate.
  public func confirmUnchanged(_ names: [String], runID: Int64) throws {
    guard !names.isEmpty else { return }
    try access { db in
      guard openRun.withLock({ $0?.id }) == runID else { throw StoreError.runNotOpen(runID) }
      try db.execute(
        sql: """
          UPDATE repositories SET last_run = ?1, seen_run = ?1, status = 'ok', error = NULL
          WHERE name IN (SELECT value FROM json_each(?2))
          """,
        arguments: [runID, JSONValue(names).serialized()])
    }
  }

  /// Gives up the open run: everything it recorded is rolled back and the lock released.
  public func abandonRun(_ runID: Int64) throws {
    try access { db in
      guard openRun.withLock({ $0?.id }) == runID else { throw StoreError.runNotOpen(runID) }
      defer { openRun.withLock { $0 = nil } }
      if db.isInsideTransaction { try db.rollback() }
    }
  }

  // MARK: - Reading

  /// Every cached result's key and summary, by repository name, without the results themselves.
  public func cacheRows() throws -> [String: CacheRow] {
    try access { db in
      var rows: [String: CacheRow] = [:]
      let cursor = try Row.fetchCursor(
        db,
        sql: "SELECT repository, cache_key, finding_count, worst_severity, refs_fingerprint, refs FROM scan_cache")
      while let row = try cursor.next() {
        let worst: String? = try row.decode(atIndex: 3)
        let name: String = try row.decode(atIndex: 0)
        rows[name] = CacheRow(
          cacheKey: try row.decode(atIndex: 1), findingCount: try row.decode(atIndex: 2),
          worstSeverity: worst.flatMap(Severity.init(rawValue:)), refsFingerprint: try row.decode(atIndex: 4),
          refs: try row.decode(atIndex: 5))
      }
      return rows
    }
  }

  /// A cached result as stored: one line of `plumb/findings@1` jsonl, ready to write out unparsed.
  public func cachedResultText(repository: String) throws -> String? {
    try access { db in
      try String.fetchOne(
        db.cachedStatement(sql: "SELECT result FROM scan_results WHERE repository = ?"), arguments: [repository])
    }
  }

  /// The last stored successful result for this repository, if it was stored under this cache key.
  public func cachedResult(repository: String, cacheKey: String) throws -> RepositoryResult? {
    let text = try access { db in
      try String.fetchOne(
        db,
        sql: """
          SELECT r.result FROM scan_results r JOIN scan_cache c ON c.repository = r.repository
          WHERE r.repository = ? AND c.cache_key = ?
          """,
        arguments: [repository, cacheKey])
    }
    // A cache row that does not read back is a miss: the repository is simply scanned again.
    guard let text, let json = try? JSONParser.parse(text) else { return nil }
    return try? RepositoryResult(json: json)
  }

  /// Tag name → object id, each tag as the first completed run that saw it recorded it: a release is what it
  /// was first published as, so a moved tag stays reported until it is restored or waived (deleted tags
  /// included, so a tag re-created elsewhere is still noticed).
  public func recordedTags(repository: String) throws -> [String: String] {
    try access { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT o.tag, o.object_id FROM tag_observations o
          WHERE o.repository = ? AND o.first_seen_run = (
            SELECT min(p.first_seen_run) FROM tag_observations p JOIN runs r ON r.id = p.first_seen_run
            WHERE p.repository = o.repository AND p.tag = o.tag AND r.complete = 1)
          """,
        arguments: [repository])
      var tags: [String: String] = [:]
      for row in rows { tags[try row.decode(forColumn: "tag")] = try row.decode(forColumn: "object_id") }
      return tags
    }
  }

  /// Every committed run, oldest first (on the connection holding an open run, that run too).
  public func runs() throws -> [StoredRun] {
    try access { db in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY id").map(Self.storedRun) }
  }

  /// Findings open in the store, by repository name, then in report order.
  public func openFindings() throws -> [OpenFinding] {
    let found = try access { db in
      let sql = """
        SELECT \(Self.findingColumns) FROM \(Self.findingsSeen)
        WHERE f.fixed_in_run IS NULL ORDER BY f.repository, f.id
        """
      return try Row.fetchAll(db, sql: sql).map { row in
        OpenFinding(
          repository: try row.decode(atIndex: 0), finding: try Self.finding(row),
          firstSeenRun: try row.decode(atIndex: 13),
          lastSeenRun: try row.decode(atIndex: 14), occurrences: try row.decode(atIndex: 15))
      }
    }
    return found.sorted { a, b in
      a.repository != b.repository ? a.repository < b.repository : Finding.reportOrder(a.finding, b.finding)
    }
  }

  /// Every repository the store has recorded, by name.
  public func repositories() throws -> [StoredRepository] {
    try access { db in
      try Row.fetchAll(db, sql: "SELECT * FROM repositories ORDER BY name").map { row in
        let status: String = try row.decode(forColumn: "status")
        let tags: String = try row.decode(forColumn: "tags")
        return StoredRepository(
          name: try row.decode(forColumn: "name"), path: try row.decode(forColumn: "path"),
          defaultBranch: try row.decode(forColumn: "default_branch"), ref: try row.decode(forColumn: "ref"),
          lastHead: try row.decode(forColumn: "last_head"), lastRun: try row.decode(forColumn: "last_run"),
          firstRun: try row.decode(forColumn: "first_run"), status: RepositoryResult.Status(rawValue: status) ?? .error,
          error: try row.decode(forColumn: "error"),
          metadata: RepositoryMetadata(
            team: try row.decode(forColumn: "team"), tier: try row.decode(forColumn: "tier"),
            tags: (try? JSONParser.parse(tags))?.arrayValue?.compactMap(\.stringValue) ?? []))
      }
    }
  }

  /// Every finding the store has recorded, open or fixed, with the runs it was open in (from `firstSeenRun` up
  /// to, not including, `fixedInRun`): enough for a report to say which categories each repository passed at
  /// each earlier run.
  public func findingSpans() throws -> [FindingSpan] {
    try access { db in
      try Row.fetchAll(
        db, sql: "SELECT repository, rule, severity, first_seen_run, fixed_in_run FROM findings ORDER BY id"
      ).map { row in
        let severity: String = try row.decode(atIndex: 2)
        return FindingSpan(
          repository: try row.decode(atIndex: 0), rule: try row.decode(atIndex: 1),
          severity: Severity(rawValue: severity) ?? .warning, firstSeenRun: try row.decode(atIndex: 3),
          fixedInRun: try row.decode(atIndex: 4))
      }
    }
  }

  /// Per finished run and rule: open, new and fixed counts, oldest run first.
  public func findingHistory() throws -> [RuleCount] {
    try access { db in
      try Row.fetchAll(db, sql: "SELECT * FROM run_counts ORDER BY run, rule").map { row in
        RuleCount(
          run: try row.decode(forColumn: "run"), rule: try row.decode(forColumn: "rule"),
          open: try row.decode(forColumn: "open_findings"), new: try row.decode(forColumn: "new_findings"),
          fixed: try row.decode(forColumn: "fixed_findings"))
      }
    }
  }

  // MARK: - Writing one repository

  static func upsertRepository(_ result: RepositoryResult, defaultBranch: String?, runID: Int64, _ db: Database)
    throws
  {
    try db.execute(
      sql: """
        INSERT INTO repositories (name, path, default_branch, ref, last_head, last_run, status, error, team, tier, tags,
          seen_run, first_run)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET
          path = excluded.path,
          default_branch = coalesce(excluded.default_branch, default_branch),
          ref = coalesce(excluded.ref, ref),
          last_head = coalesce(excluded.last_head, last_head),
          last_run = excluded.last_run,
          status = excluded.status,
          error = excluded.error,
          team = excluded.team,
          tier = excluded.tier,
          tags = excluded.tags,
          seen_run = coalesce(excluded.seen_run, seen_run)
        """,
      arguments: [
        result.name, result.path, defaultBranch, result.ref, result.head, runID, result.status.rawValue, result.error,
        result.metadata.team, result.metadata.tier, JSONValue(result.metadata.tags).serialized(),
        result.status == .ok ? runID : nil, runID,
      ])
  }

  /// Marks fixed, and returns, the repository's open findings this run did not see; each keeps `lastSeen`,
  /// the last run that read the repository before this one, as the last run that saw it.
  static func fixUnseenFindings(
    of repository: String, seen: Set<String>, lastSeen: Int64?, runID: Int64, _ db: Database
  ) throws -> [ChangedFinding] {
    let rows = try Row.fetchAll(
      db.cachedStatement(
        sql: "SELECT \(findingColumns) FROM \(findingsSeen) WHERE f.repository = ? AND f.fixed_in_run IS NULL"),
      arguments: [repository])
    let fix = try db.cachedStatement(
      sql: """
        UPDATE findings SET fixed_in_run = ?, last_seen_run = coalesce(?, first_seen_run)
        WHERE repository = ? AND fingerprint = ?
        """)
    var fixed: [ChangedFinding] = []
    // Only the findings not seen are decoded whole (evidence and all).
    for row in rows {
      let fingerprint: String = try row.decode(atIndex: 1)
      guard !seen.contains(fingerprint) else { continue }
      try fix.execute(arguments: [runID, lastSeen, repository, fingerprint])
      fixed.append(ChangedFinding(repository: repository, try finding(row)))
    }
    return fixed
  }

  /// Inserts or refreshes each fingerprint's row (the first place it occurs), open again if it was fixed;
  /// returns the ones that were not open, and every fingerprint seen.
  static func upsertFindings(_ result: RepositoryResult, runID: Int64, _ db: Database) throws -> (
    new: [ChangedFinding], seen: Set<String>
  ) {
    var order: [String] = []
    var first: [String: (finding: Finding, count: Int)] = [:]
    for finding in result.findings {
      if let seen = first[finding.fingerprint] {
        first[finding.fingerprint] = (seen.finding, seen.count + 1)
      } else {
        order.append(finding.fingerprint)
        first[finding.fingerprint] = (finding, 1)
      }
    }
    // Fingerprint → the run that fixed it (nil while open), for every finding the store knows here.
    var known: [String: Int64?] = [:]
    let rows = try Row.fetchCursor(
      db.cachedStatement(sql: "SELECT fingerprint, fixed_in_run FROM findings WHERE repository = ?"),
      arguments: [result.name])
    while let row = try rows.next() { known[try row.decode(atIndex: 0)] = try row.decode(atIndex: 1) as Int64? }
    let upsert = try db.cachedStatement(sql: upsertFinding)
    var new: [ChangedFinding] = []
    for fingerprint in order {
      guard let (finding, count) = first[fingerprint] else { continue }
      if let fixedIn = known[fingerprint] {
        if fixedIn != nil { new.append(ChangedFinding(repository: result.name, finding)) }
      } else {
        new.append(ChangedFinding(repository: result.name, finding))
      }
      try upsert.execute(
        arguments: [
          result.name, fingerprint, finding.rule, finding.severity.rawValue, finding.message, finding.path,
          finding.line, count, finding.commit?.sha, finding.commit?.author, finding.commit?.email,
          finding.commit?.time, finding.commit?.summary, finding.evidence.serialized(), runID,
        ])
    }
    return (new, Set(order))
  }

  static let upsertFinding = """
    INSERT INTO findings (repository, fingerprint, rule, severity, message, path, line, occurrences, commit_sha,
      commit_author, commit_email, commit_time, commit_summary, evidence, first_seen_run)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (repository, fingerprint) DO UPDATE SET
      rule = excluded.rule, severity = excluded.severity, message = excluded.message, path = excluded.path,
      line = excluded.line, occurrences = excluded.occurrences, commit_sha = excluded.commit_sha,
      commit_author = excluded.commit_author, commit_email = excluded.commit_email,
      commit_time = excluded.commit_time, commit_summary = excluded.commit_summary, evidence = excluded.evidence,
      fixed_in_run = NULL, last_seen_run = NULL
    """

  /// The columns `finding(_:)` reads, in its order, from `findingsSeen`.
  static let findingColumns = [
    "f.repository", "f.fingerprint", "f.rule", "f.severity", "f.message", "f.path", "f.line", "f.commit_sha",
    "f.commit_author", "f.commit_email", "f.commit_time", "f.commit_summary", "f.evidence", "f.first_seen_run",
    "coalesce(f.last_seen_run, r.seen_run)", "f.occurrences",
  ].joined(separator: ", ")

  /// Findings (`f`) with their repository (`r`), whose seen run is an open finding's last-seen run.
  static let findingsSeen = "findings f JOIN repositories r ON r.name = f.repository"

  /// Keeps a tag's current observation open while it points at the same object; closes it (last seen: `lastSeen`,
  /// the last run that read the repository before this one) when the tag is gone or moved, and opens one for
  /// each new or moved tag. Most nights nothing moved and nothing is written.
  /// Returns whether the tags differ from those last observed (one added, moved or deleted).
  @discardableResult
  static func observe(
    _ tags: [String: String], repository: String, lastSeen: Int64?, runID: Int64, _ db: Database
  ) throws -> Bool {
    var current: [String: (objectID: String, firstSeenRun: Int64)] = [:]
    let rows = try Row.fetchCursor(
      db.cachedStatement(
        sql: """
          SELECT tag, object_id, first_seen_run FROM tag_observations
          WHERE repository = ? AND last_seen_run IS NULL
          """),
      arguments: [repository])
    while let row = try rows.next() {
      current[try row.decode(atIndex: 0)] = (try row.decode(atIndex: 1), try row.decode(atIndex: 2))
    }
    let close = try db.cachedStatement(
      sql: """
        UPDATE tag_observations SET last_seen_run = coalesce(?, first_seen_run)
        WHERE repository = ? AND tag = ? AND first_seen_run = ?
        """)
    let open = try db.cachedStatement(
      sql: """
        INSERT INTO tag_observations (repository, tag, object_id, first_seen_run, last_seen_run)
        VALUES (?, ?, ?, ?, NULL)
        ON CONFLICT (repository, tag, first_seen_run) DO UPDATE SET object_id = excluded.object_id,
          last_seen_run = NULL
        """)
    for (tag, observed) in current.sorted(by: { $0.key < $1.key }) where tags[tag] != observed.objectID {
      // One opened by this very run is replaced below rather than closed before it began.
      guard observed.firstSeenRun != runID || tags[tag] == nil else { continue }
      try close.execute(arguments: [lastSeen, repository, tag, observed.firstSeenRun])
    }
    var differ = current.contains { tag, observed in tags[tag] != observed.objectID }
    for (tag, objectID) in tags.sorted(by: { $0.key < $1.key }) where current[tag]?.objectID != objectID {
      try open.execute(arguments: [repository, tag, objectID, runID])
      differ = true
    }
    return differ
  }

  static func writeCounts(runID: Int64, new: [ChangedFinding], fixed: [ChangedFinding], _ db: Database) throws {
    var counts: [String: (open: Int, new: Int, fixed: Int)] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT rule, count(*) AS open FROM findings WHERE fixed_in_run IS NULL GROUP BY rule")
    {
      counts[try row.decode(forColumn: "rule"), default: (0, 0, 0)].open = try row.decode(forColumn: "open")
    }
    for finding in new { counts[finding.rule, default: (0, 0, 0)].new += 1 }
    for finding in fixed { counts[finding.rule, default: (0, 0, 0)].fixed += 1 }
    for (rule, count) in counts.sorted(by: { $0.key < $1.key }) {
      try db.execute(
        sql: "INSERT INTO run_counts (run, rule, open_findings, new_findings, fixed_findings) VALUES (?, ?, ?, ?, ?)",
        arguments: [runID, rule, count.open, count.new, count.fixed])
    }
  }

  // MARK: - Rows and errors

  static func storedRun(_ row: Row) throws -> StoredRun {
    StoredRun(
      id: try row.decode(forColumn: "id"), startedAt: try row.decode(forColumn: "started_at"),
      finishedAt: try row.decode(forColumn: "finished_at"), plumbVersion: try row.decode(forColumn: "plumb_version"),
      policyHash: try row.decode(forColumn: "policy_hash"), shard: try row.decode(forColumn: "shard"),
      complete: try row.decode(forColumn: "complete"))
  }

  /// A finding from a row selected with `findingColumns`.
  static func finding(_ row: Row) throws -> Finding {
    let severity: String = try row.decode(atIndex: 3)
    let sha: String? = try row.decode(atIndex: 7)
    let evidence: String = try row.decode(atIndex: 12)
    return Finding(
      rule: try row.decode(atIndex: 2), severity: Severity(rawValue: severity) ?? .error,
      message: try row.decode(atIndex: 4), path: try row.decode(atIndex: 5), line: try row.decode(atIndex: 6),
      fingerprint: try row.decode(atIndex: 1),
      commit: try sha.map { sha in
        CommitRef(
          sha: sha, author: try row.decode(atIndex: 8) ?? "", email: try row.decode(atIndex: 9) ?? "",
          time: try row.decode(atIndex: 10) ?? "", summary: try row.decode(atIndex: 11) ?? "")
      },
      evidence: (try? JSONParser.parse(evidence)) ?? .object([]))
  }

  static func changeOrder(_ a: ChangedFinding, _ b: ChangedFinding) -> Bool {
    (a.repository, a.path ?? "", a.line ?? 0, a.rule, a.fingerprint)
      < (b.repository, b.path ?? "", b.line ?? 0, b.rule, b.fingerprint)
  }

  func access<T>(_ body: (Database) throws -> T) throws -> T {
    try Self.translating(path) { try queue.inDatabase(body) }
  }

  /// SQLite's errors in the store's words: a lock held elsewhere is "another plumb run", not SQLITE_BUSY.
  static func translating<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: throw StoreError.busy(path: path)
      case .SQLITE_NOTADB: throw StoreError.notAStore(path: path)
      default: throw StoreError.database(path: path, message: error.message ?? "\(error)")
      }
    } catch {
      throw StoreError.database(path: path, message: "\(error)")
    }
  }
}
