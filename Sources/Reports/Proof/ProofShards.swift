import Estate
import PlumbCore

/// What one jsonl file of repository lines tells about estate waivers: the waivers its repositories used and,
/// from its trailer, which shard of which run it is (a file with no trailer cannot be known whole).
struct ShardEvidence: Sendable {
  var shard: Shard?
  var policyHash: String?
  /// The trailer's revision as written (JSON), so `null` and a name compare as they are.
  var revision: String?
  /// How many repository lines the trailer says the shard wrote.
  var declared: Int?
  var lines = 0
  var used: Set<String> = []
  var repositories: Set<String> = []
  var allReadable = true

  mutating func add(_ result: RepositoryResult) {
    lines += 1
    used.formUnion(result.estateWaiversMatched)
    repositories.insert(result.name)
    if result.status != .ok { allReadable = false }
  }

  mutating func add(trailer: JSONValue) {
    shard = trailer["shard"]?.stringValue.flatMap(Shard.init)
    policyHash = trailer["run"]?["policy_hash"]?.stringValue
    revision = trailer["run"]?["revision"]?.serialized()
    declared = trailer["repositories"]?.intValue
  }

  /// Estate waiver usage over a whole set of shards, as `plumb merge` would take it: one slicing, one policy and
  /// revision, every slice once, each file complete and every repository readable. Nil when any of that fails.
  static func usage(_ files: [ShardEvidence]) -> EstateWaiverUsage? {
    guard let first = files.first, let count = first.shard?.count, let policyHash = first.policyHash else {
      return nil
    }
    let whole = files.allSatisfy { file in
      file.shard?.count == count && file.policyHash == policyHash && file.revision == first.revision
        && file.declared == file.lines && file.allReadable
    }
    guard whole, files.compactMap(\.shard?.index).sorted() == Array(1...count) else { return nil }
    var usage = EstateWaiverUsage(used: [], repositories: [], policyHash: policyHash)
    for file in files {
      usage.used.formUnion(file.used)
      usage.repositories.formUnion(file.repositories)
    }
    return usage
  }
}

extension ProofInputs {
  /// What the jsonl inputs say of estate waivers when they are one whole set of shards; nil otherwise.
  public var shardWaiverUsage: EstateWaiverUsage? { ShardEvidence.usage(shardFiles) }
}
