/// What one scan is asked to do, the same for every repository of a run.
public struct ScanOptions: Sendable {
  public var revision: String?
  public var policy: Policy
  public var rules: [any Rule]
  public var today: String
  /// Largest file read as text; bigger files are reported, not read.
  public var textLimit: Int
  /// Tags, branches and releases of the whole estate, for rules that look across repositories.
  public var knowledge: EstateKnowledge
  /// Tie each finding to the commit that introduced it (`--no-attribution` turns it off).
  public var attribution: Bool
  /// Pull-request mode: tag rules see only tags reachable from the scanned commit.
  public var tagsReachableOnly = false

  public init(
    revision: String? = nil, policy: Policy, rules: [any Rule] = RuleRegistry.all, today: String,
    textLimit: Int = 3 << 20, knowledge: EstateKnowledge = .empty, attribution: Bool = true
  ) {
    self.knowledge = knowledge
    self.attribution = attribution
    self.revision = revision
    self.policy = policy
    self.rules = rules
    self.today = today
    self.textLimit = textLimit
  }
}

/// Scans one repository: git objects → snapshot → rules → waivers → findings. Never throws: a
/// repository that cannot be read becomes a result with status `error`.
public struct RepositoryScanner: Sendable {
  public let options: ScanOptions
  public let loader: PolicyLoader
  public let cache: ParseCache

  public init(options: ScanOptions, loader: PolicyLoader, cache: ParseCache = ParseCache()) {
    self.options = options
    self.loader = loader
    self.cache = cache
  }

  /// `attributing` picks the findings worth tying to a commit (nil: all of them); the others carry none.
  public func scan(_ location: RepositoryLocation, attributing wanted: ((Finding) -> Bool)? = nil) -> RepositoryResult {
    do {
      let loaded = try SnapshotLoader.load(
        location, revision: options.revision, cache: cache, textLimit: options.textLimit)
      loaded.snapshot.history.onlyTagsReachableFromHead = options.tagsReachableOnly
      let policy = repositoryPolicy(loaded.snapshot)
      let (evaluated, facts) = evaluateKeepingFacts(loaded.snapshot, policy: policy)
      var findings = evaluated
      let chosen = options.attribution ? findings.indices.filter { wanted?(findings[$0]) ?? true } : []
      let attributed =
        chosen.isEmpty
        ? []
        : Attribution(scanner: self, snapshot: loaded.snapshot, policy: policy.0).attribute(chosen.map { findings[$0] })
      for index in findings.indices { findings[index].commit = nil }
      for (index, finding) in zip(chosen, attributed) { findings[index] = finding }
      var result = RepositoryResult(
        path: location.displayPath, name: location.name, head: loaded.snapshot.commit, ref: loaded.ref, status: .ok,
        error: nil, findings: findings, metadata: location.metadata)
      // Whether an estate waiver is used anywhere is an estate question: each result says where it was used here.
      result.estateWaiversMatched = facts.waiverOutcomes.filter { !$0.waiver.fromRepository && $0.matched > 0 }
        .map(\.waiver.declaredIn)
      return result
    } catch {
      return .failed(path: location.displayPath, name: location.name, error: error.message, metadata: location.metadata)
    }
  }

  /// Runs the rules on one snapshot and applies the waivers; shared by every command that evaluates a tree.
  public func evaluate(_ snapshot: Snapshot) -> [Finding] {
    evaluate(snapshot, policy: repositoryPolicy(snapshot))
  }

  /// The same, with the repository's policy already read (the scan reuses it for attribution).
  func evaluate(_ snapshot: Snapshot, policy effective: (Policy, [ConfigError])) -> [Finding] {
    evaluateKeepingFacts(snapshot, policy: effective).findings
  }

  /// The same, with the facts the rules shared (the waivers' outcomes among them).
  func evaluateKeepingFacts(_ snapshot: Snapshot, policy effective: (Policy, [ConfigError])) -> (
    findings: [Finding], facts: RepositoryFacts
  ) {
    let (policy, configProblems) = effective
    let facts = RepositoryFacts(snapshot: snapshot, policy: policy, knowledge: options.knowledge)
    facts.configProblems = configProblems
    var findings: [Finding] = []
    let (treeRules, waiverRules) = (
      options.rules.filter { !$0.runsAfterWaivers }, options.rules.filter(\.runsAfterWaivers)
    )
    for rule in treeRules {
      guard let settings = policy.settings(rule.id), settings.enabled else { continue }
      let context = RuleContext(snapshot: snapshot, facts: facts, settings: settings, policy: policy, ruleID: rule.id)
      findings.append(contentsOf: rule.check(context))
    }
    return (applyWaivers(findings, waiverRules: waiverRules, snapshot: snapshot, facts: facts), facts)
  }

  /// Waivers suppress what they match (until they expire), then the waiver rules judge the waivers.
  func applyWaivers(_ findings: [Finding], waiverRules: [any Rule], snapshot: Snapshot, facts: RepositoryFacts)
    -> [Finding]
  {
    let policy = facts.policy
    var kept: [Finding] = []
    var outcomes = policy.waivers.map {
      WaiverOutcome(waiver: $0, expired: $0.isExpired(today: options.today), matched: 0)
    }
    for finding in findings {
      var waived = false
      // A repository's pattern waiver (`pins/*`) passes over the rules the estate locked.
      let locked = policy.rules[finding.rule]?.locked == true
      for index in outcomes.indices
      where outcomes[index].waiver.matches(finding, repository: snapshot.repositoryName)
        && !(locked && outcomes[index].waiver.fromRepository)
      {
        outcomes[index] = WaiverOutcome(
          waiver: outcomes[index].waiver, expired: outcomes[index].expired, matched: outcomes[index].matched + 1)
        if !outcomes[index].expired { waived = true }
      }
      if !waived { kept.append(finding) }
    }
    facts.waiverOutcomes = outcomes
    for rule in waiverRules {
      guard let settings = policy.settings(rule.id), settings.enabled else { continue }
      let context = RuleContext(snapshot: snapshot, facts: facts, settings: settings, policy: policy, ruleID: rule.id)
      kept.append(contentsOf: rule.check(context))
    }
    return deduplicated(kept).sorted(by: Finding.reportOrder)
  }

  func repositoryPolicy(_ snapshot: Snapshot) -> (Policy, [ConfigError]) {
    guard snapshot.file(".plumb.yml") != nil else { return (options.policy, []) }
    switch snapshot.text(".plumb.yml") {
    case .failure(let problem):
      return (options.policy, [ConfigError(file: ".plumb.yml", line: nil, column: nil, message: "\(problem)")])
    case .success(let text):
      return loader.repositoryPolicy(text, file: ".plumb.yml", estate: options.policy)
    }
  }

  func deduplicated(_ findings: [Finding]) -> [Finding] {
    var seen: Set<String> = []
    return findings.filter { seen.insert($0.fingerprint + "@\($0.line ?? 0)").inserted }
  }
}

extension Finding {
  /// Repository-level findings first, then by path, line and rule.
  public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
    (a.path ?? "", a.line ?? 0, a.rule, a.message) < (b.path ?? "", b.line ?? 0, b.rule, b.message)
  }
}
