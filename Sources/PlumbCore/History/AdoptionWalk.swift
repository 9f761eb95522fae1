import GitKit

/// `plumb adoption` for one repository: every rule at the last first-parent commit of each period,
/// re-run only when what it read changed (the files it looked up, the file list, the tags it could see,
/// or the commit it walked back from), with parses reused by blob id through the shared ParseCache.
/// Tag rules see only tags reachable from the period's commit and tagged before the period ended; the estate
/// is seen as it stood when the period ended (template and module releases published later left out).
public struct AdoptionRun: Sendable {
  public let scanner: RepositoryScanner
  public let periods: [AdoptionPeriod]
  public let today: CivilDate

  public init(scanner: RepositoryScanner, periods: [AdoptionPeriod], today: CivilDate) {
    self.scanner = scanner
    self.periods = periods
    self.today = today
  }

  /// Never throws: a repository that cannot be read becomes a result with its error.
  public func repository(_ location: RepositoryLocation) -> RepositoryAdoption {
    do throws(GitError) {
      let repository = try Repository(at: location.path)
      let (_, head) = try SnapshotLoader.resolve(repository, nil)
      var walk = try RepositoryWalk(run: self, repository: repository, location: location, head: head)
      return try walk.adoption()
    } catch {
      return .failed(location, error: error.message, periods: periods.count)
    }
  }
}

/// What one rule returned at one commit and what it read to get there.
struct RuleRun {
  let findings: [Finding]
  let commit: ObjectID
  let paths: [String]
  let states: [PathState]
  /// The file list it saw: equal numbers mean equal lists of paths and kinds.
  let listing: Int
  let log: AccessLog
  /// Tags visible when it ran; visibility only grows over a run, so a count identifies the set.
  let visibleTags: Int
  /// The time the estate it could ask about stood at (releases published by then).
  let publishedBy: Int64
}

/// All a rule can learn about a path it names: a file's content and kind, a folder's existence, or nothing.
/// (A folder's contents are visible only through the file list, which a rule reading it depends on.)
enum PathState: Hashable {
  case file(ObjectID, SnapshotFile.Kind)
  case folder
  case missing

  init(_ path: String, in snapshot: Snapshot) {
    if let position = snapshot.index[path] {
      let file = snapshot.storedFiles[position]
      self = .file(file.blob, file.kind)
    } else {
      self = snapshot.storedDirectories.contains(path) ? .folder : .missing
    }
  }
}

/// The state of one repository's walk through the periods.
struct RepositoryWalk {
  let run: AdoptionRun
  let repository: Repository
  let location: RepositoryLocation
  let head: ObjectID
  /// The first-parent chain from head, newest first.
  let chain: [ChainCommit]
  /// Chain position of each period's commit; nil before the repository's first commit.
  let periodCommits: [Int?]
  let tags: [RepositoryHistory.Tag]
  /// Tags that do not read, read once for every period's repo/parse-error.
  let unreadableTags: [String: String]
  /// For each tag, the first period that sees it (reachable from the period's commit and tagged by its end).
  let firstVisible: [Int?]
  /// Chain positions of tagged commits that lie on the chain.
  let positions: [ObjectID: Int]
  let defaultBranch: (name: String, commit: String)?

  var runs: [String: RuleRun] = [:]
  var ancestry: [String: Bool] = [:]
  let knownSteps: FirstParentSteps
  let memo = HistoryMemo()
  /// Release dates of the estate repositories rules asked about, for reusing findings across periods.
  let clock = ReleaseClock()
  var evaluations = 0

  init(run: AdoptionRun, repository: Repository, location: RepositoryLocation, head: ObjectID) throws(GitError) {
    self.run = run
    self.repository = repository
    self.location = location
    self.head = head
    chain = try repository.firstParentChain(from: head)
    periodCommits = Self.periodCommits(chain, run.periods)
    knownSteps = FirstParentSteps(repository: repository, chain: chain)
    let (infos, unreadable) = (try? repository.tagList()) ?? ([], [:])
    unreadableTags = unreadable
    tags = infos.map { tag in
      let time = tag.tagger?.time ?? tag.commit.flatMap { try? repository.commitLinks($0).time }
      return RepositoryHistory.Tag(
        name: tag.name, target: tag.referenceTarget.hex, commit: tag.commit?.hex, isAnnotated: tag.isAnnotated,
        time: time)
    }
    let tagged = Set(infos.compactMap(\.commit))
    var positions: [ObjectID: Int] = [:]
    for (position, commit) in chain.enumerated() where tagged.contains(commit.id) { positions[commit.id] = position }
    self.positions = positions
    defaultBranch = repository.defaultBranch().flatMap { name in
      repository.referenceTarget(name).map { (name, $0.hex) }
    }
    var firstVisible: [Int?] = []
    for (info, tag) in zip(infos, tags) {
      firstVisible.append(
        Self.firstVisiblePeriod(
          info.commit, time: tag.time, repository: repository, chain: chain, positions: positions,
          periodCommits: periodCommits, periods: run.periods))
    }
    self.firstVisible = firstVisible
  }

