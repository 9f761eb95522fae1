import Estate
import PlumbCore

/// "What changed since the last run", printed after a run that wrote the store.
public enum StoreSummary {
  /// At most this many new and fixed findings are listed one by one; the counts are always whole.
  static let listed = 20

  public static func text(_ changes: RunChanges, store: String, runID: Int64, total: Int, reused: Int) -> String {
    var lines: [String] = []
    if let previous = changes.previousRun {
      lines.append("store \(store): run \(runID) against run \(previous.id) (\(previous.startedAt))")
    } else {
      lines.append("store \(store): run \(runID), the first: everything is new")
    }
    lines.append(
      "  \(changes.new.count) new finding\(changes.new.count == 1 ? "" : "s"), \(changes.fixed.count) fixed; "
        + "\(changes.changedRepositories.count) repositor\(changes.changedRepositories.count == 1 ? "y" : "ies") changed, "
        + "\(changes.addedRepositories.count) added; \(reused) of \(total) results reused")
    for (label, findings) in [("new  ", changes.new), ("fixed", changes.fixed)] {
      for finding in findings.prefix(listed) {
        let place = finding.path.map { path in finding.line.map { "\(path):\($0)" } ?? path } ?? ""
        let severity = finding.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        lines.append("  \(label) \(severity) \(finding.repository)  \(finding.rule)  \(place)")
      }
      if findings.count > listed {
        lines.append("  … and \(findings.count - listed) more \(label.trimmingCharacters(in: .whitespaces))")
      }
    }
    if !changes.changedRepositories.isEmpty && changes.previousRun != nil {
      let names = changes.changedRepositories.prefix(listed).joined(separator: ", ")
      let more = changes.changedRepositories.count > listed ? ", …" : ""
      lines.append("  changed: \(names)\(more)")
    }
    return lines.joined(separator: "\n")
  }
}

/// The `store` block a shard adds to each repository line, so `plumb merge` can record the run as
/// an unsharded scan would have: the cache key and the tags' object ids.
public enum ShardLine {
  /// `reused` marks a result the shard took from the store unchanged, so the merge can count them as a run does.
  public static func storeBlock(cacheKey: String?, tags: [String: String], refs: CachedRefs?, reused: Bool)
    -> JSONValue
  {
    var pairs: [(String, JSONValue)] = [
      ("cache_key", cacheKey.map(JSONValue.string) ?? .null),
      ("tags", .object(tags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
    ]
    if let refs { pairs += [("refs_fingerprint", .string(refs.fingerprint)), ("refs", .string(refs.json))] }
    if reused { pairs.append(("reused", .bool(true))) }
    return .object(pairs)
  }

  /// Whether a shard line's result was reused from the store.
  public static func isReused(_ line: JSONValue) -> Bool {
    if case .bool(true)? = line["store"]?["reused"] { return true }
    return false
  }

  /// Reads the block back; nil fields when a line has none.
  public static func state(from line: JSONValue) -> (cacheKey: String?, tags: [String: String], refs: CachedRefs?) {
    let block = line["store"]
    var tags: [String: String] = [:]
    if case .object(let pairs)? = block?["tags"] {
      for (name, value) in pairs { if let id = value.stringValue { tags[name] = id } }
    }
    let refs = block?["refs_fingerprint"]?.stringValue.flatMap { fingerprint in
      block?["refs"]?.stringValue.map { CachedRefs(fingerprint: fingerprint, json: $0) }
    }
    return (block?["cache_key"]?.stringValue, tags, refs)
  }
}
