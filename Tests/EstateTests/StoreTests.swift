import FixtureKit
import Foundation
import GRDB
import PlumbCore
import XCTest

@testable import Estate

/// The SQLite store on real files, with results from scanning real repositories.
final class StoreTests: XCTestCase {
  /// A CODEOWNERS pattern that matches nothing appears, persists, is fixed and comes back.
  let history = """
    commits:
      - message: owners with a dead pattern
        author: Ann <ann@acme.test>
        date: 2026-01-01T00:00:00Z
        files:
          CODEOWNERS: "* @acme/platform\\n/gone/ @acme/ghosts\\n"
          README.md: "# svc\\n"
      - message: unrelated edit
        author: Bob <bob@acme.test>
        date: 2026-01-02T00:00:00Z
        files:
          README.md: "# svc\\n\\nMore.\\n"
      - message: drop the dead pattern
        author: Cleo <cleo@acme.test>
        date: 2026-01-03T00:00:00Z
        files:
          CODEOWNERS: "* @acme/platform\\n"
      - message: bring the dead pattern back
        author: Dan <dan@acme.test>
        date: 2026-01-04T00:00:00Z
        files:
          CODEOWNERS: "* @acme/platform\\n/gone/ @acme/ghosts\\n"
    """

  let deadPattern = "ownership/pattern-matches-nothing"

  func testOpeningAnEmptyFileAppliesTheMigrationsAndCreatesTheTables() throws {
    let folder = TemporaryFolder("store")
    let path = folder.path + "/plumb.db"
    let store = try EstateStore.open(path: path)
    XCTAssertEqual(try store.runs(), [])
    XCTAssertEqual(try store.repositories(), [])
    let (migrations, tables, journal) = try DatabaseQueue(path: path).read { db in
      (
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
        try String.fetchOne(db, sql: "PRAGMA journal_mode")
      )
    }
    XCTAssertEqual(migrations, ["v1", "v2", "v3"])
    XCTAssertEqual(
      tables,
      [
        "findings", "grdb_migrations", "repositories", "run_counts", "runs", "scan_cache", "scan_results",
        "tag_observations",
      ])
    XCTAssertEqual(journal, "wal")
  }

  func testReopeningKeepsEveryRunAndFinding() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    var result = try scan(repository.path)
    result.metadata = RepositoryMetadata(team: "payments", tier: "1", tags: ["pci"])
    let path = folder.path + "/plumb.db"
    do {
      let store = try EstateStore.open(path: path)
      let run = try store.beginRun(
        startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p1", shard: "1/2")
      try store.record(result, cacheKey: "k1", tags: ["v1.0.0": "abc"], runID: run, defaultBranch: "main")
      _ = try store.finishRun(run, finishedAt: "2026-02-01T00:01:00Z")
    }
    let reopened = try EstateStore.open(path: path)
    XCTAssertEqual(
      try reopened.runs(),
      [
        StoredRun(
          id: 1, startedAt: "2026-02-01T00:00:00Z", finishedAt: "2026-02-01T00:01:00Z", plumbVersion: "0.1.0",
          policyHash: "p1", shard: "1/2", complete: true)
      ])
    let repositories = try reopened.repositories()
    XCTAssertEqual(repositories.map(\.name), ["svc"])
    XCTAssertEqual(repositories.first?.lastHead, result.head)
    XCTAssertEqual(repositories.first?.firstRun, 1)
    XCTAssertEqual(repositories.first?.defaultBranch, "main")
    XCTAssertEqual(repositories.first?.ref, "refs/heads/main")
    XCTAssertEqual(repositories.first?.status, .ok)
    XCTAssertEqual(repositories.first?.metadata, result.metadata)
    XCTAssertFalse(result.findings.isEmpty)
    XCTAssertEqual(
      try reopened.openFindings().map(\.finding.fingerprint),
      distinctFingerprints(result.findings.sorted(by: Finding.reportOrder)))
    XCTAssertEqual(try reopened.recordedTags(repository: "svc"), ["v1.0.0": "abc"])
    XCTAssertEqual(try reopened.cachedResult(repository: "svc", cacheKey: "k1"), result)
  }

