import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

struct ScanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan", abstract: "Scan repositories (work trees, bare mirrors, or folders of them) at a revision.")

  @Argument(help: "Repositories or folders holding repositories.") var paths: [String] = ["."]
  @Option(help: "Revision to scan in every repository (branch, tag, commit id, HEAD~3). Default: HEAD.") var rev:
    String?
  @Option(help: "Estate config (plumb.yml).") var config: String?
  @Option(help: "text, json, jsonl, sarif, github, markdown or gitlab.") var format: OutputFormat = .text
  @Option(help: "Write the report to this file instead of standard output.") var output: String?
  @Option(help: "Repositories scanned at once (default: cores).") var jobs: Int = ProcessInfo.processInfo
    .activeProcessorCount
  @Flag(help: "Do not tie findings to commits (findings carry commit: null).") var noAttribution = false
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
    let estate = try Environment.estate(paths: paths, config: config)
    let (catalog, loader, policy, locations, knowledge) = (
      estate.catalog, estate.loader, estate.policy, estate.locations, estate.knowledge
    )
    let scanner = RepositoryScanner(
      options: ScanOptions(
        revision: rev, policy: policy, today: Environment.today(), knowledge: knowledge, attribution: !noAttribution),
      loader: loader)
    let progress = ProgressLine(total: locations.count, enabled: Environment.stderrIsTerminal && locations.count > 1)
    let results = await EstateScan(scanner: scanner, jobs: jobs).run(locations) { done, result in
      progress.update(done: done, last: result)
    }
    progress.finish()

    var reported = results
    var extra: [(String, JSONValue)] = []
    if let baseline {
      let accepted = try Environment.baseline(baseline)
      var unmatched: [JSONValue] = []
      reported = results.map { result in
        let (kept, stale) = accepted.apply(result)
        unmatched += stale.map { .object([("repository", .string(result.name)), ("fingerprint", .string($0))]) }
        return kept
      }
      extra.append(("baseline", .object([("file", .string(baseline)), ("no_longer_matched", .array(unmatched))])))
      if !unmatched.isEmpty {
        Environment.warn(
          "\(unmatched.count) baseline entr\(unmatched.count == 1 ? "y" : "ies") no longer match a finding (fixed since); rewrite it with `plumb baseline write`"
        )
      }
    }
    let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: rev)
    let rendering = Rendering(
      catalog: catalog, run: run, linkTemplate: linkTemplate, colour: output == nil && Environment.stdoutIsTerminal)
    try Environment.emit(rendering.render(reported, as: format, extra: extra), to: output)

    if results.contains(where: { $0.status == .error }) { throw ExitCode(3) }
    if reported.contains(where: { $0.findings.contains { $0.severity >= threshold } }) { throw ExitCode(1) }
  }
}

/// One line on stderr that counts repositories as they finish (only on a terminal).
final class ProgressLine: Sendable {
  let total: Int
  let enabled: Bool

  init(total: Int, enabled: Bool) {
    self.total = total
    self.enabled = enabled
  }

  func update(done: Int, last: RepositoryResult) {
    guard enabled else { return }
    let line = "\r\u{1B}[2Kscanning \(done)/\(total)  last: \(last.name)"
    FileHandle.standardError.write(Data(line.utf8))
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }
}
