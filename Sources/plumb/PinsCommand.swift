import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

enum PinsFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv, markdown
}

struct PinsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pins",
    abstract: "Inventory every module, action and image pin across the estate, with a roll-up per source.")

  @Argument(help: "Repositories or folders holding repositories.") var paths: [String] = ["."]
  @Option(help: "Estate manifest (estate.yml): repositories by path, with team, tier and tags.") var manifest: String?
  @Option(help: "Revision to read in every repository. Default: HEAD.") var rev: String?
  @Option(help: "Estate config (plumb.yml).") var config: String?
  @Option(help: "table, json, csv or markdown.") var format: PinsFormat = .table
  @Option(help: "Write to this file instead of standard output.") var output: String?
  @Option(help: "Repositories read at once (default: cores).") var jobs: Int = ProcessInfo.processInfo
    .activeProcessorCount
  @Option(help: "Give up on a repository after this many seconds (it is reported unreadable).")
  var timeout: Double = 1800

  func run() async throws {
    let estate = try Environment.estate(paths: paths, config: config, manifest: manifest)
    let (policy, locations, knowledge) = (estate.policy, estate.locations, estate.knowledge)
    let cache = ParseCache()
    let revision = rev
    try Environment.checkTimeout(timeout)
    let deadline = Deadline<PinInventoryReport.RepositoryPins>(seconds: timeout) { location, reason in
      .unreadable(location.name, error: reason)
    }
    let repositories = await EstateScan.map(locations, jobs: jobs, deadline: deadline) { location in
      PinInventoryReport.repositoryPins(
        location, revision: revision, policy: policy, knowledge: knowledge, cache: cache)
    }
    let report = PinInventoryReport(repositories, knowledge: knowledge)
    let text: String
    switch format {
    case .table: text = PinsReport.table(report)
    case .json: text = PinsReport.json(report).serialized(indent: 2) + "\n"
    case .csv: text = PinsReport.csv(report)
    case .markdown: text = PinsReport.markdown(report)
    }
    try Environment.emit(text, to: output)
    // csv and markdown have no place for them, and a file output is not where a job's log looks.
    if format == .csv || format == .markdown || output != nil {
      for (name, error) in report.unreadable { Environment.warn("\(name): \(error)") }
    }
    if !report.unreadable.isEmpty { throw ExitCode(3) }
  }
}
