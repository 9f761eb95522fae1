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

  public static func repository(_ result: RepositoryResult) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("path", .string(result.path)),
      ("name", .string(result.name)),
    ]
    // Manifest facts only when a manifest gave them, so outputs without one keep DESIGN.md's shape.
    if let team = result.metadata.team { pairs.append(("team", .string(team))) }
    if let tier = result.metadata.tier { pairs.append(("tier", .string(tier))) }
    if !result.metadata.tags.isEmpty { pairs.append(("tags", JSONValue(result.metadata.tags))) }
    pairs += [
      ("head", JSONValue(result.head)),
      ("ref", JSONValue(result.ref)),
      ("status", .string(result.status.rawValue)),
    ]
    if let error = result.error { pairs.append(("error", .string(error))) }
    pairs.append(("findings", .array(result.findings.map(finding))))
    return .object(pairs)
  }

  public static func finding(_ finding: Finding) -> JSONValue {
    .object([
      ("rule", .string(finding.rule)),
      ("severity", .string(finding.severity.rawValue)),
      ("message", .string(finding.message)),
      ("path", JSONValue(finding.path)),
      ("line", JSONValue(finding.line)),
      ("fingerprint", .string(finding.fingerprint)),
      ("commit", finding.commit.map(commit) ?? .null),
      ("evidence", finding.evidence),
    ])
  }

  static func commit(_ commit: CommitRef) -> JSONValue {
    .object([
      ("sha", .string(commit.sha)), ("author", .string(commit.author)), ("email", .string(commit.email)),
      ("time", .string(commit.time)), ("summary", .string(commit.summary)),
    ])
  }

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
