import Foundation
import PlumbCore

extension ProofData {
  /// Works out everything the report shows from what was read. Scans say where the estate is now; adoption
  /// history (or store runs) says where it was, and adds maturity and delivery.
  public init(_ inputs: ProofInputs) {
    let categories = inputs.adoption?.categories ?? ProofCategory.all
    let links = MarkdownReport(linkTemplate: inputs.linkTemplate)
    let adoptionByName = Dictionary(
      (inputs.adoption?.repositories ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    var repositories: [Repository]
    if !inputs.repositories.isEmpty {
      repositories = inputs.repositories.map { result in
        Self.repository(result, adoption: adoptionByName[result.name], inputs: inputs, links: links)
      }
    } else {
      repositories = (inputs.adoption?.repositories ?? []).map { Self.repository($0, inputs: inputs) }
    }
    repositories.sort { ($0.name, $0.path) < ($1.name, $1.path) }

    var totals = Totals()
    totals.repositories = repositories.count
    totals.unreadable = repositories.filter { $0.status != "ok" }.count
    var findingsByCategory: [String: Int] = [:]
    if inputs.repositories.isEmpty {
      // Adoption alone: its last judged points count findings per category, not per severity.
      for repository in inputs.adoption?.repositories ?? [] {
        for (category, count) in repository.lastJudged?.findings ?? [:] {
          findingsByCategory[category, default: 0] += count
        }
      }
      totals.findings = findingsByCategory.values.reduce(0, +)
      (totals.errors, totals.warnings, totals.notes) = (nil, nil, nil)
    } else {
      var (errors, warnings, notes) = (0, 0, 0)
      for repository in repositories {
        errors += repository.errors ?? 0
        warnings += repository.warnings ?? 0
        notes += repository.notes ?? 0
        for finding in repository.findings {
          if let category = ProofCategory.of(rule: finding.rule) { findingsByCategory[category, default: 0] += 1 }
        }
      }
      (totals.errors, totals.warnings, totals.notes) = (errors, warnings, notes)
      totals.findings = errors + warnings + notes
    }

    // Now: the scans when there are any, else the point of the timeline that stands for now.
    var timeline = inputs.timeline
    let currentIndex = timeline.lastIndex(where: \.current)
    let now: ScorePoint?
    let previous: ScorePoint?
    if !inputs.repositories.isEmpty {
      let readable = repositories.filter { $0.status == "ok" }
      var passing: [String: Int] = [:]
      for category in categories {
        passing[category] = readable.filter { !$0.failing.contains(category) }.count
      }
      now = ScorePoint(label: "now", repositories: readable.count, passing: passing, current: true)
      if let currentIndex {
        previous = currentIndex > 0 ? timeline[currentIndex - 1] : nil
      } else {
        previous = timeline.last
        if let now { timeline.append(now) }  // the chart runs up to today
      }
    } else {
      let index = currentIndex ?? (timeline.isEmpty ? nil : timeline.count - 1)
      now = index.map { timeline[$0] }
      previous = index.flatMap { $0 > 0 ? timeline[$0 - 1] : nil }
    }

    scorecard = categories.map { category in
      let total = now?.repositories ?? 0
      let passing = now?.passing[category] ?? 0
      let share = Self.share(passing, of: total)
      let before = previous.flatMap { Self.share($0.passing[category] ?? 0, of: $0.repositories) }
      return Score(
        category: category, repositories: total, passing: passing, share: share, previousShare: before,
        previousLabel: before == nil ? nil : previous?.label, trend: Self.trend(share, before),
        findings: findingsByCategory[category] ?? 0)
    }
    self.timeline = timeline.map { point in
      TimelinePoint(
        label: point.label, repositories: point.repositories,
        shares: categories.map { Self.share(point.passing[$0] ?? 0, of: point.repositories) })
    }

    let estate = inputs.adoption?.estate
    adopted = categories.compactMap { category in
      estate?.adopted?[category].map { CategoryCount(category: category, repositories: $0) }
    }
    regressions = estate?.regressions
    if let maturity = estate?.maturity {
      let levels = ["none"] + maturity.levels.filter { $0 != "none" }
      self.maturity = levels.map { LevelCount(level: $0, repositories: maturity.distribution[$0] ?? 0) }
    } else {
      self.maturity = []
    }
    delivery = estate?.delivery.map(Self.delivery)

    self.categories = categories
    self.totals = totals
    self.repositories = repositories
    title = inputs.title
    generated = inputs.today
    sources = inputs.sources
    policyHashes = inputs.policyHashes
    teams = Set(repositories.compactMap(\.team)).sorted()
    pins = inputs.pins.map(Self.pins)
    releases = Self.releases(inputs.repositories, links: links)
    waivers = Self.waivers(inputs)
  }

  static func share(_ passing: Int, of total: Int) -> Double? {
    total > 0 ? Double(passing) / Double(total) : nil
  }

  /// Half a percentage point either way counts as no change.
  static func trend(_ now: Double?, _ before: Double?) -> Trend {
    guard let now, let before else { return .none }
    if now - before > 0.005 { return .up }
    if before - now > 0.005 { return .down }
    return .same
  }

  static func repository(
    _ result: RepositoryResult, adoption: AdoptionInput.Repository?, inputs: ProofInputs, links: MarkdownReport
  ) -> Repository {
    let labels = inputs.labels[result.name] ?? (result.metadata.isEmpty ? nil : result.metadata)
    let findings = result.findings.sorted { a, b in
      a.severity != b.severity ? a.severity > b.severity : Finding.reportOrder(a, b)
    }
    let sha = result.head ?? "HEAD"
    return Repository(
      name: result.name, path: result.path, team: labels?.team ?? adoption?.team,
      tier: labels?.tier ?? adoption?.tier?.text, tags: labels?.tags ?? [], head: result.head,
      headLink: result.head.flatMap { links.link(repo: result.name, path: "", line: nil, sha: $0) },
      status: result.status.rawValue, error: result.error,
      failing: ProofCategory.all.filter(ProofCategory.failing(result.findings).contains),
      errors: findings.filter { $0.severity == .error }.count,
      warnings: findings.filter { $0.severity == .warning }.count,
      notes: findings.filter { $0.severity == .note }.count,
      maturity: adoption.flatMap { Self.maturity($0, inputs: inputs) }, delivery: adoption?.delivery.map(delivery),
      findings: findings.map { finding in
        let line = finding.line.map { max(1, $0) }
        return FindingEntry(
          rule: finding.rule, severity: finding.severity, message: finding.message, path: finding.path, line: line,
          fingerprint: finding.fingerprint,
          url: finding.path.flatMap { path in
            path.isEmpty ? nil : links.link(repo: result.name, path: path, line: line, sha: sha)
          },
          commit: finding.commit.map { commit($0, repository: result.name, links: links) })
      })
  }

  /// A repository known only from adoption history: its standing at the last period it existed in.
  static func repository(_ adoption: AdoptionInput.Repository, inputs: ProofInputs) -> Repository {
    let labels = inputs.labels[adoption.name]
    let last = adoption.lastJudged
    let failing = ProofCategory.all.filter { last?.passing?[$0] == false }
    return Repository(
      name: adoption.name, path: adoption.path ?? adoption.name, team: labels?.team ?? adoption.team,
      tier: labels?.tier ?? adoption.tier?.text, tags: labels?.tags ?? [], head: adoption.head ?? last?.commit,
      headLink: nil, status: adoption.status ?? "ok", error: adoption.error, failing: failing, errors: nil,
      warnings: nil, notes: nil, maturity: maturity(adoption, inputs: inputs),
      delivery: adoption.delivery.map(delivery),
      findings: [])
  }

  /// A readable repository's level; below every level is `none` (older adoption JSON wrote null for it).
  static func maturity(_ adoption: AdoptionInput.Repository, inputs: ProofInputs) -> String? {
    guard adoption.maturity == nil else { return adoption.maturity }
    let hasLevels = !(inputs.adoption?.estate.maturity?.levels.isEmpty ?? true)
    return hasLevels && adoption.error == nil && adoption.lastJudged != nil ? "none" : nil
  }

  static func commit(_ commit: CommitRef, repository: String, links: MarkdownReport) -> Commit {
    Commit(
      sha: commit.sha, author: commit.author, time: commit.time, summary: commit.summary,
      url: links.commitLink(repo: repository, sha: commit.sha))
  }

  static func delivery(_ input: AdoptionInput.Delivery) -> Delivery {
    Delivery(
      releases: input.releases, releasesPerMonth: input.releasesPerMonth,
      leadTimeMedianDays: input.leadTimeDays?.median,
      leadTimeP90Days: input.leadTimeDays?.p90, patchShare: input.patchShare, lastRelease: input.lastRelease,
      daysSinceLastRelease: input.daysSinceLastRelease, unreleasedCommits: input.unreleasedCommits)
  }

  /// Versions newest first (numeric-aware), so the roll-up reads from the release everyone should be on.
  static func pins(_ input: PinsInput) -> Pins {
    Pins(
      pins: input.pins.count, repositories: Set(input.pins.map(\.repository)).count,
      sources: input.rollup.map { rollup in
        PinSource(
          kind: rollup.kind, source: rollup.source,
          versions: rollup.versions.map { VersionUse(version: $0.key, pins: $0.value) }.sorted {
            $0.version.compare($1.version, options: .numeric) == .orderedDescending
          },
          consumers: rollup.consumers.count, newest: rollup.newest, behindMajor: rollup.consumersBehindMajor.sorted())
      }.sorted { ($0.kind, $0.source) < ($1.kind, $1.source) })
  }

  static func releases(_ results: [RepositoryResult], links: MarkdownReport) -> Releases {
    var releases = Releases()
    for result in results {
      for finding in result.findings where finding.rule == "tags/breaking-without-major" || finding.rule == "tags/moved"
      {
        // The tag a finding is about, from its evidence: `to_tag` for a breaking release, `tag` otherwise.
        let tag = finding.evidence["to_tag"]?.stringValue ?? finding.evidence["tag"]?.stringValue
        let event = ReleaseEvent(
          repository: result.name, tag: tag, message: finding.message,
          commit: finding.commit.map { commit($0, repository: result.name, links: links) })
        if finding.rule == "tags/moved" { releases.moved.append(event) } else { releases.breaking.append(event) }
      }
    }
    releases.breaking.sort { ($0.repository, $0.tag ?? "") < ($1.repository, $1.tag ?? "") }
    releases.moved.sort { ($0.repository, $0.tag ?? "") < ($1.repository, $1.tag ?? "") }
    return releases
  }

  /// Estate waivers from the config, then every waiver plumb reported as expired or unused; one entry each.
  static func waivers(_ inputs: ProofInputs) -> [WaiverEntry] {
    var entries: [WaiverEntry] = []
    var index: [String: Int] = [:]
    let unusedKeys = Set(
      inputs.unusedEstateWaivers.map { waiverKey($0.rule, $0.owner, $0.expires, $0.paths, $0.repositories) })
    for waiver in inputs.waivers + inputs.unusedEstateWaivers {
      let key = waiverKey(waiver.rule, waiver.owner, waiver.expires, waiver.paths, waiver.repositories)
      guard index[key] == nil else { continue }
      index[key] = entries.count
      entries.append(
        WaiverEntry(
          rule: waiver.rule, owner: waiver.owner, expires: waiver.expires, reason: waiver.reason, paths: waiver.paths,
          repositories: waiver.repositories, declaredIn: "\(waiver.file):\(waiver.line)",
          scope: waiver.fromRepository ? "repository" : "estate",
          state: waiver.isExpired(today: inputs.today) ? .expired : unusedKeys.contains(key) ? .unused : .active,
          reportedIn: []))
    }
    for result in inputs.repositories {
      for finding in result.findings where finding.rule == "waiver/expired" || finding.rule == "waiver/unused" {
        let evidence = finding.evidence
        guard let rule = evidence["rule"]?.stringValue, let owner = evidence["owner"]?.stringValue,
          let expires = evidence["expires"]?.stringValue
        else { continue }
        let paths = strings(evidence["paths"])
        let named = strings(evidence["repositories"])
        let key = waiverKey(rule, owner, expires, paths, named)
        // A repository's own waiver is its own entry: the same words in two repositories are two exceptions.
        let ownKey = finding.path == nil ? key : key + "|" + result.name
        let declared = evidence["declared_in"]?.stringValue
        let position: Int
        if let known = index[ownKey] {
          position = known
        } else {
          position = entries.count
          index[ownKey] = position
          entries.append(
            WaiverEntry(
              rule: rule, owner: owner, expires: expires, reason: evidence["reason"]?.stringValue, paths: paths,
              repositories: named,
              declaredIn: finding.path == nil ? declared : declared.map { "\(result.name)/\($0)" },
              scope: finding.path == nil ? "estate" : "repository", state: .active, reportedIn: []))
        }
        if !entries[position].reportedIn.contains(result.name) { entries[position].reportedIn.append(result.name) }
        if finding.rule == "waiver/expired" {
          entries[position].state = .expired
        } else if entries[position].state == .active {
          entries[position].state = .unused
        }
      }
    }
    return entries.sorted { ($0.expires, $0.rule, $0.owner) < ($1.expires, $1.rule, $1.owner) }
  }

  static func waiverKey(_ rule: String, _ owner: String, _ expires: String, _ paths: [String], _ named: [String])
    -> String
  {
    ([rule, owner, expires] + paths + ["|"] + named).joined(separator: "\u{1F}")
  }

  static func strings(_ value: JSONValue?) -> [String] {
    value?.arrayValue?.compactMap(\.stringValue) ?? []
  }
}
