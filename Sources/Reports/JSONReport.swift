import PlumbCore

/// `plumb/findings@1`, exactly as DESIGN.md writes it (plus a `run` block for reproducibility).
public enum JSONReport {
  public static let schema = "plumb/findings@1"

  public static func document(_ results: [RepositoryResult], run: RunInfo) -> JSONValue {
    .object(head + [("repositories", .array(results.map(repository)))] + tail(results, run: run))
  }

  /// The same document (and `extra` fields after it), serialised one repository at a time: a large estate's
  /// findings are not held a second time as one JSON value.
  public static func write(
    _ results: [RepositoryResult], run: RunInfo, extra: [(String, JSONValue)] = [], indent: Int?,
    _ emit: ([UInt8]) throws -> Void
  ) rethrows {
    try JSONValue.streamObject(
      head, array: "repositories", count: results.count, tail: tail(results, run: run) + extra, indent: indent,
      element: { repository(results[$0]) }, emit: emit)
  }

  static let head: [(String, JSONValue)] = [
    ("schema", .string(schema)),
    ("tool", .object([("name", .string(RunInfo.toolName)), ("version", .string(RunInfo.version))])),
  ]

  /// The fields after the repositories: totals and what the run was.
  static func tail(_ results: [RepositoryResult], run: RunInfo) -> [(String, JSONValue)] {
    let summary = Summary(results)
    return [
      (
        "summary",
        .object([
          ("repositories", .int(summary.repositories)),
          ("findings", .int(summary.findings)),
          ("by_severity", .object(summary.bySeverity.map { ($0.0.rawValue, .int($0.1)) })),
          ("by_rule", .object(summary.byRule.map { ($0.0, .int($0.1)) })),
        ])
      ),
      (
        "run",
        .object([
          ("policy_hash", .string(run.policyHash)), ("pack", .string(run.pack)), ("revision", JSONValue(run.revision)),
        ])
      ),
    ]
  }

  public static func repository(_ result: RepositoryResult) -> JSONValue { result.json }

  public static func finding(_ finding: Finding) -> JSONValue { finding.json }

  static func commit(_ commit: CommitRef) -> JSONValue { commit.json }

  /// One repository object per line, for shards and streaming.
  public static func lines(_ results: [RepositoryResult]) -> String {
    results.map { repository($0).serialized() + "\n" }.joined()
  }
}

extension JSONReport {
  public static let shardSchema = "plumb/shard@1"

  /// The last line of a shard's jsonl: which slice it is and that it ran to the end, for `plumb merge`.
  public static func shardTrailer(shard: String, repositories: Int, run: RunInfo) -> JSONValue {
    .object([
      ("schema", .string(shardSchema)),
      ("shard", .string(shard)),
      ("repositories", .int(repositories)),
      ("tool", .object([("name", .string(RunInfo.toolName)), ("version", .string(RunInfo.version))])),
      (
        "run",
        .object([
          ("policy_hash", .string(run.policyHash)), ("pack", .string(run.pack)), ("revision", JSONValue(run.revision)),
        ])
      ),
    ])
  }
}
