import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

enum AdoptionFormat: String, ExpressibleByArgument, CaseIterable {
  case markdown, json, csv
}

enum AdoptionEvery: String, ExpressibleByArgument, CaseIterable {
  case week, month, quarter
}

struct AdoptionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "adoption",
    abstract: "Adoption over time from history: each category per period, adoption dates, regressions, delivery.")

  @Argument(help: "Repositories or folders holding repositories.") var paths: [String] = ["."]
  @Option(help: "First day of the series, YYYY-MM-DD (UTC). Default: 12 months before today.") var since: String?
  @Option(help: "Period length: week (ISO, from Monday), month or quarter.") var every: AdoptionEvery = .month
  @Option(help: "Estate config (plumb.yml).") var config: String?
  @Option(help: "Estate manifest (estate.yml): repositories by path, with team, tier and tags.") var manifest: String?
  @Option(help: "markdown, json or csv.") var format: AdoptionFormat = .markdown
  @Option(help: "Write to this file instead of standard output.") var output: String?
  @Option(help: "Repositories read at once (default: cores).") var jobs: Int = ProcessInfo.processInfo
    .activeProcessorCount
  @Option(help: "Give up on a repository after this many seconds (status error; the rest is still read).")
  var timeout: Double = 1800

  func run() async throws {
    guard jobs > 0 else { throw PlumbFailure.usage("--jobs must be at least 1") }
    try Environment.checkTimeout(timeout)
    let todayText = Environment.today()
    guard let today = CivilDate(iso: todayText) else { throw PlumbFailure.usage("cannot read today's date") }
    let start: CivilDate
    if let since {
      guard let parsed = CivilDate(iso: since) else {
        throw PlumbFailure.usage("--since takes a date YYYY-MM-DD, not '\(since)'")
      }
      guard parsed <= today else { throw PlumbFailure.usage("--since \(since) is after today (\(todayText))") }
      start = parsed
    } else {
      start = today.adding(months: -12)
    }
    let estate = try Environment.estate(paths: paths, config: config, manifest: manifest)
    let policy = estate.policy
    let scanner = RepositoryScanner(
      options: ScanOptions(policy: policy, today: todayText, knowledge: estate.knowledge, attribution: false),
      loader: estate.loader)
    let cadence = AdoptionCadence(rawValue: every.rawValue)!
    let periods = AdoptionPeriod.series(since: start, through: today, every: cadence)
    let adoption = AdoptionRun(scanner: scanner, periods: periods, today: today)
    let progress = ProgressBar(
      total: estate.locations.count, enabled: Environment.stderrIsTerminal && estate.locations.count > 1)
    let ticker = progress.ticker()
    // The bar counts each repository's findings at the last period: where it stands now.
    let deadline = Deadline<RepositoryAdoption>(seconds: timeout) { location, reason in
      .failed(location, error: reason, periods: periods.count)
    }
    let repositories = await EstateScan.map(
      estate.locations, jobs: jobs, deadline: deadline,
      progress: { (_, done: RepositoryAdoption) in
        let findings = done.points.last??.findings.values.reduce(0, +) ?? 0
        progress.finished(done.name, findings: findings, failed: done.error != nil)
      }
    ) { location in
      progress.started(location.name)
      return adoption.repository(location)
    }
    ticker.cancel()
    progress.finish()
    let enabled = policy.rules.keys.sorted().filter { policy.isEnabled($0) }
    let rules = Dictionary(grouping: enabled) { AdoptionCategory.of(rule: $0) }
    let report = AdoptionReport(
      estate: EstateAdoption(periods: periods, repositories: repositories, levels: policy.levels),
      run: RunInfo(policyHash: policy.hash, pack: policy.pack, revision: nil), since: start.description,
      every: cadence, generated: todayText,
      rules: Dictionary(uniqueKeysWithValues: AdoptionCategory.allCases.map { ($0, rules[$0] ?? []) }))
    switch format {
    case .json: try Environment.emit(to: output) { stream in try report.writeJSON(indent: 2) { try stream.write($0) } }
    case .csv: try Environment.emit(to: output) { stream in try report.writeCSV { try stream.write($0) } }
    case .markdown: try Environment.emit(report.markdown(), to: output)
    }
    for repository in repositories {
      guard let since = repository.shallowSince else { continue }
      Environment.warn(
        "\(repository.path): shallow clone, history from \(since): earlier periods are not counted "
          + "(git fetch --unshallow gives the whole series)")
    }
    for repository in repositories where !repository.unreadable.isEmpty {
      let count = repository.unreadable.count
      Environment.warn(
        "\(repository.path): \(count) file\(count == 1 ? "" : "s") or tag\(count == 1 ? "" : "s") did not read or parse at "
          + "the last period, judged without: \(repository.unreadable.prefix(3).joined(separator: "; "))"
          + (count > 3 ? "; …" : ""))
    }
    let unreadable = repositories.filter { $0.error != nil }
    for repository in unreadable { Environment.warn("\(repository.path): \(repository.error ?? "")") }
    if !unreadable.isEmpty { throw ExitCode(3) }
  }
}
