import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

struct ScanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan", abstract: "Scan repositories (work trees, bare mirrors, or folders of them) at a revision.")

  @Argument(help: "Repositories or folders holding repositories.") var paths: [String] = ["."]
  @Option(help: "Estate manifest (estate.yml): repositories by path, with team, tier and tags.") var manifest: String?
  @Option(help: "Revision to scan in every repository (branch, tag, commit id, HEAD~3). Default: HEAD.") var rev:
    String?
  @Option(help: "Estate config (plumb.yml).") var config: String?
  @Option(help: "text, json, jsonl, sarif, github, markdown or gitlab.") var format: OutputFormat = .text
  @Option(help: "Write the report to this file instead of standard output.") var output: String?
  @Option(help: "Repositories scanned at once (default: cores).") var jobs: Int = ProcessInfo.processInfo
    .activeProcessorCount
  @Flag(help: "Do not tie findings to commits (findings carry commit: null).") var noAttribution = false
  @Option(help: "Scan only slice I of N of the estate (1-based, stable by repository name), with --format jsonl.")
  var shard: String?
  @Option(help: "SQLite store: reuse results of unchanged repositories, record the run, print what changed.")
  var store: String?
  @Option(help: "Exit 1 when a finding is at or above this severity: error, warning or note.") var failOn: String =
    "error"
  @Option(help: "A previous JSON output: findings it holds are not reported (matched by fingerprint).") var baseline:
    String?
  @Option(help: "Forge URL pattern for links in markdown, with {repo} {path} {line} {sha}.") var linkTemplate: String?
  @Option(help: "Give up on a repository after this many seconds (status error; the rest is still scanned).")
  var timeout: Double = 1800

  func run() async throws {
    guard let threshold = Severity(rawValue: failOn) else {
      throw PlumbFailure.usage("--fail-on takes error, warning or note, not '\(failOn)'")
    }
    guard jobs > 0 else { throw PlumbFailure.usage("--jobs must be at least 1") }
    try Environment.checkTimeout(timeout)
    let slice = try shard.map { text in
      guard let slice = Shard(text) else {
        throw PlumbFailure.usage("--shard takes I/N with 1 ≤ I ≤ N (for example 1/4), not '\(text)'")
      }
      return slice
    }
    if slice != nil && format != .jsonl {
      throw PlumbFailure.usage("--shard writes jsonl for `plumb merge`; use --format jsonl")
    }
    let found = try Environment.repositories(paths: paths, config: config, manifest: manifest)
    let (catalog, loader, policy) = (found.catalog, found.loader, found.policy)
    // Every shard reads the whole estate's refs, so cross-repository rules judge alike in every slice.
    let inSlice = found.locations.indices.filter { slice?.contains(found.locations[$0].name) ?? true }
    let locations = inSlice.map { found.locations[$0] }
    let today = Environment.today()
    let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: rev)

    // With a store (or for a shard, whose lines feed one), each repository's reference files decide whether its
    // previous result still holds; a shard only reads the store, `plumb merge` writes it.
    let opened = try store.map { path in try Environment.openStore(path, mustExist: slice != nil) } ?? nil
    let writesStore = opened != nil && slice == nil
    let usesCache = opened != nil || slice != nil
    // The run takes the store's lock before reading it, so what it reuses is what it records against.
    let runID =
      writesStore
      ? try opened.map { store in
        try Environment.storeCall {
          try store.beginRun(
            startedAt: Environment.timestamp(), plumbVersion: RunInfo.version, policyHash: policy.hash, shard: nil)
        }
      } : nil
    let rows = try opened.map { store in try Environment.storeCall { try store.cacheRows() } } ?? [:]
    // `~/` in a repository's config includes: the home folder, as git reads it.
    let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
    let fingerprints: [String?] =
      usesCache
      ? await EstateScan.map(found.locations, jobs: jobs) { RepositoryState.refsFingerprint($0, home: home) } : []
    // Reference files unchanged since a result was cached: the refs filed with it stand in for opening the repository.
    let known = found.locations.indices.map { index -> EstateKnowledge.RepositoryRefs? in
      let location = found.locations[index]
      guard index < fingerprints.count, let fingerprint = fingerprints[index], let row = rows[location.name],
        row.refsFingerprint == fingerprint, let json = row.refs
      else { return nil }
      return KnowledgeBuilder.refs(json: json, for: location)
    }
    var knowledge = try Environment.knowledge(
      found.locations, policy: policy, configPath: found.configPath, known: known)
    let salt = CacheSalt.make(
      policy: policy, revision: rev, attribution: !noAttribution, knowledge: knowledge, today: today,
      build: Environment.buildIdentity())
    let refsByName = Dictionary(knowledge.repositories.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let caches: [CacheEntry?] = inSlice.map { index in
      guard index < fingerprints.count, let fingerprint = fingerprints[index] else { return nil }
      let location = found.locations[index]
      return CacheEntry(
        key: RepositoryState.cacheKey(location, refsFingerprint: fingerprint, salt: salt),
        refsFingerprint: fingerprint)
    }
    // The refs filed with a result (made when one is written, not for every reused repository).
    func cachedRefs(_ position: Int) -> CachedRefs? {
      guard let fingerprint = caches[position]?.refsFingerprint, let refs = refsByName[locations[position].name]
      else { return nil }
      return CachedRefs(fingerprint: fingerprint, json: KnowledgeBuilder.json(refs))
    }
    // Results reused as stored: same key, and a summary to report them by without reading them.
    let reused = locations.indices.filter { position in
      guard let key = caches[position]?.key, let row = rows[locations[position].name] else { return false }
      return row.cacheKey == key && row.findingCount != nil
    }
    let reusedSet = Set(reused)
    let pending = locations.indices.filter { !reusedSet.contains($0) }
    if let opened {
      for position in pending {
        let name = locations[position].name
        let tags = try Environment.storeCall { try opened.recordedTags(repository: name) }
        if !tags.isEmpty { knowledge.recordedTags[name] = tags }
      }
    }
    // A shard's lines carry every repository's tags for `plumb merge`; a reused one is not otherwise opened.
    let reusedTags =
      slice != nil ? await EstateScan.map(reused.map { locations[$0] }, jobs: jobs) { RepositoryState.tags($0) } : []

    let scanner = RepositoryScanner(
      options: ScanOptions(
        revision: rev, policy: policy, today: today, knowledge: knowledge, attribution: !noAttribution),
      loader: loader)
    let accepted = try baseline.map(Environment.baseline)
    let progress = ProgressBar(total: locations.count, enabled: Environment.stderrIsTerminal && locations.count > 1)
    let ticker = progress.ticker()
    defer { ticker.cancel() }

    let stream = format == .jsonl ? try OutputStream(to: output) : nil
    var collected = [RepositoryResult?](repeating: nil, count: stream == nil ? locations.count : 0)
    var tally = Tally(threshold: threshold)
    var unmatched: [JSONValue] = []
    var usedEstateWaivers: Set<String> = []
    // The first store or output write that failed; the run stops there, with nothing half-recorded.
    var failure: Error?
    func write(_ line: String) {
      do {
        try stream?.write(line + "\n")
      } catch {
        failure = failure ?? error
      }
    }
    // Every result, scanned or reused, is reported here, in completion order.
    func report(_ position: Int, _ result: RepositoryResult, tags: [String: String], reused: Bool) {
      usedEstateWaivers.formUnion(result.estateWaiversMatched)
      var reported = result
      if let accepted {
        let (kept, stale) = accepted.apply(result)
        unmatched += stale.map { .object([("repository", .string(result.name)), ("fingerprint", .string($0))]) }
        reported = kept
      }
      tally.add(scanned: result, reported: reported)
      if stream != nil {
        var line = reported.json
        if slice != nil, case .object(let pairs) = line {
          line = .object(
            pairs + [
              (
                "store",
                ShardLine.storeBlock(
                  cacheKey: caches[position]?.key, tags: tags, refs: cachedRefs(position), reused: reused)
              )
            ])
        }
        write(line.serialized())
      } else {
        collected[position] = reported
      }
    }
    func deliverScanned(_ position: Int, _ result: RepositoryResult, tags: [String: String]) {
      progress.finished(result)
      if let opened, let runID, failure == nil {
        do {
          try opened.record(
            result, cacheKey: caches[position]?.key, tags: tags, runID: runID, refs: cachedRefs(position))
        } catch {
          failure = error
        }
      }
      report(position, result, tags: tags, reused: false)
    }
    // A reused result is written as stored when nothing needs it parsed: the unchanged nightly re-run.
    func deliverReused(_ position: Int, tags: [String: String]) {
      let location = locations[position]
      guard let opened, let row = rows[location.name], failure == nil else { return }
      let unreadable = PlumbFailure.usage(
        "\(opened.path): the cached result of \(location.name) could not be read back during the run")
      do {
        if stream != nil && accepted == nil, let text = try opened.cachedResultText(repository: location.name),
          Self.isOneObjectLine(text)
        {
          progress.finished(location.name, findings: row.findingCount ?? 0, failed: false)
          tally.add(worst: row.worstSeverity)
          usedEstateWaivers.formUnion(RepositoryResult.estateWaiversMatched(inJSON: text))
          guard slice != nil else { return write(text) }
          let block = ShardLine.storeBlock(
            cacheKey: row.cacheKey, tags: tags, refs: cachedRefs(position), reused: true)
          write(String(text.dropLast()) + ",\"store\":" + block.serialized() + "}")
        } else {
          guard let result = try opened.cachedResult(repository: location.name, cacheKey: row.cacheKey) else {
            throw unreadable
          }
          progress.finished(result)
          report(position, result, tags: tags, reused: true)
        }
      } catch {
        failure = error
      }
    }
    do {
      if let opened, let runID {
        try opened.confirmUnchanged(reused.map { locations[$0].name }, runID: runID)
      }
      for (offset, position) in reused.enumerated() {
        deliverReused(position, tags: offset < reusedTags.count ? reusedTags[offset] : [:])
      }
      let deadline = Deadline<(RepositoryResult, [String: String])>(seconds: timeout) { location, reason in
        let failed = RepositoryResult.failed(
          path: location.displayPath, name: location.name, error: reason, metadata: location.metadata)
        return (failed, [:])
      }
      await EstateScan.stream(
        pending.map { locations[$0] }, jobs: jobs, deadline: deadline, started: { progress.started($0.name) },
        { location in (scanner.scan(location), usesCache ? RepositoryState.tags(location) : [:]) }
      ) { offset, scanned in
        deliverScanned(pending[offset], scanned.0, tags: scanned.1)
      }
      progress.finish()
      if let failure { throw failure }
      if let stream {
        if let slice {
          let trailer = JSONReport.shardTrailer(shard: slice.description, repositories: locations.count, run: run)
          try stream.write(trailer.serialized() + "\n")
        }
        try stream.close()
      }
      if let opened, let runID {
        let changes = try opened.finishRun(runID, finishedAt: Environment.timestamp())
        Environment.warn(
          StoreSummary.text(changes, store: opened.path, runID: runID, total: locations.count, reused: reused.count))
      }
    } catch {
      stream?.abandon()
      if let opened, let runID { try? opened.abandonRun(runID) }
      throw (error as? PlumbFailure) ?? PlumbFailure.usage("\(error)")
    }

    // Whether an estate waiver is used is known only when the whole estate was read.
    let unusedEstateWaivers =
      slice == nil && !tally.unreadable
      ? policy.unusedEstateWaivers(used: usedEstateWaivers, repositories: Set(locations.map(\.name)), today: today)
        ?? [] : []
    for waiver in unusedEstateWaivers {
      Environment.warn(
        "estate waiver for \(waiver.rule) owned by \(waiver.owner) (\(waiver.declaredIn)) matched no finding in any of "
          + "the \(locations.count) repositories; remove it")
    }
    if !unmatched.isEmpty {
      Environment.warn(
        "\(unmatched.count) baseline entr\(unmatched.count == 1 ? "y" : "ies") no longer match a finding (fixed since); rewrite it with `plumb baseline write`"
      )
    }
    if stream == nil {
      var extra: [(String, JSONValue)] = []
      if let baseline {
        extra.append(("baseline", .object([("file", .string(baseline)), ("no_longer_matched", .array(unmatched))])))
      }
      if !unusedEstateWaivers.isEmpty {
        extra.append(("estate_waivers_unused", .array(unusedEstateWaivers.map { .object($0.fields) })))
      }
      let rendering = Rendering(
        catalog: catalog, run: run, linkTemplate: linkTemplate, colour: output == nil && Environment.stdoutIsTerminal)
      try rendering.emit(collected.compactMap { $0 }, as: format, extra: extra, to: output)
    }
    if tally.unreadable { throw ExitCode(3) }
    if tally.failing { throw ExitCode(1) }
  }
}

extension ScanCommand {
  /// A stored result fit to be written as it is: one line holding one JSON object (anything else, such as a
  /// hand-edited row, is parsed and written anew, or reported unreadable).
  static func isOneObjectLine(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      guard let start = bytes.baseAddress, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
        return false
      }
      return memchr(start, 0x0A, bytes.count) == nil && memchr(start, 0x0D, bytes.count) == nil
    }
  }
}

/// What decides the exit status, kept as results stream past.
struct Tally {
  let threshold: Severity
  var unreadable = false
  var failing = false

  mutating func add(scanned: RepositoryResult, reported: RepositoryResult) {
    if scanned.status == .error { unreadable = true }
    if reported.findings.contains(where: { $0.severity >= threshold }) { failing = true }
  }

  /// A reused result, known by its worst finding's severity.
  mutating func add(worst: Severity?) {
    if let worst, worst >= threshold { failing = true }
  }
}

/// The key a repository's result is cached under, and the digest of its reference files.
struct CacheEntry {
  let key: String
  let refsFingerprint: String
}
