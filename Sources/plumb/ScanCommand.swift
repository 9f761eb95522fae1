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
  @Option(help: "Scan only slice I of N of the estate (1-based, stable by repository name); writes jsonl.")
  var shard: String?
  @Option(help: "SQLite store: reuse results of unchanged repositories, record the run, print what changed.")
  var store: String?
  @Option(help: "Exit 1 when a finding is at or above this severity: error, warning or note.") var failOn: String =
    "error"
  @Option(help: "A previous JSON output: findings it holds are not reported (matched by fingerprint).") var baseline:
    String?
  @Option(help: "Forge URL pattern for links in markdown, with {repo} {path} {line} {sha}.") var linkTemplate: String?

  func run() async throws {
    guard let threshold = Severity(rawValue: failOn) else {
      throw PlumbFailure.usage("--fail-on takes error, warning or note, not '\(failOn)'")
    }
    guard jobs > 0 else { throw PlumbFailure.usage("--jobs must be at least 1") }
    let slice = try shard.map { text in
      guard let slice = Shard(text) else {
        throw PlumbFailure.usage("--shard takes I/N with 1 ≤ I ≤ N (for example 1/4), not '\(text)'")
      }
      return slice
    }
    if slice != nil && format != .jsonl {
      throw PlumbFailure.usage("--shard writes jsonl for `plumb merge`; use --format jsonl")
    }
    let estate = try Environment.estate(paths: paths, config: config, manifest: manifest)
    let (catalog, loader, policy) = (estate.catalog, estate.loader, estate.policy)
    var knowledge = estate.knowledge
    // Every shard reads the whole estate's refs, so cross-repository rules judge alike in every slice.
    let locations = slice.map { slice in estate.locations.filter { slice.contains($0.name) } } ?? estate.locations
    let today = Environment.today()
    let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: rev)

    // With a store (or for a shard, whose lines feed one), each repository's refs decide whether its
    // previous result still holds; a shard only reads the store, `plumb merge` writes it.
    let opened = try store.map { path in try Environment.openStore(path, mustExist: slice != nil) } ?? nil
    let writesStore = opened != nil && slice == nil
    let salt = CacheSalt.make(
      policy: policy, revision: rev, attribution: !noAttribution, knowledge: knowledge, today: today)
    let states: [RepositoryState?] =
      opened != nil || slice != nil
      ? await EstateScan.map(locations, jobs: jobs) { RepositoryState.read($0, revision: rev, salt: salt) } : []
    var cached: [Int: RepositoryResult] = [:]
    if let opened {
      for (index, location) in locations.enumerated() {
        let tags = try Environment.storeCall { try opened.recordedTags(repository: location.name) }
        if !tags.isEmpty { knowledge.recordedTags[location.name] = tags }
        if let key = states[index]?.cacheKey,
          let hit = try Environment.storeCall({ try opened.cachedResult(repository: location.name, cacheKey: key) })
        {
          cached[index] = RepositoryResult(
            path: location.displayPath, name: location.name, head: hit.head, ref: hit.ref, status: hit.status,
            error: hit.error, findings: hit.findings, metadata: location.metadata)
        }
      }
    }
    let runID =
      writesStore
      ? try opened.map { store in
        try Environment.storeCall {
          try store.beginRun(
            startedAt: Environment.timestamp(), plumbVersion: RunInfo.version, policyHash: policy.hash, shard: nil)
        }
      } : nil

    let scanner = RepositoryScanner(
      options: ScanOptions(
        revision: rev, policy: policy, today: today, knowledge: knowledge, attribution: !noAttribution),
      loader: loader)
    let accepted = try baseline.map(Environment.baseline)
    let progress = ProgressBar(total: locations.count, enabled: Environment.stderrIsTerminal && locations.count > 1)
    let ticker = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(500))
        progress.draw()
      }
    }
    defer { ticker.cancel() }

    let stream = format == .jsonl ? try OutputStream(to: output) : nil
    var collected = [RepositoryResult?](repeating: nil, count: stream == nil ? locations.count : 0)
    var tally = Tally(threshold: threshold)
    var unmatched: [JSONValue] = []
    // The first store or output write that failed; the run stops there, with nothing half-recorded.
    var failure: Error?
    // One place every result passes, scanned or reused, in completion order.
    func deliver(_ index: Int, _ result: RepositoryResult) {
      progress.finished(result)
      let state = states.isEmpty ? nil : states[index]
      if let opened, let runID, failure == nil {
        do {
          try opened.record(
            result, cacheKey: state?.cacheKey, tags: state?.tags ?? [:], runID: runID)
        } catch {
          failure = error
        }
      }
      var reported = result
      if let accepted {
        let (kept, stale) = accepted.apply(result)
        unmatched += stale.map { .object([("repository", .string(result.name)), ("fingerprint", .string($0))]) }
        reported = kept
      }
      tally.add(scanned: result, reported: reported)
      if let stream {
        var line = reported.json
        if slice != nil, case .object(let pairs) = line {
          line = .object(pairs + [("store", ShardLine.storeBlock(state))])
        }
        do {
          try stream.write(line.serialized() + "\n")
        } catch {
          failure = failure ?? error
        }
      } else {
        collected[index] = reported
      }
    }
    do {
      for (index, result) in cached.sorted(by: { $0.key < $1.key }) { deliver(index, result) }
      let pending = locations.indices.filter { cached[$0] == nil }
      await EstateScan.stream(
        pending.map { locations[$0] }, jobs: jobs, started: { progress.started($0.name) }, scanner.scan
      ) { position, result in
        deliver(pending[position], result)
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
          StoreSummary.text(changes, store: opened.path, runID: runID, total: locations.count, reused: cached.count))
      }
    } catch {
      stream?.abandon()
      if let opened, let runID { try? opened.abandonRun(runID) }
      throw (error as? PlumbFailure) ?? PlumbFailure.usage("\(error)")
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
      let rendering = Rendering(
        catalog: catalog, run: run, linkTemplate: linkTemplate, colour: output == nil && Environment.stdoutIsTerminal)
      try Environment.emit(rendering.render(collected.compactMap { $0 }, as: format, extra: extra), to: output)
    }
    if tally.unreadable { throw ExitCode(3) }
    if tally.failing { throw ExitCode(1) }
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
}