  /// A period's commit is the newest first-parent commit made before the period ended.
  static func periodCommits(_ chain: [ChainCommit], _ periods: [AdoptionPeriod]) -> [Int?] {
    var result = [Int?](repeating: nil, count: periods.count)
    // Periods at or before the oldest time seen so far are still open: always a prefix of the periods.
    var open = periods.count
    var oldest = Int64.max
    for (position, commit) in chain.enumerated() where open > 0 {
      oldest = min(oldest, commit.time)
      while open > 0 && periods[open - 1].cutoff > oldest {
        result[open - 1] = position
        open -= 1
      }
    }
    return result
  }

  static func firstVisiblePeriod(
    _ commit: ObjectID?, time: Int64?, repository: Repository, chain: [ChainCommit], positions: [ObjectID: Int],
    periodCommits: [Int?], periods: [AdoptionPeriod]
  ) -> Int? {
    guard let commit, let time else { return nil }
    let existing = periodCommits.indices.filter { periodCommits[$0] != nil }
    // Reachability only grows from one period to the next along a first-parent chain: bisect it.
    func reachable(_ period: Int) -> Bool {
      let at = periodCommits[period]!
      if let position = positions[commit] { return position >= at }
      return repository.isAncestor(commit, of: chain[at].id)
    }
    guard let last = existing.last, reachable(last) else { return nil }
    var (low, high) = (0, existing.count - 1)
    while low < high {
      let middle = (low + high) / 2
      if reachable(existing[middle]) { high = middle } else { low = middle + 1 }
    }
    guard let tagged = periods.firstIndex(where: { $0.cutoff > time }) else { return nil }
    return max(existing[high], tagged)
  }

  mutating func adoption() throws(GitError) -> RepositoryAdoption {
    let estatePolicy = run.scanner.options.policy
    let treeRules = run.scanner.options.rules.filter { !$0.runsAfterWaivers }
    let waiverRules = run.scanner.options.rules.filter(\.runsAfterWaivers)
    var points: [AdoptionPoint?] = []
    var last: [Finding]?
    var previous:
      (
        commit: ObjectID, visible: Int, publishedBy: Int64, snapshot: Snapshot, listing: Int, findings: [Finding],
        expired: [Bool], point: AdoptionPoint
      )?
    var effective: (plumbFile: ObjectID?, policy: Policy, problems: [ConfigError])?
    // The last CODEOWNERS match table computed: most paths keep their rows from one period to the next.
    var codeOwnersMatches: CodeOwnersMatchTable?
    for (index, period) in run.periods.enumerated() {
      guard let position = periodCommits[index] else {
        points.append(nil)
        continue
      }
      let commit = chain[position].id
      let visible = tags.indices.filter { firstVisible[$0].map { $0 <= index } ?? false }.map { tags[$0] }
      let today = min(period.end, run.today).description
      // The estate as it stood then: a template or module release published later was not there to lag behind.
      let publishedBy = min(period.cutoff, run.today.adding(days: 1).startSeconds) - 1
      // A quiet period: same commit (so same policy), same tags, no estate release, no waiver expiring. Its
      // findings are the last period's, waived alike.
      if var quiet = previous, quiet.commit == commit, quiet.visible == visible.count,
        !clock.published(between: quiet.publishedBy, and: publishedBy),
        let effective, quiet.expired == effective.policy.waivers.map({ $0.isExpired(today: today) })
      {
        points.append(quiet.point)
        quiet.publishedBy = publishedBy
        previous = quiet
        continue
      }
      var options = run.scanner.options
      options.today = today
      options.knowledge = options.knowledge.asOf(publishedBy, clock: clock)
      let scanner = RepositoryScanner(options: options, loader: run.scanner.loader, cache: run.scanner.cache)
      let snapshot: Snapshot
      var listing = previous?.listing ?? 0
      if let previous, previous.commit == commit {
        snapshot = previous.snapshot
      } else {
        snapshot = Snapshot(
          repository: repository, name: location.name, commit: commit,
          entries: try repository.files(ofTree: chain[position].tree), cache: run.scanner.cache,
          textLimit: options.textLimit)
        if let before = previous?.snapshot, !Self.sameListing(before, snapshot) { listing += 1 }
      }
      let plumbFile = snapshot.index[".plumb.yml"].map { snapshot.storedFiles[$0].blob }
      if effective == nil || effective!.plumbFile != plumbFile {
        let (policy, problems) = scanner.repositoryPolicy(snapshot)
        if let effective, effective.policy != policy || effective.problems != problems { runs = [:] }
        effective = (plumbFile, policy, problems)
      }
      let (policy, problems) = (effective!.policy, effective!.problems)
      if previous?.commit != commit || previous?.visible != visible.count { prepareHistory(snapshot, visible) }
      // One set of facts per period, shared by its rules: each fact charges its reads to every rule that uses it.
      let facts = RepositoryFacts(snapshot: snapshot, policy: policy, knowledge: options.knowledge)
      facts.configProblems = problems
      facts.carriedMatches = codeOwnersMatches
      let treeFindings: [Finding]
      if let previous, previous.commit == commit, previous.visible == visible.count,
        !clock.published(between: previous.publishedBy, and: publishedBy)
      {
        treeFindings = previous.findings
      } else {
        treeFindings = evaluate(
          treeRules, facts: facts, listing: listing, visible: visible.count, publishedBy: publishedBy)
      }
      ancestry.merge(snapshot.storedHistory.ancestry) { old, _ in old }
      let findings = scanner.applyWaivers(treeFindings, waiverRules: waiverRules, snapshot: snapshot, facts: facts)
      codeOwnersMatches = facts.matchesToCarry ?? codeOwnersMatches
      let point = AdoptionPoint(commit: commit.hex, findings: findings)
      points.append(point)
      last = findings
      let expired = policy.waivers.map { $0.isExpired(today: today) }
      previous = (commit, visible.count, publishedBy, snapshot, listing, treeFindings, expired, point)
    }
    let calculator = DeliveryCalculator(repository: repository, chain: chain, positions: positions)
    let windowStart = (run.periods.first?.start ?? run.today).startSeconds
    let delivery = calculator.figures(
      releases: calculator.releases(tags, policy: estatePolicy.releases), windowStart: windowStart,
      windowEnd: run.today.adding(days: 1).startSeconds)
    return RepositoryAdoption(
      name: location.name, path: location.displayPath, head: head.hex, error: nil, metadata: location.metadata,
      points: points, delivery: delivery,
      maturity: last.flatMap {
        MaturityLevels.level(failingRules: MaturityLevels.failingRules($0), levels: estatePolicy.levels)
      }, ruleEvaluations: evaluations,
      shallowSince: repository.isShallow ? chain.last.map { CivilDate(seconds: $0.time) } : nil,
      unreadable: (last ?? []).filter { $0.rule == "repo/parse-error" }.map { finding in
        finding.path.map { "\($0): \(finding.message)" } ?? finding.message
      })
  }

