import GRDB

/// The store's tables, as numbered migrations: a migration once released is never edited, only followed.
enum StoreSchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in try db.execute(sql: v1) }
    migrator.registerMigration("v2") { db in try db.execute(sql: v2) }
    migrator.registerMigration("v3") { db in try db.execute(sql: v3) }
    return migrator
  }

  /// Comments stay in sqlite_master, so `sqlite3 store.db .schema` explains the columns.
  static let v1 = """
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,            -- 1, 2, 3... in the order runs began
      started_at TEXT NOT NULL,          -- ISO 8601, UTC
      finished_at TEXT,                  -- set when the run committed
      plumb_version TEXT NOT NULL,
      policy_hash TEXT NOT NULL,
      shard TEXT,                        -- '2/8', 'merged 8 shards', or NULL for a whole-estate run
      complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1))  -- 1 once the run finished
    );

    CREATE TABLE repositories (
      name TEXT PRIMARY KEY,
      path TEXT NOT NULL,
      default_branch TEXT,
      ref TEXT,                          -- the ref last scanned, e.g. refs/heads/main
      last_head TEXT,                    -- the commit last scanned; kept when a later scan could not read it
      last_run INTEGER NOT NULL REFERENCES runs(id),
      status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
      error TEXT,
      team TEXT,                         -- from the estate manifest, when there is one
      tier TEXT,
      tags TEXT NOT NULL DEFAULT '[]'    -- JSON array of the manifest's tags
    );

    CREATE TABLE findings (
      id INTEGER PRIMARY KEY,
      repository TEXT NOT NULL REFERENCES repositories(name),
      fingerprint TEXT NOT NULL,
      rule TEXT NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('note', 'warning', 'error')),
      message TEXT NOT NULL,
      path TEXT,
      line INTEGER,
      occurrences INTEGER NOT NULL DEFAULT 1,  -- places in the latest scan with this fingerprint (the first is kept)
      commit_sha TEXT,                   -- the commit that introduced it; NULL without attribution
      commit_author TEXT,
      commit_email TEXT,
      commit_time TEXT,
      commit_summary TEXT,
      evidence TEXT NOT NULL DEFAULT '{}',  -- JSON, keys in the rule's order
      first_seen_run INTEGER NOT NULL REFERENCES runs(id),
      last_seen_run INTEGER NOT NULL REFERENCES runs(id),
      fixed_in_run INTEGER REFERENCES runs(id)  -- NULL while open; cleared if it comes back
    );
    CREATE UNIQUE INDEX findings_by_fingerprint ON findings(repository, fingerprint);
    CREATE INDEX findings_by_fix ON findings(fixed_in_run);

    CREATE TABLE tag_observations (      -- one row per tag and object id, for as long as the tag pointed there
      repository TEXT NOT NULL REFERENCES repositories(name),
      tag TEXT NOT NULL,
      object_id TEXT NOT NULL,
      first_seen_run INTEGER NOT NULL REFERENCES runs(id),
      last_seen_run INTEGER NOT NULL REFERENCES runs(id),
      PRIMARY KEY (repository, tag, first_seen_run)
    );

    CREATE TABLE scan_cache (            -- the last successful result per repository, reused while its key holds
      repository TEXT PRIMARY KEY REFERENCES repositories(name),
      cache_key TEXT NOT NULL,
      run INTEGER NOT NULL REFERENCES runs(id),
      result TEXT NOT NULL               -- the repository object of plumb/findings@1
    );

    CREATE TABLE run_counts (            -- per run and rule, written when the run finishes
      run INTEGER NOT NULL REFERENCES runs(id),
      rule TEXT NOT NULL,
      open_findings INTEGER NOT NULL,    -- open in the store once the run finished
      new_findings INTEGER NOT NULL,
      fixed_findings INTEGER NOT NULL,
      PRIMARY KEY (run, rule)
    );
    """

  /// The unchanged nightly re-run touches little: a finding's last-seen run moves to a narrow table (confirming
  /// 10,000 open findings no longer rewrites every wide row), and a cached result carries what the run needs
  /// without parsing it (its findings' count and worst severity) and the repository's refs for estate knowledge.
  static let v2 = """
    -- The last-seen runs below carry no foreign key: each run rewrites them all, and checking every row
    -- made confirming an unchanged estate three times slower; the run that writes one always exists.
    CREATE TABLE finding_sightings (     -- per finding, the last run that saw it (open findings: every run that read it)
      finding INTEGER PRIMARY KEY REFERENCES findings(id),
      last_seen_run INTEGER NOT NULL
    );
    INSERT INTO finding_sightings (finding, last_seen_run) SELECT id, last_seen_run FROM findings;

    CREATE TABLE tag_observations_v2 (   -- one row per tag and object id, for as long as the tag pointed there
      repository TEXT NOT NULL REFERENCES repositories(name),
      tag TEXT NOT NULL,
      object_id TEXT NOT NULL,
      first_seen_run INTEGER NOT NULL REFERENCES runs(id),
      last_seen_run INTEGER NOT NULL,
      PRIMARY KEY (repository, tag, first_seen_run)
    );
    INSERT INTO tag_observations_v2 SELECT repository, tag, object_id, first_seen_run, last_seen_run FROM tag_observations;
    DROP TABLE tag_observations;
    ALTER TABLE tag_observations_v2 RENAME TO tag_observations;

    CREATE TABLE findings_v2 (
      id INTEGER PRIMARY KEY,
      repository TEXT NOT NULL REFERENCES repositories(name),
      fingerprint TEXT NOT NULL,
      rule TEXT NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('note', 'warning', 'error')),
      message TEXT NOT NULL,
      path TEXT,
      line INTEGER,
      occurrences INTEGER NOT NULL DEFAULT 1,  -- places in the latest scan with this fingerprint (the first is kept)
      commit_sha TEXT,                   -- the commit that introduced it; NULL without attribution
      commit_author TEXT,
      commit_email TEXT,
      commit_time TEXT,
      commit_summary TEXT,
      evidence TEXT NOT NULL DEFAULT '{}',  -- JSON, keys in the rule's order
      first_seen_run INTEGER NOT NULL REFERENCES runs(id),
      fixed_in_run INTEGER REFERENCES runs(id)  -- NULL while open; cleared if it comes back
    );
    INSERT INTO findings_v2 (id, repository, fingerprint, rule, severity, message, path, line, occurrences, commit_sha,
      commit_author, commit_email, commit_time, commit_summary, evidence, first_seen_run, fixed_in_run)
    SELECT id, repository, fingerprint, rule, severity, message, path, line, occurrences, commit_sha,
      commit_author, commit_email, commit_time, commit_summary, evidence, first_seen_run, fixed_in_run FROM findings;
    DROP TABLE findings;
    ALTER TABLE findings_v2 RENAME TO findings;
    CREATE UNIQUE INDEX findings_by_fingerprint ON findings(repository, fingerprint);
    CREATE INDEX findings_by_fix ON findings(fixed_in_run, rule);  -- each run's open counts per rule, from the index
    CREATE INDEX findings_open_by_repository ON findings(repository, fixed_in_run);

    -- scan_cache.run is now the run that stored the result; a run that reuses it does not rewrite it.
    ALTER TABLE scan_cache ADD COLUMN finding_count INTEGER;  -- findings in the result (NULL: read the result)
    ALTER TABLE scan_cache ADD COLUMN worst_severity TEXT;    -- 'error', 'warning', 'note', or NULL with none
    ALTER TABLE scan_cache ADD COLUMN refs_fingerprint TEXT;  -- digest of the reference files when stored
    ALTER TABLE scan_cache ADD COLUMN refs TEXT;              -- JSON: tags, branches, remote addresses
    """

  /// An unchanged nightly re-run writes one row per repository: open findings and current tags are seen
  /// through their repository's `seen_run` instead of a row each, and results live apart from the cache's keys.
  static let v3 = """
    ALTER TABLE repositories ADD COLUMN seen_run INTEGER;  -- the last run that read it (scanned or reused): its open findings and current tags were seen then
    UPDATE repositories SET seen_run = CASE WHEN status = 'ok' THEN last_run ELSE (
      SELECT max(run) FROM (
        SELECT max(s.last_seen_run) AS run FROM findings f JOIN finding_sightings s ON s.finding = f.id
          WHERE f.repository = repositories.name AND f.fixed_in_run IS NULL
        UNION ALL SELECT max(last_seen_run) FROM tag_observations WHERE repository = repositories.name
        UNION ALL SELECT run FROM scan_cache WHERE repository = repositories.name)) END;
    ALTER TABLE repositories ADD COLUMN first_run INTEGER;  -- the first run that recorded it (older stores: the first sign of it)
    UPDATE repositories SET first_run = (
      SELECT min(run) FROM (
        SELECT min(first_seen_run) AS run FROM findings WHERE repository = repositories.name
        UNION ALL SELECT min(first_seen_run) FROM tag_observations WHERE repository = repositories.name
        UNION ALL SELECT run FROM scan_cache WHERE repository = repositories.name
        UNION ALL SELECT last_run));

    ALTER TABLE findings ADD COLUMN last_seen_run INTEGER;  -- NULL while open (seen through repositories.seen_run); once fixed, the last run that saw it
    UPDATE findings SET last_seen_run = (SELECT last_seen_run FROM finding_sightings WHERE finding = findings.id)
    WHERE fixed_in_run IS NOT NULL;
    DROP TABLE finding_sightings;

    CREATE TABLE tag_observations_v3 (   -- one row per tag and object id, for as long as the tag pointed there
      repository TEXT NOT NULL REFERENCES repositories(name),
      tag TEXT NOT NULL,
      object_id TEXT NOT NULL,
      first_seen_run INTEGER NOT NULL REFERENCES runs(id),
      last_seen_run INTEGER,             -- NULL while the tag still points there (seen through repositories.seen_run)
      PRIMARY KEY (repository, tag, first_seen_run)
    );
    INSERT INTO tag_observations_v3
    SELECT o.repository, o.tag, o.object_id, o.first_seen_run,
      CASE WHEN o.last_seen_run = r.seen_run THEN NULL ELSE o.last_seen_run END
    FROM tag_observations o LEFT JOIN repositories r ON r.name = o.repository;
    DROP TABLE tag_observations;
    ALTER TABLE tag_observations_v3 RENAME TO tag_observations;

    CREATE TABLE scan_results (          -- the cached result itself, apart: reading the cache's keys reads no result
      repository TEXT PRIMARY KEY REFERENCES scan_cache(repository),
      result TEXT NOT NULL               -- the repository object of plumb/findings@1, one jsonl line
    );
    INSERT INTO scan_results (repository, result) SELECT repository, result FROM scan_cache;
    ALTER TABLE scan_cache DROP COLUMN result;
    """
}
