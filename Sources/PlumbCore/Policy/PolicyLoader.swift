import Formats
import Yams

/// A configuration mistake, with where it is, so the user can fix it in one go.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int?
  public let column: Int?
  public let message: String

  public var description: String {
    var place = file
    if let line { place += ":\(line)" }
    if let line, let column, line > 0 { place += ":\(column)" }
    return "\(place): \(message)"
  }
}

/// Reads `plumb.yml` (estate) and `.plumb.yml` (repository) into a Policy.
public struct PolicyLoader: Sendable {
  public let catalog: RuleCatalog
  /// Largest config file read; bigger is refused rather than parsed.
  public static let maximumConfigBytes = 1 << 20
  /// Most YAML nodes visited, so anchors and aliases cannot blow a config up exponentially.
  static let nodeBudget = 100_000

  public init(catalog: RuleCatalog) {
    self.catalog = catalog
  }

  /// The estate policy: a pack, then the estate config on top. Errors are exit 2.
  public func estatePolicy(configText: String?, file: String) throws(ConfigError) -> Policy {
    guard let configText else { return try pack("default", file: file, line: nil) }
    if configText.utf8.count > Self.maximumConfigBytes {
      throw ConfigError(file: file, line: nil, column: nil, message: "config is larger than 1 MiB")
    }
    let root = try compose(configText, file: file)
    var walker = NodeWalker(file: file)
    guard let map = try walker.mapping(root) else { return try pack("default", file: file, line: nil) }
    try walker.allowOnly(
      map, keys: ["extends", "rules", "service", "runbook", "waivers", "registry-index", "releases"])
    var policy: Policy
    if let extends = map["extends"] {
      guard let name = extends.string else { throw walker.error(extends, "extends takes a pack name") }
      policy = try pack(name, file: file, line: extends.mark?.line)
    } else {
      policy = try pack("default", file: file, line: nil)
    }
    try apply(map, to: &policy, walker: &walker, fromRepository: false)
    if let index = map["registry-index"] {
      guard let path = index.string, !path.isEmpty else {
        throw walker.error(index, "registry-index takes a file path")
      }
      policy.registryIndex = path
    }
    return policy
  }

  /// A repository's own `.plumb.yml` merged under the estate policy; problems are reported, never fatal.
  public func repositoryPolicy(_ text: String, file: String, estate: Policy) -> (Policy, [ConfigError]) {
    var policy = estate
    var walker = NodeWalker(file: file)
    do throws(ConfigError) {
      if text.utf8.count > Self.maximumConfigBytes {
        throw ConfigError(file: file, line: nil, column: nil, message: "config is larger than 1 MiB")
      }
      let root = try compose(text, file: file)
      guard let map = try walker.mapping(root) else { return (estate, []) }
      try walker.allowOnly(map, keys: ["rules", "waivers"])
      try apply(map, to: &policy, walker: &walker, fromRepository: true)
      return (policy, walker.warnings)
    } catch {
      return (estate, walker.warnings + [error])
    }
  }

  func compose(_ text: String, file: String) throws(ConfigError) -> Node? {
    try Self.composeYAML(text, file: file)
  }

