import PlumbCore

/// `plumb/findings@1`, exactly as DESIGN.md writes it (plus a `run` block for reproducibility).
public enum JSONReport {
  public static let schema = "plumb/findings@1"

  public static func document(_ results: [RepositoryResult], run: RunInfo) -> JSONValue {
    let summary = Summary(results)
    return .object([
      ("schema", .string(schema)),
      ("tool", .object([("name", .string(RunInfo.toolName)), ("version", .string(RunInfo.version))])),
      ("repositories", .array(results.map(repository))),
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
    ])
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
