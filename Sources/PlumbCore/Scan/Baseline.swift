import Foundation

/// A previous JSON output whose findings are accepted for now: matched by fingerprint per repository.
public struct Baseline: Sendable {
  /// Repository name → fingerprints.
  public let fingerprints: [String: Set<String>]

  public struct LoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
  }

  /// What a baseline needs of a repository: its name and its findings' fingerprints. Decoded into these alone, a
  /// large baseline costs a few times its size in memory (as untyped JSON objects it took about 25 times).
  struct Entry: Decodable {
    struct Fingerprinted: Decodable { let fingerprint: String? }
    let name: String
    let findings: [Fingerprinted]
  }
  struct Document: Decodable { let repositories: [Entry] }
  /// A jsonl line that is no repository: a shard's trailer.
  struct Trailer: Decodable { let schema: String }

  /// Reads `plumb/findings@1` JSON (or jsonl) written by `plumb scan --format json` or `plumb baseline write`.
  public static func load(_ data: Data, file: String) throws(LoadError) -> Baseline {
    var table: [String: Set<String>] = [:]
    func add(_ entry: Entry) {
      for finding in entry.findings {
        if let fingerprint = finding.fingerprint { table[entry.name, default: []].insert(fingerprint) }
      }
    }
    let decoder = JSONDecoder()
    // Each repository named, with its findings: a file of another shape would hold nothing and suppress nothing.
    if let document = try? decoder.decode(Document.self, from: data) {
      document.repositories.forEach(add)
      return Baseline(fingerprints: table)
    }
    for line in data.split(separator: UInt8(ascii: "\n")) {
      let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
      guard !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { continue }
      // A jsonl line is a repository (name and findings) or a shard's trailer (schema); anything else is not
      // plumb's, and a baseline that silently held nothing would suppress nothing.
      if let entry = try? decoder.decode(Entry.self, from: Data(trimmed)) {
        add(entry)
      } else if (try? decoder.decode(Trailer.self, from: Data(trimmed))) == nil {
        throw LoadError(description: "\(file): not plumb JSON output (expected plumb/findings@1 or jsonl)")
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
