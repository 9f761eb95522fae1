import Foundation

/// A previous JSON output whose findings are accepted for now: matched by fingerprint per repository.
public struct Baseline: Sendable {
  /// Repository name → fingerprints.
  public let fingerprints: [String: Set<String>]

  public struct LoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
  }

  /// Reads `plumb/findings@1` JSON (or jsonl) written by `plumb scan --format json` or `plumb baseline write`.
  public static func load(_ text: String, file: String) throws(LoadError) -> Baseline {
    var table: [String: Set<String>] = [:]
    func add(_ repository: [String: Any]) {
      guard let name = repository["name"] as? String else { return }
      for finding in repository["findings"] as? [[String: Any]] ?? [] {
        if let fingerprint = finding["fingerprint"] as? String { table[name, default: []].insert(fingerprint) }
      }
    }
    let data = Data(text.utf8)
    if let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let repositories = document["repositories"] as? [[String: Any]]
    {
      // Each repository named, with its findings: a file of another shape would hold nothing and suppress nothing.
      guard repositories.allSatisfy({ $0["name"] is String && $0["findings"] is [Any] }) else {
        throw LoadError(description: "\(file): not plumb JSON output (a repository without a name or findings)")
      }
      repositories.forEach(add)
    } else {
      for line in text.textLines where !line.isEmpty {
        // A jsonl line is a repository (name and findings) or a shard's trailer (schema); anything else is not
        // plumb's, and a baseline that silently held nothing would suppress nothing.
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          (object["name"] is String && object["findings"] is [Any]) || object["schema"] is String
        else {
          throw LoadError(description: "\(file): not plumb JSON output (expected plumb/findings@1 or jsonl)")
        }
        add(object)
      }
    }
    return Baseline(fingerprints: table)
  }

  /// The findings the baseline does not hold, and the baseline entries that matched nothing (fixed since).
  public func apply(_ result: RepositoryResult) -> (kept: RepositoryResult, unmatched: [String]) {
    let accepted = fingerprints[result.name] ?? []
    let kept = result.findings.filter { !accepted.contains($0.fingerprint) }
    let present = Set(result.findings.map(\.fingerprint))
    let unmatched = result.status == .ok ? accepted.subtracting(present).sorted() : []
    var reported = RepositoryResult(
      path: result.path, name: result.name, head: result.head, ref: result.ref, status: result.status,
      error: result.error, findings: kept, metadata: result.metadata)
    reported.estateWaiversMatched = result.estateWaiversMatched
    return (reported, unmatched)
  }
}
