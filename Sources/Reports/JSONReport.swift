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

extension JSONReport {
  /// Reads back one repository object of `plumb/findings@1` (a jsonl line, a shard line), so merged
  /// and cached results are the very results the scan wrote. Nil when the object is not one.
  public static func decodeRepository(_ value: JSONValue) -> RepositoryResult? {
    guard let path = value["path"]?.stringValue, let name = value["name"]?.stringValue,
      let status = value["status"]?.stringValue.flatMap(RepositoryResult.Status.init(rawValue:))
    else { return nil }
    var findings: [Finding] = []
    for item in value["findings"]?.arrayValue ?? [] {
      guard let finding = decodeFinding(item) else { return nil }
      findings.append(finding)
    }
    let metadata = RepositoryMetadata(
      team: value["team"]?.stringValue, tier: value["tier"]?.stringValue,
      tags: value["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    return RepositoryResult(
      path: path, name: name, head: value["head"]?.stringValue, ref: value["ref"]?.stringValue, status: status,
      error: value["error"]?.stringValue, findings: findings, metadata: metadata)
  }

  static func decodeFinding(_ value: JSONValue) -> Finding? {
    guard let rule = value["rule"]?.stringValue, let message = value["message"]?.stringValue,
      let severity = value["severity"]?.stringValue.flatMap(Severity.init(rawValue:)),
      let fingerprint = value["fingerprint"]?.stringValue
    else { return nil }
    var commit: CommitRef?
    if let sha = value["commit"]?["sha"]?.stringValue, let object = value["commit"] {
      commit = CommitRef(
        sha: sha, author: object["author"]?.stringValue ?? "", email: object["email"]?.stringValue ?? "",
        time: object["time"]?.stringValue ?? "", summary: object["summary"]?.stringValue ?? "")
    }
    return Finding(
      rule: rule, severity: severity, message: message, path: value["path"]?.stringValue,
      line: value["line"]?.intValue, fingerprint: fingerprint, commit: commit,
      evidence: value["evidence"] ?? .object([]))
  }
}
