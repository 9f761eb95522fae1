import Foundation
import PlumbCore

/// Everything a proof report is built from, whatever it was read from: plumb's JSON outputs or the store.
/// A store adapter fills `repositories` (open findings at each repository's last scanned commit), `timeline`
/// (one point per run) and `policyHashes`; tag observations arrive as `tags/moved` findings.
public struct ProofInputs: Sendable {
  /// Each repository as last scanned, with its open findings.
  public var repositories: [RepositoryResult] = []
  public var policyHashes: [String] = []
  /// Estate figures over time, oldest first (adoption periods or store runs); the chart and the trend arrows.
  public var timeline: [ScorePoint] = []
  public var adoption: AdoptionInput?
  public var pins: PinsInput?
  /// Waivers of the estate config, shown even when no finding mentions them.
  public var waivers: [Waiver] = []
  /// Estate waivers a whole-estate scan found matching nothing anywhere (its `estate_waivers_unused`).
  public var unusedEstateWaivers: [Waiver] = []
  /// What the store's latest whole run says of estate waivers, when every repository it read was readable: the
  /// report's `--config` waivers missing from it went unused.
  public var estateWaiverUsage: EstateWaiverUsage?
  /// The jsonl files read, one each: shards among them may together be a whole run (`shardWaiverUsage`).
  var shardFiles: [ShardEvidence] = []
  /// Team, tier and tags by repository name, from `--manifest` (over what the scan itself recorded).
  public var labels: [String: RepositoryMetadata] = [:]
  /// Forge URL pattern with `{repo}` `{path}` `{line}` `{sha}`, as for `--format markdown`.
  public var linkTemplate: String?
  /// `YYYY-MM-DD`; waiver expiry is judged on it.
  public var today: String
  public var title = "plumb proof report"
  /// What was read (files, the store), for the reproducibility footer.
  public var sources: [String] = []

  public init(today: String) {
    self.today = today
  }
}

/// Where the estate waivers that some repository used were declared, over the repositories of one run.
public struct EstateWaiverUsage: Sendable, Equatable {
  public var used: Set<String>
  public var repositories: Set<String>
  /// The policy the run judged with: waivers are named by their lines in it.
  public var policyHash: String
}

/// The estate at one point in time: how many repositories existed and how many passed each category.
public struct ScorePoint: Sendable, Equatable {
  public var label: String
  public var repositories: Int
  public var passing: [String: Int]
  /// True for the point that stands for now (the period in progress, the latest run): trends compare against
  /// the point before it.
  public var current: Bool

  public init(label: String, repositories: Int, passing: [String: Int], current: Bool) {
    self.label = label
    self.repositories = repositories
    self.passing = passing
    self.current = current
  }
}

/// A report input that could not be used; the command exits 2 with it.
public struct ProofInputError: Error, Sendable, CustomStringConvertible {
  public let file: String
  public let message: String
  public var description: String { "\(file): \(message)" }
}

