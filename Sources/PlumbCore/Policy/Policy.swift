import Formats

/// How one rule runs: on or off, at which severity, with which parameters.
public struct RuleSettings: Sendable, Equatable {
  public var enabled: Bool
  public var severity: Severity
  /// A locked rule cannot be turned off or weakened by a repository's own `.plumb.yml`.
  public var locked: Bool
  public var parameters: [String: JSONValue]

  public init(enabled: Bool, severity: Severity, locked: Bool = false, parameters: [String: JSONValue] = [:]) {
    self.enabled = enabled
    self.severity = severity
    self.locked = locked
    self.parameters = parameters
  }

  public func strings(_ name: String) -> [String] {
    parameters[name]?.arrayValue?.compactMap(\.stringValue) ?? []
  }

  public func int(_ name: String) -> Int? { parameters[name]?.intValue }
}

/// How plumb tells a service repository from a library.
public struct ServicePolicy: Sendable, Equatable {
  public var catalogTypes: [String] = ["service", "website"]
  /// Globs; a trailing `/` means "this folder exists".
  public var markers: [String] = ["Dockerfile", "deploy/"]
}

/// Where runbooks live; matched case-insensitively, a trailing `/` meaning any Markdown file below.
public struct RunbookPolicy: Sendable, Equatable {
  public var locations: [String] = ["RUNBOOK.md", "docs/runbook*.md", "runbooks/"]
}

/// Which tags are releases, and how they spell versions.
public struct ReleasePolicy: Sendable, Equatable {
  /// Globs over tag names; a tag that matches none is not a release and no tags/* rule looks at it.
  public var tags: [String] = ["*"]
  /// `optional`, `required` or `forbidden`: the leading `v` of `v1.2.3`.
  public var vPrefix: String = "optional"
}

/// An exception with an owner and an expiry date.
public struct Waiver: Sendable, Equatable {
  public var rule: String
  public var paths: [String]
  public var repositories: [String]
  public var owner: String
  /// `YYYY-MM-DD`.
  public var expires: String
  public var reason: String?
  /// Where it was declared, for findings about the waiver itself.
  public var file: String
  public var line: Int
  /// True when it came from the repository's own `.plumb.yml`.
  public var fromRepository: Bool

  public init(
    rule: String, paths: [String], repositories: [String], owner: String, expires: String, reason: String?,
    file: String, line: Int, fromRepository: Bool
  ) {
    self.rule = rule
    self.paths = paths
    self.repositories = repositories
    self.owner = owner
    self.expires = expires
    self.reason = reason
    self.file = file
    self.line = line
    self.fromRepository = fromRepository
  }

  public func isExpired(today: String) -> Bool { expires < today }

  /// `file:line`: names the waiver in findings and across an estate's results.
  public var declaredIn: String { "\(file):\(line)" }

  /// A `declaredIn` with the folders left out, so a config named by another path (a report run elsewhere than the
  /// scan) still names the same waiver.
  static func declarationKey(_ declaredIn: String) -> String {
    String(declaredIn.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(declaredIn))
  }

  /// The waiver as findings' evidence and the scan's `estate_waivers_unused` show it.
  public var fields: [(String, JSONValue)] {
    [
      ("rule", .string(rule)), ("owner", .string(owner)), ("expires", .string(expires)), ("paths", JSONValue(paths)),
      ("repositories", JSONValue(repositories)), ("reason", JSONValue(reason)), ("declared_in", .string(declaredIn)),
    ]
  }

  /// An estate waiver read back from those fields; nil without its rule, owner or expiry.
  public init?(fields value: JSONValue) {
    guard let rule = value["rule"]?.stringValue, let owner = value["owner"]?.stringValue,
      let expires = value["expires"]?.stringValue
    else { return nil }
    let declared = value["declared_in"]?.stringValue ?? ""
    let line = declared.split(separator: ":").last.flatMap { Int($0) } ?? 0
    self.init(
      rule: rule, paths: value["paths"]?.arrayValue?.compactMap(\.stringValue) ?? [],
      repositories: value["repositories"]?.arrayValue?.compactMap(\.stringValue) ?? [], owner: owner,
      expires: expires, reason: value["reason"]?.stringValue,
      file: line == 0 ? declared : String(declared.dropLast(String(line).count + 1)), line: line,
      fromRepository: false)
  }

  public func matches(_ finding: Finding, repository: String) -> Bool {
    guard Glob.matchesName(rule, finding.rule) else { return false }
    if !repositories.isEmpty && !repositories.contains(where: { Glob.matchesName($0, repository) }) { return false }
    if paths.isEmpty { return true }
    guard let path = finding.path else { return false }
    return paths.contains { Glob($0).matches(path) }
  }
}

/// The effective policy for a scan: pack, estate config and (per repository) its own `.plumb.yml`.
public struct Policy: Sendable, Equatable {
  public var pack: String
  public var rules: [String: RuleSettings]
  public var service = ServicePolicy()
  public var runbook = RunbookPolicy()
  public var releases = ReleasePolicy()
  public var waivers: [Waiver] = []
  /// The `registry-index` file named by the estate config (path as written, relative to the config).
  public var registryIndex: String?
  /// The pack's maturity ladder, lowest level first; neither the estate config nor a repository changes it.
  public var levels: [MaturityLevel] = []

  public func settings(_ rule: String) -> RuleSettings? { rules[rule] }

  public func isEnabled(_ rule: String) -> Bool { rules[rule]?.enabled ?? false }

  /// Estate waivers, still in force, that matched no finding in any of the repositories read. `used` lists where the
  /// waivers the results used were declared (their `estate_waivers_matched`). One that names a repository read
  /// outright is left to that repository's `waiver/unused`. Nil when `used` names a line that declares no waiver
  /// here: the results were judged by another copy of the config, its lines moved, and nothing can be told.
  public func unusedEstateWaivers(used: Set<String>, repositories: Set<String>, today: String) -> [Waiver]? {
    let usedKeys = Set(used.map(Waiver.declarationKey))
    let declared = Set(waivers.filter { !$0.fromRepository }.map { Waiver.declarationKey($0.declaredIn) })
    guard usedKeys.isSubset(of: declared) else { return nil }
    return waivers.filter { waiver in
      !waiver.fromRepository && !waiver.isExpired(today: today)
        && !usedKeys.contains(Waiver.declarationKey(waiver.declaredIn))
        && !waiver.repositories.contains(where: repositories.contains)
    }
  }

  /// A stable hash of everything that changes results, recorded in every output.
  public var hash: String {
    var parts: [String] = ["pack=\(pack)"]
    for id in rules.keys.sorted() {
      let value = rules[id]!
      let parameters = value.parameters.keys.sorted().map { "\($0)=\(value.parameters[$0]!.serialized())" }
      parts.append("\(id)|\(value.enabled)|\(value.severity)|\(value.locked)|\(parameters.joined(separator: ","))")
    }
    parts.append("service=\(service.catalogTypes)|\(service.markers)")
    parts.append("runbook=\(runbook.locations)")
    parts.append("registry-index=\(registryIndex ?? "")")
    parts.append("releases=\(releases.tags)|\(releases.vPrefix)")
    for waiver in waivers {
      parts.append("waiver=\(waiver.rule)|\(waiver.paths)|\(waiver.repositories)|\(waiver.owner)|\(waiver.expires)")
    }
    return Fingerprint.make(rule: "policy", repository: "", path: nil, subject: parts.joined(separator: "\n"))
  }
}