  /// Whether two snapshots list the same paths with the same kinds (contents aside).
  static func sameListing(_ a: Snapshot, _ b: Snapshot) -> Bool {
    a.storedFiles.count == b.storedFiles.count
      && zip(a.storedFiles, b.storedFiles).allSatisfy { $0.path == $1.path && $0.kind == $1.kind }
  }

  /// The period's view of history: its visible tags, and graph facts that hold for every period.
  func prepareHistory(_ snapshot: Snapshot, _ visible: [RepositoryHistory.Tag]) {
    let history = RepositoryHistory(repository: repository, head: snapshot.commitID)
    history.tags = visible
    history.unreadableTags = unreadableTags
    history.defaultBranch = defaultBranch
    if defaultBranch?.commit == head.hex {
      // Every visible tag is reachable from the period's commit, which the default branch then was.
      history.defaultBranchCommits = Set(visible.compactMap { $0.commit.flatMap(ObjectID.init(hex:)) })
    }
    // Chain positions order ancestors after descendants, as the topological index requires.
    var index: [ObjectID: Int] = [:]
    for tag in visible {
      if let id = tag.commit.flatMap(ObjectID.init(hex:)), let position = positions[id] { index[id] = position }
    }
    history.topologicalIndex = index
    history.ancestry = ancestry
    history.knownSteps = knownSteps
    history.memo = memo
    snapshot.storedHistory = history
  }

  /// The tree rules' findings at a snapshot: a rule's previous findings when nothing it read changed, else a new run.
  mutating func evaluate(
    _ rules: [any Rule], facts: RepositoryFacts, listing: Int, visible: Int, publishedBy: Int64
  ) -> [Finding] {
    let (snapshot, policy) = (facts.snapshot, facts.policy)
    let commit = snapshot.commitID
    func unchanged(_ run: RuleRun) -> Bool {
      if run.log.readHistory && run.visibleTags != visible { return false }
      if run.log.readKnowledge && clock.published(between: run.publishedBy, and: publishedBy) { return false }
      if run.commit == commit { return true }
      if run.log.walkedHistory || (run.log.listed && run.listing != listing) { return false }
      return zip(run.paths, run.states).allSatisfy { path, state in PathState(path, in: snapshot) == state }
    }
    var findings: [Finding] = []
    for rule in rules {
      guard let settings = policy.settings(rule.id), settings.enabled else { continue }
      if let previous = runs[rule.id], unchanged(previous) {
        findings += previous.findings
        continue
      }
      let log = AccessLog()
      snapshot.accessLog = log
      let found = rule.check(
        RuleContext(snapshot: snapshot, facts: facts, settings: settings, policy: policy, ruleID: rule.id))
      snapshot.accessLog = nil
      evaluations += 1
      let paths = Array(log.paths)
      runs[rule.id] = RuleRun(
        findings: found, commit: commit, paths: paths, states: paths.map { PathState($0, in: snapshot) },
        listing: listing, log: log, visibleTags: visible, publishedBy: publishedBy)
      findings += found
    }
    return findings
  }
}
