import Formats
import Version

/// `plumb pins`: every pin of the estate with its status, and a roll-up per source.
public struct PinInventoryReport: Sendable {
  public struct Row: Sendable {
    public let pin: Pin
    public let repository: String
    /// `pinned`, `local`, `dynamic`, or the problems the pin rules found (`unpinned`, `branch-ref`, …).
    public let status: [String]
    public let messages: [String]

    /// Whether a pin rule says the pin is not pinned as policy says. Being behind the newest release is drift,
    /// not that; nor are the facts given when no rule objects (local, dynamic, unversioned where policy allows).
    public var breaksPolicy: Bool {
      !status.allSatisfy(["pinned", "local", "dynamic", "unversioned", "outdated"].contains)
    }

    /// Whether pins/module-outdated found it behind the newest release.
    public var isOutdated: Bool { status.contains("outdated") }
  }

  public struct Rollup: Sendable {
    public let kind: Pin.Kind
    public let source: String
    /// Version (or ref) in use → how many pins use it.
    public let versions: [(version: String, pins: Int)]
    public let consumers: [String]
    public let newest: String?
    public let consumersBehindMajor: [String]
  }

  public let rows: [Row]
  public let rollups: [Rollup]
  public let unreadable: [(repository: String, error: String)]

  /// What one repository contributes; built where its snapshot is.
  public struct RepositoryPins: Sendable {
    public let repository: String
    public let rows: [Row]
    public let error: String?

    /// A repository that could not be read: no rows, and why.
    public static func unreadable(_ repository: String, error: String) -> RepositoryPins {
      RepositoryPins(repository: repository, rows: [], error: error)
    }
  }

  /// Judges one repository's pins with the pin rules the policy enables.
  public static func repositoryPins(
    _ location: RepositoryLocation, revision: String?, policy: Policy, knowledge: EstateKnowledge, cache: ParseCache
  ) -> RepositoryPins {
    let snapshot: Snapshot
    do {
      snapshot = try SnapshotLoader.load(location, revision: revision, cache: cache).snapshot
    } catch {
      return RepositoryPins(repository: location.name, rows: [], error: error.message)
    }
    let inventory = PinCollector.collect(snapshot)
    let rules = RuleRegistry.pinRules.compactMap { rule in
      policy.settings(rule.id).flatMap { $0.enabled ? (rule, $0) : nil }
    }
    let rows = inventory.pins.map { pin in
      var status: [String] = []
      var messages: [String] = []
      for (rule, settings) in rules {
        if let problem = rule.judge(pin, settings: settings, knowledge: knowledge) {
          status.append(String(rule.id.dropFirst("pins/".count)).replacingOccurrences(of: "module-", with: ""))
          messages.append(problem.message)
        }
      }
      if status.isEmpty {
        if case .module(let source, _) = pin.target, source.kind == .local {
          status = ["local"]
        } else if pin.isDynamic {
          status = ["dynamic"]
        } else if pin.version == nil && pin.ref == nil {
          status = ["unversioned"]  // policy (`pin: any`, or the rule off) lets it be: a fact, not "pinned"
        } else {
          status = ["pinned"]
        }
      }
      return Row(pin: pin, repository: location.name, status: status, messages: messages)
    }
    return RepositoryPins(repository: location.name, rows: rows, error: nil)
  }

  public init(_ repositories: [RepositoryPins], knowledge: EstateKnowledge) {
    rows = repositories.flatMap(\.rows)
    unreadable = repositories.compactMap { repo in repo.error.map { (repo.repository, $0) } }
    var grouped: [String: [Row]] = [:]
    var order: [String] = []
    for row in rows {
      if case .module(let source, _) = row.pin.target, source.kind == .local { continue }
      let key = "\(row.pin.kind.rawValue)|\(row.pin.source)"
      if grouped[key] == nil { order.append(key) }
      grouped[key, default: []].append(row)
    }
    rollups = order.sorted().map { key in
      let group = grouped[key]!
      let pin = group[0].pin
      var counts: [String: Int] = [:]
      for row in group { counts[row.pin.version ?? row.pin.ref ?? "(none)", default: 0] += 1 }
      let newest: Version? = {
        if case .module(let source, _) = pin.target { return knowledge.newestRelease(for: source) }
        return nil
      }()
      let behind =
        newest.map { newest in
          Set(
            group.filter { row in
              guard let version = Self.pinnedVersion(row.pin, knowledge: knowledge) else { return false }
              return version.major < newest.major
            }.map(\.repository)
          ).sorted()
        } ?? []
      return Rollup(
        kind: pin.kind, source: pin.source,
        versions: counts.keys.sorted().map { ($0, counts[$0]!) },
        consumers: Set(group.map(\.repository)).sorted(), newest: newest.map { "\($0)" },
        consumersBehindMajor: behind)
    }
  }

  /// The version a pin settles on, when it says one: for a module the release pins/module-outdated judges (so
  /// `>= 1.0` settles on the newest it admits), else a version-like tag.
  static func pinnedVersion(_ pin: Pin, knowledge: EstateKnowledge) -> Version? {
    guard case .module = pin.target else { return (pin.version).flatMap(parseSemanticVersion) }
    return ModuleOutdatedRule.resolvedVersion(pin, knowledge: knowledge)
  }
}
