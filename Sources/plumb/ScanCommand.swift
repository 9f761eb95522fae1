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
    let (catalog, loader, policy, knowledge) = (estate.catalog, estate.loader, estate.policy, estate.knowledge)
    // Every shard reads the whole estate's refs, so cross-repository rules judge alike in every slice.
    let locations = slice.map { slice in estate.locations.filter { slice.contains($0.name) } } ?? estate.locations
    let scanner = RepositoryScanner(
      options: ScanOptions(
        revision: rev, policy: policy, today: Environment.today(), knowledge: knowledge, attribution: !noAttribution),
      loader: loader)
    let accepted = try baseline.map(Environment.baseline)
    let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: rev)
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
    do {
      await EstateScan.stream(locations, jobs: jobs, started: { progress.started($0.name) }, scanner.scan) {
        index, result in
        progress.finished(result)
        var reported = result
        if let accepted {
          let (kept, stale) = accepted.apply(result)
          unmatched += stale.map { .object([("repository", .string(result.name)), ("fingerprint", .string($0))]) }
          reported = kept
        }
        tally.add(scanned: result, reported: reported)
        if let stream {
          try? stream.write(JSONReport.repository(reported).serialized() + "\n")
        } else {
          collected[index] = reported
        }
      }
      progress.finish()
      if let stream {
        if let slice {
          let trailer = JSONReport.shardTrailer(shard: slice.description, repositories: locations.count, run: run)
          try stream.write(trailer.serialized() + "\n")
        }
        try stream.close()
      }
    } catch {
      stream?.abandon()
      throw error
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