extension ProofInputs {
  /// Adds one file: `plumb/findings@1` (a document, jsonl, or one repository object), `plumb/adoption@1` or
  /// `plumb/pins@1`, told apart by schema. Findings go through the same codec as `plumb scan` writes them.
  public mutating func add(_ data: Data, file: String) throws(ProofInputError) {
    // Adoption and pins documents are decoded once, straight from the bytes: a weekly series of a large
    // estate runs to hundreds of megabytes, too many to hold twice.
    switch Self.leadingSchema(data) {
    case "plumb/adoption@1": return try addAdoption(data, file: file)
    case "plumb/pins@1": return try addPins(data, file: file)
    default: break
    }
    let text = String(decoding: data, as: UTF8.self)
    let document: JSONValue
    do {
      document = try JSONParser.parse(text)
    } catch {
      // Not one JSON value: perhaps jsonl, one repository per line (shards, streaming).
      try addLines(text, file: file)
      return
    }
    let schema = document["schema"]?.stringValue
    switch schema {
    case "plumb/findings@1":
      guard let list = document["repositories"]?.arrayValue else {
        throw ProofInputError(file: file, message: "not a valid plumb/findings@1 document: no repositories list")
      }
      merge(try list.map { (item) throws(ProofInputError) in try Self.repository(item, file: file) })
      if let hash = document["run"]?["policy_hash"]?.stringValue { addPolicyHash(hash) }
      unusedEstateWaivers += (document["estate_waivers_unused"]?.arrayValue ?? []).compactMap(Waiver.init(fields:))
    case "plumb/adoption@1": return try addAdoption(data, file: file)
    case "plumb/pins@1": return try addPins(data, file: file)
    case JSONReport.shardSchema:
      // A shard that held no repository is its trailer alone.
      var shard = ShardEvidence()
      shard.add(trailer: document)
      shardFiles.append(shard)
      if let hash = shard.policyHash { addPolicyHash(hash) }
    case nil where document["findings"] != nil:
      // One repository object, as a jsonl line holds it (pretty-printed or not).
      merge([try Self.repository(document, file: file)])
    default:
      let found = schema.map { "schema \"\($0)\"" } ?? "no schema"
      throw ProofInputError(
        file: file, message: "\(found): expected plumb/findings@1, plumb/adoption@1 or plumb/pins@1 JSON")
    }
    sources.append(file)
  }

  mutating func addAdoption(_ data: Data, file: String) throws(ProofInputError) {
    let adoption = try Self.decode(AdoptionInput.self, data, file: file, schema: "plumb/adoption@1")
    self.adoption = adoption
    timeline = adoption.timeline
    if let hash = adoption.run?.policyHash { addPolicyHash(hash) }
    sources.append(file)
  }

  mutating func addPins(_ data: Data, file: String) throws(ProofInputError) {
    pins = try Self.decode(PinsInput.self, data, file: file, schema: "plumb/pins@1")
    sources.append(file)
  }

  /// The schema when it is the document's first field, as plumb writes it (`{"schema": "..."`); nil otherwise,
  /// and then the whole document is parsed to find it.
  static func leadingSchema(_ data: Data) -> String? {
    let prefix = Array(data.prefix(256))
    var index = 0
    func skipSpace() { while index < prefix.count, [0x20, 0x0A, 0x0D, 0x09].contains(prefix[index]) { index += 1 } }
    func expect(_ text: String) -> Bool {
      skipSpace()
      let bytes = Array(text.utf8)
      guard prefix.count - index >= bytes.count, Array(prefix[index..<index + bytes.count]) == bytes else {
        return false
      }
      index += bytes.count
      return true
    }
    guard expect("{"), expect("\"schema\""), expect(":"), expect("\"") else { return nil }
    guard let end = prefix[index...].firstIndex(of: UInt8(ascii: "\"")),
      !prefix[index..<end].contains(UInt8(ascii: "\\"))
    else { return nil }
    return String(decoding: prefix[index..<end], as: UTF8.self)
  }

  mutating func addLines(_ text: String, file: String) throws(ProofInputError) {
    var results: [RepositoryResult] = []
    var evidence = ShardEvidence()
    for (index, line) in text.textLines.enumerated() {
      if line.allSatisfy(\.isWhitespace) { continue }
      let value: JSONValue
      do {
        value = try JSONParser.parse(String(line))
      } catch {
        throw ProofInputError(
          file: file, message: "line \(index + 1): not plumb JSON (findings, adoption or pins) nor jsonl: \(error)")
      }
      // `plumb scan --shard` ends its jsonl with a trailer: which slice, and that it ran to the end.
      if value["schema"]?.stringValue == JSONReport.shardSchema {
        evidence.add(trailer: value)
        continue
      }
      let result = try Self.repository(value, file: file, line: index + 1)
      evidence.add(result)
      results.append(result)
    }
    if results.isEmpty && evidence.shard == nil {
      throw ProofInputError(file: file, message: "empty: no plumb JSON in it")
    }
    if let hash = evidence.policyHash { addPolicyHash(hash) }
    shardFiles.append(evidence)
    merge(results)
    sources.append(file)
  }