  func testAStoreWrittenByANewerPlumbIsRefusedAndLeftAsItIs() throws {
    let folder = TemporaryFolder("store")
    let path = folder.path + "/plumb.db"
    do {
      let store = try EstateStore.open(path: path)
      let run = try store.beginRun(
        startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      _ = try store.finishRun(run, finishedAt: "2026-02-01T00:00:01Z")
    }
    try DatabaseQueue(path: path).write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
    }
    XCTAssertThrowsError(try EstateStore.open(path: path)) { error in
      XCTAssertEqual(error as? StoreError, .newerStore(path: path, unknownMigrations: ["v9-from-the-future"]))
      XCTAssertTrue("\(error)".contains("newer plumb"), "\(error)")
    }
    let (migrations, runs) = try DatabaseQueue(path: path).read { db in
      (
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM runs")
      )
    }
    XCTAssertEqual(migrations, ["v1", "v2", "v3", "v9-from-the-future"])
    XCTAssertEqual(runs, 1)
  }

  func testAStoreFromTheFirstSchemaIsMigratedKeepingItsRunsAndFindings() throws {
    let folder = TemporaryFolder("store")
    let path = folder.path + "/plumb.db"
    let repository = try folder.repository("svc", yaml: history)
    let dead = try scan(repository.path)
    XCTAssertTrue(dead.findings.contains { $0.rule == deadPattern })
    // A store as the first released plumb left it: schema v1 only, two runs, the second fixing the finding.
    try olderStore(at: path, schema: [StoreSchema.v1]) { db in
      try db.execute(
        sql: """
          INSERT INTO runs (id, started_at, plumb_version, policy_hash, complete) VALUES
            (1, '2026-01-01T00:00:00Z', '0.1.0', 'p', 1), (2, '2026-01-02T00:00:00Z', '0.1.0', 'p', 1);
          INSERT INTO repositories (name, path, last_head, last_run, status) VALUES ('svc', '/svc', 'abc', 2, 'ok');
          INSERT INTO findings (repository, fingerprint, rule, severity, message, first_seen_run, last_seen_run,
            fixed_in_run) VALUES ('svc', 'f1', 'ownership/pattern-matches-nothing', 'warning', 'dead', 1, 1, 2),
            ('svc', 'f2', 'runbook/missing', 'error', 'no runbook', 1, 2, NULL);
          INSERT INTO scan_cache (repository, cache_key, run, result) VALUES ('svc', 'old-key', 2, '{}');
          """)
    }
    let store = try EstateStore.open(path: path)
    let open = try store.openFindings()
    XCTAssertEqual(open.map(\.finding.fingerprint), ["f2"])
    XCTAssertEqual(open.first?.lastSeenRun, 2)
    XCTAssertEqual(open.first?.firstSeenRun, 1)
    XCTAssertEqual(try store.findingSpans().map(\.fixedInRun), [2, nil])
    let row = try XCTUnwrap(try store.cacheRows()["svc"])
    XCTAssertEqual(row.cacheKey, "old-key")
    XCTAssertNil(row.findingCount, "a v1 cache row has no summary, so it is read rather than trusted")
    let (migrations, lastSeen) = try DatabaseQueue(path: path).read { db in
      (
        try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
        try String.fetchAll(
          db, sql: "SELECT fingerprint || ':' || coalesce(last_seen_run, 'open') FROM findings ORDER BY id")
      )
    }
    XCTAssertEqual(migrations, ["v1", "v2", "v3"])
    XCTAssertEqual(
      lastSeen, ["f1:1", "f2:open"], "a fixed finding keeps its last run; an open one is its repository's")

    // The migrated store goes on: a new run sees the dead pattern again and fixes the runbook finding.
    let run = try store.beginRun(startedAt: "2026-01-03T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.record(dead, cacheKey: "new-key", tags: [:], runID: run)
    let changes = try store.finishRun(run, finishedAt: "2026-01-03T00:00:01Z")
    XCTAssertEqual(changes.fixed.map(\.fingerprint), ["f2"])
    XCTAssertTrue(changes.new.contains { $0.rule == deadPattern })
  }

  func testAStoreFromTheSecondSchemaKeepsEveryLastSeenRunAndCachedResult() throws {
    let folder = TemporaryFolder("store")
    let path = folder.path + "/plumb.db"
    // A store as plumb left it with schema v2: "svc" read by run 3 (its tag v0 deleted then); "down" last
    // read by run 2 and unreadable in run 3.
    try olderStore(at: path, schema: [StoreSchema.v1, StoreSchema.v2]) { db in
      try db.execute(
        sql: """
          INSERT INTO runs (id, started_at, plumb_version, policy_hash, complete) VALUES
            (1, '2026-01-01T00:00:00Z', '0.1.0', 'p', 1), (2, '2026-01-02T00:00:00Z', '0.1.0', 'p', 1),
            (3, '2026-01-03T00:00:00Z', '0.1.0', 'p', 1);
          INSERT INTO repositories (name, path, last_run, status) VALUES ('svc', '/svc', 3, 'ok'),
            ('down', '/down', 3, 'error');
          INSERT INTO findings (id, repository, fingerprint, rule, severity, message, first_seen_run, fixed_in_run)
          VALUES (1, 'svc', 'f1', 'runbook/missing', 'error', 'gone', 1, 3),
            (2, 'svc', 'f2', 'runbook/missing', 'error', 'open', 1, NULL),
            (3, 'down', 'd1', 'runbook/missing', 'error', 'open', 1, NULL);
          INSERT INTO finding_sightings (finding, last_seen_run) VALUES (1, 2), (2, 3), (3, 2);
          INSERT INTO tag_observations (repository, tag, object_id, first_seen_run, last_seen_run) VALUES
            ('svc', 'v1', 'a1', 1, 3), ('svc', 'v0', 'z0', 1, 2), ('down', 't1', 'b1', 1, 2);
          INSERT INTO scan_cache (repository, cache_key, run, result, finding_count, worst_severity)
          VALUES ('svc', 'key', 2, '{"name":"svc"}', 1, 'error');
          """)
    }
    let store = try EstateStore.open(path: path)
    func lastSeen() throws -> [String] {
      try store.openFindings().map { "\($0.finding.fingerprint):\($0.lastSeenRun)" }
    }
    func tagSpans() throws -> [String] {
      try DatabaseQueue(path: path).read { db in
        try String.fetchAll(
          db,
          sql: """
            SELECT o.repository || ' ' || tag || ' ' || object_id || ' ' || first_seen_run || '-'
              || coalesce(o.last_seen_run, r.seen_run) FROM tag_observations o
            JOIN repositories r ON r.name = o.repository ORDER BY o.repository, tag
            """)
      }
    }
    XCTAssertEqual(try lastSeen(), ["d1:2", "f2:3"])
    XCTAssertEqual(try store.repositories().map(\.firstRun), [1, 1], "from the first sign of each")
    XCTAssertEqual(try tagSpans(), ["down t1 b1 1-2", "svc v0 z0 1-2", "svc v1 a1 1-3"])
    let fixedLastSeen = try DatabaseQueue(path: path).read { db in
      try Int.fetchOne(db, sql: "SELECT last_seen_run FROM findings WHERE fingerprint = 'f1'")
    }
    XCTAssertEqual(fixedLastSeen, 2)
    XCTAssertEqual(try store.cachedResultText(repository: "svc"), #"{"name":"svc"}"#)
    XCTAssertEqual(try store.cacheRows()["svc"]?.cacheKey, "key")
    XCTAssertEqual(try store.cacheRows()["svc"]?.findingCount, 1)

    // The next run reuses svc: its open finding and its current tag are seen through run 4, nothing else moves.
    let run = try store.beginRun(startedAt: "2026-01-04T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.confirmUnchanged(["svc"], runID: run)
    _ = try store.finishRun(run, finishedAt: "2026-01-04T00:00:01Z")
    XCTAssertEqual(try lastSeen(), ["d1:2", "f2:4"])
    XCTAssertEqual(try tagSpans(), ["down t1 b1 1-2", "svc v0 z0 1-2", "svc v1 a1 1-4"])
  }

  func testConfirmingUnchangedRepositoriesRecordsWhatRecordingTheirCachedResultsWould() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let other = try folder.repository("lib", yaml: history)
    let results = [try scan(repository.path), try scan(other.path)]
    let tags = ["svc": ["v1": "aaa", "v2": "bbb"], "lib": [:]]
    var dumps: [[String]] = []
    for confirming in [false, true] {
      let path = folder.path + "/plumb-\(confirming).db"
      let store = try EstateStore.open(path: path)
      for round in 1...3 {
        let run = try store.beginRun(
          startedAt: "2026-02-0\(round)T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
        if confirming && round > 1 {
          try store.confirmUnchanged(["svc", "lib"], runID: run)
        } else {
          for result in results {
            try store.record(result, cacheKey: "k-" + result.name, tags: tags[result.name] ?? [:], runID: run)
          }
        }
        let changes = try store.finishRun(run, finishedAt: "2026-02-0\(round)T00:00:01Z")
        if round > 1 { XCTAssertTrue(changes.new.isEmpty && changes.fixed.isEmpty) }
      }
      let open = try store.openFindings()
      XCTAssertFalse(open.isEmpty)
      XCTAssertEqual(Set(open.map(\.lastSeenRun)), [3], "every open finding was seen by the last run")
      dumps.append(try dump(path))
    }
    XCTAssertEqual(dumps[1], dumps[0])
    XCTAssertEqual(dumps[0].filter { $0.hasPrefix("tag_observations") }.count, 2)
    XCTAssertTrue(dumps[0].filter { $0.hasPrefix("tag_observations") }.allSatisfy { $0.contains("last_seen_run:NULL") })
    XCTAssertEqual(dumps[0].filter { $0.hasPrefix("repositories") && $0.contains("seen_run:3") }.count, 2)
  }

  func testWhatIsFixedOrDeletedAfterReusedRunsWasLastSeenByTheLastOfThem() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let path = folder.path + "/plumb.db"
    let store = try EstateStore.open(path: path)
    for round in 1...4 {
      let run = try store.beginRun(
        startedAt: "2026-02-0\(round)T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      switch round {
      case 1:
        try store.record(
          try scan(repository.path, revision: "HEAD~2"), cacheKey: "k1", tags: ["v1": "a", "v2": "b"],
          runID: run)
      case 2, 3: try store.confirmUnchanged(["svc"], runID: run)
      default:
        try store.record(
          try scan(repository.path, revision: "HEAD~1"), cacheKey: "k2", tags: ["v1": "a", "v2": "c"],
          runID: run)
      }
      _ = try store.finishRun(run, finishedAt: "2026-02-0\(round)T00:00:01Z")
    }
    let (fixed, tags) = try DatabaseQueue(path: path).read { db in
      (
        try String.fetchAll(
          db, sql: "SELECT last_seen_run || '/' || fixed_in_run FROM findings WHERE rule = ?", arguments: [deadPattern]),
        try String.fetchAll(
          db,
          sql: """
            SELECT tag || ' ' || object_id || ' ' || first_seen_run || '-' || coalesce(o.last_seen_run, r.seen_run)
            FROM tag_observations o JOIN repositories r ON r.name = o.repository ORDER BY tag, first_seen_run
            """)
      )
    }
    XCTAssertEqual(fixed, ["3/4"], "seen by the reused runs 2 and 3, fixed in run 4")
    XCTAssertEqual(tags, ["v1 a 1-4", "v2 b 1-3", "v2 c 4-4"])
    XCTAssertEqual(try store.openFindings(), [], "the dead pattern was the only finding")
  }

  func testAFileThatIsNotAPlumbStoreIsRefusedAndLeftAsItIs() throws {
    let folder = TemporaryFolder("store")
    let text = folder.path + "/notes.txt"
    let content = String(repeating: "not a database at all\n", count: 100)
    try content.write(toFile: text, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try EstateStore.open(path: text)) { error in
      XCTAssertEqual(error as? StoreError, .notAStore(path: text))
    }
    XCTAssertEqual(try String(contentsOfFile: text, encoding: .utf8), content)

    let other = folder.path + "/other.db"
    try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE mine (x INTEGER)") }
    XCTAssertThrowsError(try EstateStore.open(path: other)) { error in
      XCTAssertEqual(error as? StoreError, .notAStore(path: other))
    }
    let tables = try DatabaseQueue(path: other).read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    XCTAssertEqual(tables, ["mine"])
  }

  func testFindingsAreFirstSeenKeptFixedAndReopenedAcrossRuns() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let store = try EstateStore.open(path: folder.path + "/plumb.db")
    var changes: [RunChanges] = []
    for (index, revision) in ["HEAD~3", "HEAD~2", "HEAD~1", "HEAD"].enumerated() {
      let result = try scan(repository.path, revision: revision)
      let run = try store.beginRun(
        startedAt: "2026-02-0\(index + 1)T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      XCTAssertEqual(run, Int64(index + 1))
      try store.record(result, cacheKey: nil, tags: [:], runID: run)
      changes.append(try store.finishRun(run, finishedAt: "2026-02-0\(index + 1)T00:05:00Z"))
      let open = try store.openFindings().filter { $0.finding.rule == deadPattern }
      switch index {
      case 0, 1:
        XCTAssertEqual(open.count, 1, "run \(run)")
        XCTAssertEqual(open.first?.firstSeenRun, 1)
        XCTAssertEqual(open.first?.lastSeenRun, run)
        XCTAssertEqual(open.first?.finding, result.findings.first { $0.rule == deadPattern })
      case 2:
        XCTAssertEqual(open, [], "dropped from CODEOWNERS in the third commit")
      default:
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?.firstSeenRun, 1, "first seen stays the first time it was ever seen")
        XCTAssertEqual(open.first?.lastSeenRun, 4)
        XCTAssertEqual(open.first?.finding.commit?.summary, "bring the dead pattern back")
      }
    }
    let newDead = changes.map { $0.new.filter { $0.rule == deadPattern }.count }
    let fixedDead = changes.map { $0.fixed.filter { $0.rule == deadPattern } }
    XCTAssertEqual(newDead, [1, 0, 0, 1])
    XCTAssertEqual(fixedDead.map(\.count), [0, 0, 1, 0])
    XCTAssertEqual(fixedDead[2].first?.repository, "svc")
    XCTAssertEqual(fixedDead[2].first?.path, "CODEOWNERS")
    XCTAssertEqual(fixedDead[2].first?.line, 2)
    XCTAssertEqual(changes.map(\.addedRepositories), [["svc"], [], [], []])
    XCTAssertEqual(changes.map(\.changedRepositories), [[], ["svc"], ["svc"], ["svc"]])
    XCTAssertEqual(changes.map { $0.previousRun?.id }, [nil, 1, 2, 3])

    let history = try store.findingHistory().filter { $0.rule == deadPattern }
    XCTAssertEqual(history.map(\.run), [1, 2, 3, 4])
    XCTAssertEqual(history.map(\.open), [1, 1, 0, 1])
    XCTAssertEqual(history.map(\.new), [1, 0, 0, 1])
    XCTAssertEqual(history.map(\.fixed), [0, 0, 1, 0])
  }

  func testAMovedAddedOrDeletedTagChangesARepositoryWhoseHeadStayed() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let store = try EstateStore.open(path: folder.path + "/plumb.db")
    let result = try scan(repository.path)
    var changed: [[String]] = []
    let tagSets: [[String: String]] = [
      ["v1": "aaa"], ["v1": "aaa"], ["v1": "bbb"], ["v1": "bbb", "v2": "ccc"], ["v2": "ccc"], ["v2": "ccc"],
    ]
    for (index, tags) in tagSets.enumerated() {
      let run = try store.beginRun(
        startedAt: "2026-02-0\(index + 1)T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      try store.record(result, cacheKey: "k\(index)", tags: tags, runID: run)
      changed.append(try store.finishRun(run, finishedAt: "2026-02-0\(index + 1)T00:00:01Z").changedRepositories)
    }
    XCTAssertEqual(changed, [[], [], ["svc"], ["svc"], ["svc"], []], "first run adds it; then moved, added, deleted")
  }

  func testAnUnreadableRepositoryKeepsItsFindingsOpen() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let store = try EstateStore.open(path: folder.path + "/plumb.db")
    let good = try scan(repository.path)
    let first = try store.beginRun(
      startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.record(good, cacheKey: "k", tags: ["v1": "aaa"], runID: first)
    _ = try store.finishRun(first, finishedAt: "2026-02-01T00:00:01Z")
    let before = try store.openFindings()
    XCTAssertFalse(before.isEmpty)

    let broken = try scanFailure(path: folder.path + "/svc", name: "svc")
    XCTAssertEqual(broken.status, .error)
    let second = try store.beginRun(
      startedAt: "2026-02-02T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.record(broken, cacheKey: "k2", tags: [:], runID: second)
    let changes = try store.finishRun(second, finishedAt: "2026-02-02T00:00:01Z")
    XCTAssertEqual(changes.fixed, [])
    XCTAssertEqual(changes.changedRepositories, [])
    XCTAssertEqual(try store.openFindings(), before)
    let stored = try XCTUnwrap(try store.repositories().first)
    XCTAssertEqual(stored.status, .error)
    XCTAssertEqual(stored.error, broken.error)
    XCTAssertEqual(stored.lastRun, second)
    XCTAssertEqual(stored.lastHead, good.head, "the last head that was read is kept")
    XCTAssertEqual(try store.recordedTags(repository: "svc"), ["v1": "aaa"])
    XCTAssertEqual(try store.cachedResult(repository: "svc", cacheKey: "k"), good)
    XCTAssertNil(try store.cachedResult(repository: "svc", cacheKey: "k2"), "a failed scan is never cached")
  }

  func testRepositoriesNotRecordedInARunKeepTheirFindings() throws {
    let folder = TemporaryFolder("store")
    let one = try folder.repository("one", yaml: history)
    let two = try folder.repository("two", yaml: history)
    let store = try EstateStore.open(path: folder.path + "/plumb.db")
    let first = try store.beginRun(
      startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: "1/2")
    try store.record(try scan(one.path), cacheKey: nil, tags: [:], runID: first)
    try store.record(try scan(two.path), cacheKey: nil, tags: [:], runID: first)
    _ = try store.finishRun(first, finishedAt: "2026-02-01T00:00:01Z")
    let twoBefore = try store.openFindings().filter { $0.repository == "two" }
    XCTAssertFalse(twoBefore.isEmpty)

    // The next run sees only "one", at the commit where the dead pattern is gone.
    let second = try store.beginRun(
      startedAt: "2026-02-02T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: "1/2")
    try store.record(try scan(one.path, revision: "HEAD~1"), cacheKey: nil, tags: [:], runID: second)
    let changes = try store.finishRun(second, finishedAt: "2026-02-02T00:00:01Z")
    XCTAssertEqual(changes.fixed.map(\.repository), ["one"])
    XCTAssertEqual(changes.fixed.map(\.rule), [deadPattern])
    XCTAssertEqual(try store.openFindings().filter { $0.repository == "two" }, twoBefore)
  }

  func testASecondRunOnTheSameStoreIsRefusedUntilTheFirstFinishes() throws {
    let folder = TemporaryFolder("store")
    let path = folder.path + "/plumb.db"
    let first = try EstateStore.open(path: path)
    let second = try EstateStore.open(path: path)
    let run = try first.beginRun(startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    XCTAssertThrowsError(
      try second.beginRun(startedAt: "2026-02-01T00:00:01Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    ) { error in
      XCTAssertEqual(error as? StoreError, .busy(path: path))
      XCTAssertTrue("\(error)".contains("another plumb run is using the store"), "\(error)")
    }
    XCTAssertEqual(try second.runs(), [], "others read what was committed, not the open run")
    XCTAssertNoThrow(try EstateStore.open(path: path), "opening only reads")
    _ = try first.finishRun(run, finishedAt: "2026-02-01T00:00:02Z")
    let next = try second.beginRun(
      startedAt: "2026-02-01T00:00:03Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    XCTAssertEqual(next, 2)
    _ = try second.finishRun(next, finishedAt: "2026-02-01T00:00:04Z")
    XCTAssertEqual(try first.runs().map(\.id), [1, 2])
  }

  func testARunDroppedWithoutFinishingLeavesTheStoreAsBefore() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let path = folder.path + "/plumb.db"
    try recordRun(path: path, results: [try scan(repository.path, revision: "HEAD~3")], tags: ["v1": "aaa"])
    let before = try dump(path)
    do {
      let store = try EstateStore.open(path: path)
      let run = try store.beginRun(
        startedAt: "2026-03-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      XCTAssertEqual(try store.openFindings().count, 1)
      try store.record(try scan(repository.path, revision: "HEAD~1"), cacheKey: "k2", tags: ["v1": "bbb"], runID: run)
      XCTAssertEqual(try store.openFindings().count, 0, "the open run fixed it, as seen inside the run")
    }
    XCTAssertEqual(try dump(path), before)
  }

  /// The test binary runs this same test as a child that records a run and waits; the parent kills it with SIGKILL.
  func testARunKilledHalfWayLeavesTheStoreAsBefore() throws {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["PLUMB_STORE_CHILD_STORE"], let repository = environment["PLUMB_STORE_CHILD_REPOSITORY"],
      let ready = environment["PLUMB_STORE_CHILD_READY"]
    {
      let store = try EstateStore.open(path: path)
      let run = try store.beginRun(
        startedAt: "2026-03-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      try store.record(try scan(repository, revision: "HEAD~1"), cacheKey: "k2", tags: ["v1": "bbb"], runID: run)
      XCTAssertTrue(FileManager.default.createFile(atPath: ready, contents: Data()))
      Thread.sleep(forTimeInterval: 120)
      return
    }
    #if os(Linux)
      let folder = TemporaryFolder("store")
      let repository = try folder.repository("svc", yaml: history)
      let path = folder.path + "/plumb.db"
      try recordRun(path: path, results: [try scan(repository.path, revision: "HEAD~3")], tags: ["v1": "aaa"])
      let before = try dump(path)

      let ready = folder.path + "/child-ready"
      let child = Process()
      child.executableURL = URL(
        fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      child.arguments = ["EstateTests.StoreTests/testARunKilledHalfWayLeavesTheStoreAsBefore"]
      child.environment = environment.merging(
        [
          "PLUMB_STORE_CHILD_STORE": path, "PLUMB_STORE_CHILD_REPOSITORY": repository.path,
          "PLUMB_STORE_CHILD_READY": ready,
        ], uniquingKeysWith: { $1 })
      child.standardOutput = FileHandle.nullDevice
      child.standardError = FileHandle.nullDevice
      try child.run()
      defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
      let deadline = Date().addingTimeInterval(120)
      while !FileManager.default.fileExists(atPath: ready) && child.isRunning && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.05)
      }
      XCTAssertTrue(FileManager.default.fileExists(atPath: ready), "the child recorded a run")

      let other = try EstateStore.open(path: path)
      XCTAssertThrowsError(
        try other.beginRun(startedAt: "2026-03-01T00:00:01Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil),
        "the child process holds the store"
      ) { error in XCTAssertEqual(error as? StoreError, .busy(path: path)) }

      kill(child.processIdentifier, SIGKILL)
      child.waitUntilExit()
      XCTAssertEqual(child.terminationReason, .uncaughtSignal)

      let reopened = try EstateStore.open(path: path)
      XCTAssertEqual(try dump(path), before)
      let run = try reopened.beginRun(
        startedAt: "2026-03-02T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      XCTAssertEqual(run, 2)
      _ = try reopened.finishRun(run, finishedAt: "2026-03-02T00:00:01Z")
    #else
      throw XCTSkip("needs /proc/self/exe to run the test binary as a child")
    #endif
  }

  func testACachedResultReadsBackEqualWithCommitsAndEvidenceInOrder() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let scanned = try scan(repository.path)
    XCTAssertTrue(scanned.findings.contains { $0.commit != nil }, "attribution is on")
    let crafted = RepositoryResult(
      path: "estate/odd", name: "odd", head: String(repeating: "ab", count: 20), ref: nil, status: .ok, error: nil,
      findings: [
        Finding(
          rule: "pins/module-unpinned", severity: .warning, message: "quote \" slash \\ tab \t ünïcödé 🚀", path: nil,
          line: nil, fingerprint: "f1",
          commit: CommitRef(sha: "c0ffee", author: "Zoë", email: "z@x", time: "2026-01-01T00:00:00Z", summary: "s"),
          evidence: .object([
            ("zeta", .int(-3)), ("alpha", .double(0.25)), ("nested", .object([("b", .null), ("a", [true, "x", 1])])),
            ("empty", .object([])), ("list", .array([])),
          ])),
        Finding(rule: "repo/parse-error", severity: .note, message: "m", path: "a b/c.tf", line: 7, fingerprint: "f2"),
      ])
    let store = try EstateStore.open(path: folder.path + "/plumb.db")
    let run = try store.beginRun(startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.record(scanned, cacheKey: "head+policy", tags: [:], runID: run)
    try store.record(crafted, cacheKey: "other", tags: [:], runID: run)
    _ = try store.finishRun(run, finishedAt: "2026-02-01T00:00:01Z")

    let cached = try XCTUnwrap(try store.cachedResult(repository: "svc", cacheKey: "head+policy"))
    XCTAssertEqual(cached, scanned)
    XCTAssertEqual(cached.json.serialized(), scanned.json.serialized())
    let odd = try XCTUnwrap(try store.cachedResult(repository: "odd", cacheKey: "other"))
    XCTAssertEqual(odd, crafted)
    XCTAssertEqual(
      odd.findings.first?.evidence.serialized(),
      #"{"zeta":-3,"alpha":0.25,"nested":{"b":null,"a":[true,"x",1]},"empty":{},"list":[]}"#)
    XCTAssertNil(try store.cachedResult(repository: "svc", cacheKey: "other"), "another key is a miss")
    let stored = try store.openFindings().first { $0.repository == "odd" && $0.finding.fingerprint == "f1" }
    XCTAssertEqual(stored?.finding, crafted.findings.first, "the findings table keeps commit and evidence too")
  }

  func testRecordedTagsAreTheLatestCompletedRunsObservations() throws {
    let folder = TemporaryFolder("store")
    let repository = try folder.repository("svc", yaml: history)
    let result = try scan(repository.path)
    let store = try EstateStore.open(path: folder.path + "/plumb.db")
    XCTAssertEqual(try store.recordedTags(repository: "svc"), [:])
    try recordRun(store, result, tags: ["v1": "a1", "v2": "b1"])
    XCTAssertEqual(try store.recordedTags(repository: "svc"), ["v1": "a1", "v2": "b1"])
    try recordRun(store, result, tags: ["v1": "a1", "v2": "b2", "v3": "c1"])
    XCTAssertEqual(
      try store.recordedTags(repository: "svc"), ["v1": "a1", "v2": "b1", "v3": "c1"],
      "a release is what it was first published as: v2 moving to b2 does not change the record")

    let run = try store.beginRun(startedAt: "2026-02-09T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.record(result, cacheKey: nil, tags: ["v1": "a9"], runID: run)
    XCTAssertEqual(
      try store.recordedTags(repository: "svc"), ["v1": "a1", "v2": "b1", "v3": "c1"],
      "the open run is not a completed one")
    _ = try store.finishRun(run, finishedAt: "2026-02-09T00:00:01Z")
    XCTAssertEqual(
      try store.recordedTags(repository: "svc"), ["v1": "a1", "v2": "b1", "v3": "c1"],
      "tags deleted since keep their first observation, so re-creating one elsewhere is noticed")
    XCTAssertEqual(try store.recordedTags(repository: "elsewhere"), [:])

    let rows = try DatabaseQueue(path: folder.path + "/plumb.db").read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT tag, object_id, first_seen_run, coalesce(o.last_seen_run, r.seen_run) AS last_seen_run
          FROM tag_observations o JOIN repositories r ON r.name = o.repository ORDER BY tag, first_seen_run
          """
      ).map {
        "\($0["tag"] as String) \($0["object_id"] as String) \($0["first_seen_run"] as Int)-\($0["last_seen_run"] as Int)"
      }
    }
    XCTAssertEqual(rows, ["v1 a1 1-2", "v1 a9 3-3", "v2 b1 1-1", "v2 b2 2-2", "v3 c1 2-2"])
  }

  // MARK: - Helpers

  func scan(_ path: String, revision: String? = nil) throws -> RepositoryResult {
    let result = try scanner(revision: revision).scan(RepositoryLocation(path: path))
    XCTAssertEqual(result.status, .ok, result.error ?? "")
    return result
  }

  /// What the scanner reports for a folder that holds no repository.
  func scanFailure(path: String, name: String) throws -> RepositoryResult {
    try scanner(revision: nil).scan(RepositoryLocation(path: path + "-missing", name: name))
  }

  func scanner(revision: String?) throws -> RepositoryScanner {
    let loader = PolicyLoader(catalog: try RuleCatalog.load(directory: projectRoot() + "/rules"))
    let options = ScanOptions(
      revision: revision, policy: try loader.estatePolicy(configText: nil, file: "plumb.yml"), today: "2026-11-21")
    return RepositoryScanner(options: options, loader: loader)
  }

  func recordRun(path: String, results: [RepositoryResult], tags: [String: String]) throws {
    let store = try EstateStore.open(path: path)
    for result in results { try recordRun(store, result, tags: tags) }
  }

  func recordRun(_ store: EstateStore, _ result: RepositoryResult, tags: [String: String]) throws {
    let run = try store.beginRun(startedAt: "2026-02-01T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    try store.record(result, cacheKey: "k", tags: tags, runID: run)
    _ = try store.finishRun(run, finishedAt: "2026-02-01T00:00:01Z")
  }

  /// Every row of every table, as text: two equal dumps are the same store.
  /// A store as an older plumb left it: only the first migrations of `schema`, then `rows` written.
  func olderStore(at path: String, schema: [String], rows: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path)
    var migrator = DatabaseMigrator()
    for (index, sql) in schema.enumerated() {
      migrator.registerMigration("v\(index + 1)") { db in try db.execute(sql: sql) }
    }
    try migrator.migrate(queue)
    try queue.write(rows)
  }

  func dump(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      var lines: [String] = []
      for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid") {
          lines.append("\(table) \(row)")
        }
      }
      return lines
    }
  }

  func distinctFingerprints(_ findings: [Finding]) -> [String] {
    var seen: Set<String> = []
    return findings.map(\.fingerprint).filter { seen.insert($0).inserted }
  }
}
