import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl
}

struct ScanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan", abstract: "Scan repositories (work trees, bare mirrors, or folders of them) at a revision.")

  @Argument(help: "Repositories or folders holding repositories.") var paths: [String] = ["."]
  @Option(help: "Revision to scan in every repository (branch, tag, commit id, HEAD~3). Default: HEAD.") var rev:
    String?
  @Option(help: "Estate config (plumb.yml).") var config: String?
  @Option(help: "text, json or jsonl.") var format: OutputFormat = .text
  @Option(help: "Write the report to this file instead of standard output.") var output: String?
  @Option(help: "Repositories scanned at once (default: cores).") var jobs: Int = ProcessInfo.processInfo
    .activeProcessorCount
  @Flag(help: "Do not tie findings to commits (findings carry commit: null).") var noAttribution = false
  @Option(help: "Exit 1 when a finding is at or above this severity: error, warning or note.") var failOn: String =
    "error"

  func run() async throws {
    guard let threshold = Severity(rawValue: failOn) else {
      throw PlumbFailure.usage("--fail-on takes error, warning or note, not '\(failOn)'")
    }
    guard jobs > 0 else { throw PlumbFailure.usage("--jobs must be at least 1") }
    let catalog = try Environment.catalog()
    let loader = PolicyLoader(catalog: catalog)
    let (policy, configPath) = try Environment.policyAndPath(configPath: config, loader: loader)
    let (locations, problems) = Discovery.repositories(in: paths)
    for problem in problems { Environment.warn(problem) }
    if locations.isEmpty && !problems.isEmpty { throw PlumbFailure.usage("nothing to scan") }
    if locations.isEmpty { Environment.warn("no repositories found under \(paths.joined(separator: " "))") }

    let knowledge = try Environment.knowledge(locations, policy: policy, configPath: configPath)
    let scanner = RepositoryScanner(
      options: ScanOptions(
        revision: rev, policy: policy, today: Environment.today(), knowledge: knowledge, attribution: !noAttribution),
      loader: loader)
    let progress = ProgressLine(total: locations.count, enabled: Environment.stderrIsTerminal && locations.count > 1)
    let results = await EstateScan(scanner: scanner, jobs: jobs).run(locations) { done, result in
      progress.update(done: done, last: result)
    }
    progress.finish()

    let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: rev)
    let text: String
    switch format {
    case .text: text = TextReport(colour: output == nil && Environment.stdoutIsTerminal).render(results)
    case .json: text = JSONReport.document(results, run: run).serialized(indent: 2) + "\n"
    case .jsonl: text = JSONReport.lines(results)
    }
    try Environment.emit(text, to: output)

    if results.contains(where: { $0.status == .error }) { throw ExitCode(3) }
    if results.contains(where: { $0.findings.contains { $0.severity >= threshold } }) { throw ExitCode(1) }
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