  /// YAML to a node tree, with a syntax error turned into a config error at its line and column.
  static func composeYAML(_ text: String, file: String) throws(ConfigError) -> Node? {
    do {
      return try Yams.compose(yaml: text, .default, .default, .utf8)
    } catch let error as YamlError {
      let problem = CatalogInfo.yamlProblem(error)
      throw ConfigError(
        file: file, line: problem.line, column: problem.column, message: "not valid YAML: \(problem.message)")
    } catch {
      throw ConfigError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)")
    }
  }

  /// A pack from `rules/packs/NAME.yml`: which rules are on, at which severity.
  public func pack(_ name: String, file: String, line: Int?) throws(ConfigError) -> Policy {
    guard let text = catalog.packText(name) else {
      let known = catalog.packNames.joined(separator: ", ")
      throw ConfigError(file: file, line: line, column: nil, message: "unknown pack '\(name)' (known: \(known))")
    }
    let packFile = "rules/packs/\(name).yml"
    var walker = NodeWalker(file: packFile)
    guard let map = try walker.mapping(try compose(text, file: packFile)) else {
      throw ConfigError(file: packFile, line: nil, column: nil, message: "a pack must be a mapping")
    }
    var policy = Policy(pack: name, rules: [:])
    for rule in catalog.rules {
      policy.rules[rule.id] = RuleSettings(enabled: false, severity: rule.severity, parameters: rule.parameters)
    }
    if let rules = map["rules"] {
      try applyRules(rules, to: &policy, walker: &walker, fromRepository: false)
    }
    if let levels = map["levels"] { policy.levels = try maturityLevels(levels, walker: &walker) }
    return policy
  }

  /// `levels: [{name: bronze, rules: [...]}, ...]`, lowest first; every rule must exist, every name be new.
  func maturityLevels(_ node: Node, walker: inout NodeWalker) throws(ConfigError) -> [MaturityLevel] {
    guard case .sequence(let list) = node else { throw walker.error(node, "levels takes a list") }
    var levels: [MaturityLevel] = []
    for item in list {
      guard let map = try walker.mapping(item) else { throw walker.error(item, "a level is a mapping") }
      try walker.allowOnly(map, keys: ["name", "rules"])
      guard let name = map["name"]?.string, !name.isEmpty, name != "none" else {
        throw walker.error(item, "a level needs a name (other than none)")
      }
      if levels.contains(where: { $0.name == name }) { throw walker.error(item, "level '\(name)' is defined twice") }
      guard let rulesNode = map["rules"] else { throw walker.error(item, "level '\(name)' needs rules") }
      let rules = try walker.strings(rulesNode)
      for id in rules where catalog.rule(id) == nil {
        throw walker.error(rulesNode, "level '\(name)' names unknown rule '\(id)'")
      }
      levels.append(MaturityLevel(name: name, rules: rules))
    }
    return levels
  }

  func apply(_ map: Node.Mapping, to policy: inout Policy, walker: inout NodeWalker, fromRepository: Bool)
    throws(ConfigError)
  {
    if let rules = map["rules"] { try applyRules(rules, to: &policy, walker: &walker, fromRepository: fromRepository) }
    if let service = map["service"] {
      guard let serviceMap = try walker.mapping(service) else { throw walker.error(service, "service takes a mapping") }
      try walker.allowOnly(serviceMap, keys: ["catalog-types", "markers"])
      if let types = serviceMap["catalog-types"] { policy.service.catalogTypes = try walker.strings(types) }
      if let markers = serviceMap["markers"] { policy.service.markers = try walker.strings(markers) }
    }
    if let runbook = map["runbook"] {
      guard let runbookMap = try walker.mapping(runbook) else { throw walker.error(runbook, "runbook takes a mapping") }
      try walker.allowOnly(runbookMap, keys: ["locations"])
      if let locations = runbookMap["locations"] { policy.runbook.locations = try walker.strings(locations) }
    }
    if let releases = map["releases"] {
      guard let releasesMap = try walker.mapping(releases) else {
        throw walker.error(releases, "releases takes a mapping")
      }
      try walker.allowOnly(releasesMap, keys: ["tags", "v-prefix"])
      if let tags = releasesMap["tags"] { policy.releases.tags = try walker.strings(tags) }
      if let prefix = releasesMap["v-prefix"] {
        guard let word = prefix.string, ["optional", "required", "forbidden"].contains(word) else {
          throw walker.error(prefix, "v-prefix takes optional, required or forbidden")
        }
        policy.releases.vPrefix = word
      }
    }
    if let waivers = map["waivers"] {
      guard case .sequence(let list) = waivers else { throw walker.error(waivers, "waivers takes a list") }
      for item in list {
        let waiver = try waiver(item, walker: &walker, fromRepository: fromRepository)
        // Locked means the repository cannot exempt itself either; only the estate config can waive the rule.
        if fromRepository, policy.rules[waiver.rule]?.locked == true {
          let reason = "rule '\(waiver.rule)' is locked by the estate policy: only the estate config can waive it"
          walker.warnings.append(walker.error(item, reason + "; this waiver is ignored"))
          continue
        }
        policy.waivers.append(waiver)
      }
    }
  }

  func applyRules(_ node: Node, to policy: inout Policy, walker: inout NodeWalker, fromRepository: Bool)
    throws(ConfigError)
  {
    guard let rules = try walker.mapping(node) else { return }
    for (key, value) in rules {
      try walker.spend()
      guard let id = key.string, let current = policy.rules[id] else {
        throw walker.error(key, "unknown rule '\(key.string ?? "?")' (see `plumb rules list`)")
      }
      var updated = current
      let specs = catalog.rule(id)?.parameterSpecs ?? [:]
      try walker.ruleSettings(value, into: &updated, known: specs)
      if fromRepository && current.locked && weakens(updated, current, specs: specs) {
        let reason = "rule '\(id)' is locked by the estate policy: a repository may make it stricter, not looser"
        walker.warnings.append(walker.error(key, reason + "; this change is ignored"))
        continue
      }
      if fromRepository { updated.locked = current.locked }
      policy.rules[id] = updated
    }
  }

  /// Turned off, a lower severity, or a parameter moved the loose way (a parameter without `under-lock` may not move).
  func weakens(_ new: RuleSettings, _ old: RuleSettings, specs: [String: ParameterSpec]) -> Bool {
    if (old.enabled && !new.enabled) || new.severity < old.severity { return true }
    return Set(old.parameters.keys).union(new.parameters.keys).contains { name in
      let (before, after) = (old.parameters[name] ?? .null, new.parameters[name] ?? .null)
      guard let spec = specs[name] else { return before != after }
      return spec.weakens(from: before, to: after)
    }
  }

  func waiver(_ node: Node, walker: inout NodeWalker, fromRepository: Bool) throws(ConfigError) -> Waiver {
    guard let map = try walker.mapping(node) else { throw walker.error(node, "a waiver is a mapping") }
    try walker.allowOnly(map, keys: ["rule", "paths", "repositories", "owner", "expires", "reason"])
    guard let rule = map["rule"]?.string, !rule.isEmpty else { throw walker.error(node, "a waiver needs a rule") }
    if !rule.contains("*") && catalog.rule(rule) == nil {
      throw walker.error(map["rule"] ?? node, "waiver names unknown rule '\(rule)'")
    }
    guard let owner = map["owner"]?.string, !owner.isEmpty else {
      throw walker.error(node, "a waiver needs an owner (who answers for the exception)")
    }
    guard let expiresNode = map["expires"], let expires = expiresNode.string else {
      throw walker.error(node, "a waiver needs an expiry date (expires: YYYY-MM-DD)")
    }
    // A real day of the calendar: 2027-02-30 is a typo that would otherwise never expire as meant.
    guard CivilDate(iso: expires) != nil else {
      throw walker.error(expiresNode, "expires must be a date YYYY-MM-DD, not '\(expires)'")
    }
    return Waiver(
      rule: rule,
      paths: try map["paths"].map { (node) throws(ConfigError) in try walker.strings(node) } ?? [],
      repositories: try map["repositories"].map { (node) throws(ConfigError) in try walker.strings(node) } ?? [],
      owner: owner, expires: expires, reason: map["reason"]?.string,
      file: walker.file, line: node.mark?.line ?? 0, fromRepository: fromRepository)
  }
}