  static func repository(_ value: JSONValue, file: String, line: Int? = nil) throws(ProofInputError)
    -> RepositoryResult
  {
    do {
      return try RepositoryResult(json: value)
    } catch {
      let place = line.map { "line \($0): " } ?? ""
      throw ProofInputError(file: file, message: "\(place)not a valid plumb/findings@1 document: \(error)")
    }
  }

  static func decode<T: Decodable>(_ type: T.Type, _ data: Data, file: String, schema: String)
    throws(ProofInputError) -> T
  {
    do {
      return try JSONDecoder().decode(type, from: data)
    } catch {
      throw ProofInputError(file: file, message: "not a valid \(schema) document: \(describe(error))")
    }
  }

  /// Later inputs replace earlier ones for the same repository path (a rescan, another shard's copy).
  mutating func merge(_ results: [RepositoryResult]) {
    var index = Dictionary(repositories.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { $1 })
    for result in results {
      if let position = index[result.path] {
        repositories[position] = result
      } else {
        index[result.path] = repositories.count
        repositories.append(result)
      }
    }
  }

  mutating func addPolicyHash(_ hash: String) {
    if !policyHashes.contains(hash) { policyHashes.append(hash) }
  }

  static func describe(_ error: any Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, let context)?:
      return "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
    case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
      return "unexpected value at \(path(context.codingPath))"
    case .dataCorrupted(let context)?:
      return context.codingPath.isEmpty ? "not JSON" : "bad value at \(path(context.codingPath))"
    default:
      return "\(error)"
    }
  }

  static func path(_ keys: [any CodingKey]) -> String {
    let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? "." + key.stringValue }.joined()
    return parts.isEmpty ? "the top" : parts
  }
}

/// `plumb/adoption@1` as `plumb adoption --format json` writes it.
public struct AdoptionInput: Sendable, Decodable {
  public struct Run: Sendable, Decodable {
    public let policyHash: String?
    public let since: String?
    public let every: String?
    public let generated: String?
    enum CodingKeys: String, CodingKey {
      case policyHash = "policy_hash"
      case since, every, generated
    }
  }

  public struct Period: Sendable, Decodable {
    public let label: String
    public let start: String?
    public let end: String?
  }

  public struct EstatePoint: Sendable, Decodable {
    public let period: String
    public let repositories: Int
    public let passing: [String: Int]
  }

  public struct LeadTime: Sendable, Decodable {
    public let median: Double?
    public let p90: Double?
  }

  public struct Delivery: Sendable, Decodable {
    public let releases: Int?
    public let releasesPerMonth: Double?
    public let leadTimeDays: LeadTime?
    public let patchShare: Double?
    public let lastRelease: String?
    public let daysSinceLastRelease: Double?
    public let unreleasedCommits: Int?
    enum CodingKeys: String, CodingKey {
      case releases
      case releasesPerMonth = "releases_per_month"
      case leadTimeDays = "lead_time_days"
      case patchShare = "patch_share"
      case lastRelease = "last_release"
      case daysSinceLastRelease = "days_since_last_release"
      case unreleasedCommits = "unreleased_commits"
    }
  }

  public struct Maturity: Sendable, Decodable {
    public let levels: [String]
    public let distribution: [String: Int]
  }

  public struct Estate: Sendable, Decodable {
    public let series: [EstatePoint]
    public let adopted: [String: Int]?
    public let regressions: Int?
    public let delivery: Delivery?
    public let maturity: Maturity?
  }

