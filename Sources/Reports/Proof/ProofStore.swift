import Estate
import PlumbCore

extension ProofInputs {
  /// What the store knows: each repository at the commit it last scanned with its open findings (moved tags
  /// among them), and one point per finished whole-estate run for trends and the chart.
  public mutating func add(store: EstateStore) throws {
    let repositories = try store.repositories()
    let open = Dictionary(grouping: try store.openFindings(), by: \.repository)
    merge(
      repositories.map { stored in
        RepositoryResult(
          path: stored.path, name: stored.name, head: stored.lastHead, ref: stored.ref, status: stored.status,
          error: stored.error, findings: open[stored.name]?.map(\.finding) ?? [], metadata: stored.metadata)
      })
    // A shard's run covers part of the estate; only whole runs (and merged shard sets) are points in time.
    let runs = try store.runs().filter { $0.complete && ($0.shard == nil || $0.shard?.hasPrefix("merged") == true) }
    if let latest = runs.last {
      addPolicyHash(latest.policyHash)
      estateWaiverUsage = try Self.estateWaiverUsage(store, run: latest, repositories: repositories)
    }
    timeline = Self.timeline(runs: runs, spans: try store.findingSpans(), repositories: repositories)
    let span = runs.first.map { first in runs.count == 1 ? "run \(first.id)" : "runs \(first.id)–\(runs.last!.id)" }
    sources.append(store.path + (span.map { " (\($0))" } ?? ""))
  }

  /// The estate waivers used over the repositories `run` read, when it read all of them (not a partial merge of
  /// shards) and each was readable and has its result stored; nil when that cannot be known.
  static func estateWaiverUsage(_ store: EstateStore, run: StoredRun, repositories: [StoredRepository]) throws
    -> EstateWaiverUsage?
  {
    if run.shard?.contains(" of ") == true { return nil }
    let read = repositories.filter { $0.lastRun == run.id }
    guard !read.isEmpty, read.allSatisfy({ $0.status == .ok }) else { return nil }
    var used: Set<String> = []
    for repository in read {
      guard let text = try store.cachedResultText(repository: repository.name) else { return nil }
      used.formUnion(RepositoryResult.estateWaiversMatched(inJSON: text))
    }
    return EstateWaiverUsage(used: used, repositories: Set(read.map(\.name)), policyHash: run.policyHash)
  }

  /// Passing counts per category at each run, from the runs each finding was open in. A repository counts from
  /// the first run that recorded it, and as readable, as it was last seen.
  static func timeline(runs: [StoredRun], spans: [FindingSpan], repositories: [StoredRepository]) -> [ScorePoint] {
    let readable = repositories.filter { $0.status == .ok }
    let byRepository = Dictionary(grouping: spans, by: \.repository)
    // A day with several runs labels each by its minute too, and a minute with several by run, so the chart's
    // points can be told apart.
    let days = Dictionary(grouping: runs) { $0.startedAt.prefix(10) }
    let minutes = Dictionary(grouping: runs) { $0.startedAt.prefix(16) }
    func label(_ run: StoredRun) -> String {
      let day = run.startedAt.prefix(10)
      guard days[day]?.count ?? 0 > 1 else { return String(day) }
      let minute = String(day) + " " + run.startedAt.dropFirst(11).prefix(5)
      return minutes[run.startedAt.prefix(16)]?.count ?? 0 > 1 ? minute + " run \(run.id)" : minute
    }
    return runs.enumerated().map { index, run in
      var counted = 0
      var passing: [String: Int] = [:]
      for repository in readable {
        let spans = byRepository[repository.name] ?? []
        if let first = repository.firstRun ?? spans.map(\.firstSeenRun).min(), first > run.id { continue }
        counted += 1
        let failing = Set(
          spans.filter { $0.severity >= .warning && $0.isOpen(atRun: run.id) }.compactMap {
            ProofCategory.of(rule: $0.rule)
          })
        for category in ProofCategory.all where !failing.contains(category) { passing[category, default: 0] += 1 }
      }
      return ScorePoint(
        label: label(run), repositories: counted, passing: passing,
        current: index == runs.count - 1)
    }
  }
}