/// Walks YAML nodes with a budget and turns mistakes into located ConfigErrors.
struct NodeWalker {
  let file: String
  var visited = 0
  var warnings: [ConfigError] = []

  init(file: String) {
    self.file = file
  }

  mutating func spend(_ count: Int = 1) throws(ConfigError) {
    visited += count
    if visited > PolicyLoader.nodeBudget {
      throw ConfigError(file: file, line: nil, column: nil, message: "config is too large or too deeply aliased")
    }
  }

  func error(_ node: Node, _ message: String) -> ConfigError {
    ConfigError(file: file, line: node.mark?.line, column: node.mark?.column, message: message)
  }

  mutating func mapping(_ node: Node?) throws(ConfigError) -> Node.Mapping? {
    guard let node else { return nil }
    try spend()
    if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
      return nil
    }
    guard let map = node.mapping else { throw error(node, "expected a mapping") }
    try spend(map.count)
    return map
  }

  mutating func allowOnly(_ map: Node.Mapping, keys: Set<String>) throws(ConfigError) {
    for (key, _) in map {
      guard let name = key.string, keys.contains(name) else {
        let list = keys.sorted().joined(separator: ", ")
        throw error(key, "unknown key '\(key.string ?? "?")' (expected one of: \(list))")
      }
    }
  }

  mutating func strings(_ node: Node) throws(ConfigError) -> [String] {
    try spend()
    if let single = node.scalar?.string { return [single] }
    guard let list = node.sequence else { throw error(node, "expected a list of strings") }
    try spend(list.count)
    var result: [String] = []
    for item in list {
      guard let text = item.scalar?.string else { throw error(item, "expected a string") }
      result.append(text)
    }
    return result
  }

  /// `off`, `on`, a severity, or a mapping of severity, locked and the rule's parameters.
  mutating func ruleSettings(_ node: Node, into settings: inout RuleSettings, known: [String: ParameterSpec])
    throws(ConfigError)
  {
    if let word = node.scalar?.string.lowercased() {
      switch word {
      case "off", "false", "no": settings.enabled = false
      case "on", "true", "yes": settings.enabled = true
      default:
        guard let severity = Severity(rawValue: word) else {
          throw error(node, "expected off, on, error, warning, note or a mapping, not '\(word)'")
        }
        settings.enabled = true
        settings.severity = severity
      }
      return
    }
    guard let map = try mapping(node) else { return }
    settings.enabled = true
    for (key, value) in map {
      guard let name = key.string else { throw error(key, "expected a parameter name") }
      switch name {
      case "severity":
        let word = value.scalar?.string.lowercased() ?? ""
        if word == "off" {
          settings.enabled = false
        } else if let severity = Severity(rawValue: word) {
          settings.severity = severity
        } else {
          throw error(value, "severity must be error, warning, note or off, not '\(word)'")
        }
      case "locked":
        guard let flag = value.bool else { throw error(value, "locked takes true or false") }
        settings.locked = flag
      case "enabled":
        guard let flag = value.bool else { throw error(value, "enabled takes true or false") }
        settings.enabled = flag
      default:
        guard let spec = known[name] else {
          let list = known.keys.sorted().joined(separator: ", ")
          throw error(
            key, "unknown parameter '\(name)'" + (list.isEmpty ? " (this rule takes none)" : " (expected: \(list))"))
        }
        switch spec.accept(try json(value)) {
        case .success(let accepted): settings.parameters[name] = accepted
        case .failure(let problem): throw error(value, problem.message)
        }
      }
    }
  }

  mutating func json(_ node: Node) throws(ConfigError) -> JSONValue {
    try spend()
    switch node {
    case .scalar(let scalar):
      if scalar.style == .plain {
        if let int = node.int { return .int(int) }
        if let bool = node.bool { return .bool(bool) }
        if node.null != nil { return .null }
      }
      return .string(scalar.string)
    case .sequence(let list):
      var items: [JSONValue] = []
      for item in list { items.append(try json(item)) }
      return .array(items)
    case .mapping(let map):
      var pairs: [(String, JSONValue)] = []
      for (key, value) in map { pairs.append((key.string ?? "", try json(value))) }
      return .object(pairs)
    case .alias:
      throw error(node, "aliases are not supported here")
    }
  }
}