  public struct RepositoryPoint: Sendable, Decodable {
    public let period: String
    public let commit: String?
    public let passing: [String: Bool]?
    /// Findings per category, every severity.
    public let findings: [String: Int]?
  }

  public struct Regression: Sendable, Decodable {
    public let category: String
    public let period: String
  }

  public struct Repository: Sendable, Decodable {
    public let name: String
    public let path: String?
    public let head: String?
    public let status: String?
    public let error: String?
    public let team: String?
    public let tier: LooseText?
    /// The last point of its series with a commit: the report shows where a repository stands, and a weekly
    /// series of a large estate is too long to keep whole.
    public let lastJudged: RepositoryPoint?
    public let adopted: [String: String?]?
    public let regressions: [Regression]?
    public let delivery: Delivery?
    public let maturity: String?

    enum CodingKeys: String, CodingKey {
      case name, path, head, status, error, team, tier, series, adopted, regressions, delivery, maturity
    }

    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      name = try container.decode(String.self, forKey: .name)
      path = try container.decodeIfPresent(String.self, forKey: .path)
      head = try container.decodeIfPresent(String.self, forKey: .head)
      status = try container.decodeIfPresent(String.self, forKey: .status)
      error = try container.decodeIfPresent(String.self, forKey: .error)
      team = try container.decodeIfPresent(String.self, forKey: .team)
      tier = try container.decodeIfPresent(LooseText.self, forKey: .tier)
      var last: RepositoryPoint?
      if container.contains(.series), try !container.decodeNil(forKey: .series) {
        var series = try container.nestedUnkeyedContainer(forKey: .series)
        while !series.isAtEnd {
          let point = try series.decode(RepositoryPoint.self)
          if point.commit != nil { last = point }
        }
      }
      lastJudged = last
      adopted = try container.decodeIfPresent([String: String?].self, forKey: .adopted)
      regressions = try container.decodeIfPresent([Regression].self, forKey: .regressions)
      delivery = try container.decodeIfPresent(Delivery.self, forKey: .delivery)
      maturity = try container.decodeIfPresent(String.self, forKey: .maturity)
    }
  }

  public let run: Run?
  public let categories: [String]?
  public let periods: [Period]
  public let estate: Estate
  public let repositories: [Repository]

  /// One point per period; the period still running when the document was made is the current one.
  var timeline: [ScorePoint] {
    let ends = Dictionary(periods.map { ($0.label, $0.end) }, uniquingKeysWith: { first, _ in first })
    return estate.series.enumerated().map { index, point in
      let isLast = index == estate.series.count - 1
      var current = isLast
      if let generated = run?.generated, let end = ends[point.period] ?? nil { current = end >= generated }
      return ScorePoint(
        label: point.period, repositories: point.repositories, passing: point.passing, current: current)
    }
  }
}

/// A value written as text or as a number (a manifest tier of `1` or `"gold"`).
public struct LooseText: Sendable, Decodable, Equatable {
  public let text: String

  public init(from decoder: any Decoder) throws {
    let value = try decoder.singleValueContainer()
    if let int = try? value.decode(Int.self) {
      text = String(int)
    } else if let double = try? value.decode(Double.self) {
      text = String(double)
    } else {
      text = try value.decode(String.self)
    }
  }
}

/// `plumb/pins@1` as `plumb pins --format json` writes it.
public struct PinsInput: Sendable, Decodable {
  public struct Pin: Sendable, Decodable {
    public let kind: String
    public let source: String
    public let repository: String
  }

  public struct Rollup: Sendable, Decodable {
    public let kind: String
    public let source: String
    public let versions: [String: Int]
    public let consumers: [String]
    public let newest: String?
    public let consumersBehindMajor: [String]
    enum CodingKeys: String, CodingKey {
      case kind, source, versions, consumers, newest
      case consumersBehindMajor = "consumers_behind_major"
    }
  }

  public let pins: [Pin]
  public let rollup: [Rollup]
}
