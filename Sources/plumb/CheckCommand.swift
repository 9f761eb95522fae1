import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Pull-request mode: report only what the branch introduces since its merge base with --base.")

  @Option(help: "The branch the pull request targets (origin/main, a commit id).") var base: String
  @Option(help: "The branch's tip. Default: HEAD.") var head: String?
  @Argument(help: "The repository. Default: the current folder.") var path: String = "."
  @Option(help: "Estate config (plumb.yml).") var config: String?
  @Option(help: "text, json, jsonl, sarif, github, markdown or gitlab.") var format: OutputFormat = .text
  @Option(help: "Write the report to this file instead of standard output.") var output: String?
  @Option(help: "Exit 1 when a new finding is at or above this severity.") var failOn: String = "error"
  @Flag(help: "Also report findings that already existed at the merge base.") var showExisting = false
  @Option(help: "A previous JSON output: findings it holds are not reported.") var baseline: String?
  @Option(help: "Forge URL pattern for links in markdown, with {repo} {path} {line} {sha}.") var linkTemplate: String?
  @Flag(help: "Do not tie findings to commits.") var noAttribution = false
  @Option(
    help: ArgumentHelp(
      "Other repositories, or folders of them, that the estate knows: templates and module sources (repeatable).",
      valueName: "path"))
  var estate: [String] = []

  func run() throws {
    guard let threshold = Severity(rawValue: failOn) else {
      throw PlumbFailure.usage("--fail-on takes error, warning or note, not '\(failOn)'")
    }
    let catalog = try Environment.catalog()
    let loader = PolicyLoader(catalog: catalog)
    let (policy, configPath) = try Environment.policyAndPath(configPath: config, loader: loader)
    let location = RepositoryLocation(path: path)
    // As the nightly scan judges it: templates and module sources are read from the estate named here.
    // A mistyped --estate would quietly turn template/* and pins/module-outdated off: refused instead.
    for folder in estate where !FileManager.default.fileExists(atPath: folder) {
      throw PlumbFailure.usage("--estate \(folder): no such file or folder")
    }
    let (others, problems) = estate.isEmpty ? ([], []) : Discovery.repositories(in: estate)
    for problem in problems { Environment.warn(problem) }
    // The checked repository stands for its estate copy: the estate entry at the same place, else the only
    // one of its folder name. Namesakes that cannot be told apart are all kept (another repository is not its copy).
    let namesakes = others.filter { RepositoryLocation.name(for: $0.path) == location.name }
    let here = Discovery.realPath(path)
    let samePlace = namesakes.filter { Discovery.realPath($0.path) == here }
    let copies = !samePlace.isEmpty || namesakes.count != 1 ? samePlace : namesakes
    if namesakes.count > 1 && copies.isEmpty {
      Environment.warn(
        "\(namesakes.count) estate repositories are named '\(location.name)': none is taken for the checked one")
    }
    let knowledge = try Environment.knowledge(
      [location] + others.filter { other in !copies.contains { $0.path == other.path } }, policy: policy,
      configPath: configPath)
    let options = ScanOptions(
      policy: policy, today: Environment.today(), knowledge: knowledge, attribution: !noAttribution)
    let outcome: PullRequestCheck.Outcome
    do {
      outcome = try PullRequestCheck(scanner: RepositoryScanner(options: options, loader: loader)).run(
        location, base: base, head: head, attributeExisting: showExisting)
    } catch {
      throw PlumbFailure(message: error.description, code: error.unreadable ? 3 : 2)
    }
    var shown = showExisting ? outcome.new + outcome.existing : outcome.new
    var extra: [(String, JSONValue)] = []
    var unmatched: [String] = []
    // Findings the baseline holds: not shown, but counted, so the summary does not call them merely new.
    var baselined: [Finding] = []
    if let baseline {
      let accepted = try Environment.baseline(baseline)
      let (kept, stale) = accepted.apply(withFindings(outcome.head, shown))
      let keptPrints = Set(kept.findings.map(\.fingerprint))
      baselined = shown.filter { !keptPrints.contains($0.fingerprint) }
      shown = kept.findings
      unmatched = stale
    }
    let newPrints = Set(outcome.new.map(\.fingerprint))
    let newHeld = baselined.filter { newPrints.contains($0.fingerprint) }.count
    let result = withFindings(outcome.head, shown.sorted(by: Finding.reportOrder))
    extra.append(
      (
        "check",
        .object([
          ("base", .string(outcome.base)), ("merge_base", .string(outcome.mergeBase)),
          ("head", JSONValue(outcome.head.head)),
          ("new", .int(outcome.new.count)), ("existing", .int(outcome.existing.count)),
          ("fixed", .array(outcome.fixed.map(JSONReport.finding))),
          ("baselined", .int(newHeld)), ("baseline_no_longer_matched", JSONValue(unmatched)),
        ])
      ))
    let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: head)
    let rendering = Rendering(
      catalog: catalog, run: run, linkTemplate: linkTemplate, colour: output == nil && Environment.stdoutIsTerminal)
    let existing = Set(outcome.existing.map(\.fingerprint))
    var text: String
    switch format {
    case .json:
      var document = JSONReport.document([result], run: run)
      if case .object(let pairs) = document { document = .object(pairs + extra) }
      text =
        Self.marking(document, path: ["repositories", "findings"], key: "state", existing: existing) {
          $0 ? "existing" : "new"
        }.serialized(indent: 2) + "\n"
    case .jsonl:
      // The one repository's line, as json's repository object, with the check block beside its findings.
      var line = result.json
      if case .object(let pairs) = line { line = .object(pairs + extra) }
      text =
        Self.marking(line, path: ["findings"], key: "state", existing: existing) { $0 ? "existing" : "new" }
        .serialized() + "\n"
    case .sarif:
      let document = SARIFReport.document([result], catalog: catalog, run: run)
      text =
        Self.marking(document, path: ["runs", "results"], key: "baselineState", existing: existing) {
          $0 ? "unchanged" : "new"
        }.serialized(indent: 2) + "\n"
    default:
      // Formats without a field for it say it in the message.
      let labelled = result.findings.map { finding in
        existing.contains(finding.fingerprint)
          ? Finding(
            rule: finding.rule, severity: finding.severity, message: "(existing) " + finding.message,
            path: finding.path, line: finding.line, fingerprint: finding.fingerprint, commit: finding.commit,
            evidence: finding.evidence) : finding
      }
      text = rendering.render([withFindings(result, labelled)], as: format, extra: extra)
    }
    if format == .text || format == .markdown {
      text += summary(outcome, newHeld: newHeld, existingHeld: baselined.count - newHeld, markdown: format == .markdown)
    }
    try Environment.emit(text, to: output)
    if outcome.new.contains(where: { $0.severity >= threshold && shown.contains($0) }) { throw ExitCode(1) }
  }

  /// Adds `key` to every object found along `path` (arrays walked through), from whether its fingerprint
  /// was already at the merge base: JSON's `state` and SARIF's `baselineState`.
  static func marking(
    _ value: JSONValue, path: ArraySlice<String>, key: String, existing: Set<String>, label: (Bool) -> String
  ) -> JSONValue {
    switch value {
    case .array(let items):
      return .array(items.map { marking($0, path: path, key: key, existing: existing, label: label) })
    case .object(let pairs):
      guard let field = path.first else {
        let fingerprint =
          pairs.first { $0.0 == "fingerprint" }?.1.stringValue
          ?? pairs.first { $0.0 == "partialFingerprints" }.flatMap { $0.1[SARIFReport.fingerprintKey]?.stringValue }
        return .object(pairs + [(key, .string(label(fingerprint.map(existing.contains) ?? false)))])
      }
      return .object(
        pairs.map { name, inner in
          name == field
            ? (name, marking(inner, path: path.dropFirst(), key: key, existing: existing, label: label)) : (name, inner)
        })
    default:
      return value
    }
  }

  func withFindings(_ result: RepositoryResult, _ findings: [Finding]) -> RepositoryResult {
    RepositoryResult(
      path: result.path, name: result.name, head: result.head, ref: result.ref, status: result.status,
      error: result.error, findings: findings)
  }

  /// New, fixed and existing counts against the merge base, under the report.
  func summary(_ outcome: PullRequestCheck.Outcome, newHeld: Int, existingHeld: Int, markdown: Bool) -> String {
    let base = String(outcome.mergeBase.prefix(12))
    var out = markdown ? "\n" : ""
    out += "against merge base \(base) of \(outcome.base): \(outcome.new.count) new"
    out += newHeld > 0 ? " (\(newHeld) held by the baseline, not shown)" : ""
    out += ", \(outcome.fixed.count) fixed, \(outcome.existing.count) existing"
    if !showExisting {
      out += " (not shown; --show-existing)"
    } else if existingHeld > 0 {
      out += " (\(existingHeld) held by the baseline, not shown)"
    }
    out += "\n"
    for finding in outcome.fixed {
      out += (markdown ? "- fixed: " : "  fixed: ") + "\(finding.rule) \(finding.path ?? "") \(finding.message)\n"
    }
    return out
  }
}

struct BaselineCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline", abstract: "Accept today's findings: later runs with --baseline report only new ones.",
    subcommands: [Write.self])

  struct Write: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Scan and write the baseline file (plumb JSON output).")
    @Argument(help: "Repositories or folders holding repositories.") var paths: [String] = ["."]
    @Option(help: "Estate config (plumb.yml).") var config: String?
    @Option(help: "Where to write the baseline.") var output: String = "plumb-baseline.json"

    func run() async throws {
      let estate = try Environment.estate(paths: paths, config: config)
      let (policy, locations) = (estate.policy, estate.locations)
      let scanner = RepositoryScanner(
        options: ScanOptions(
          policy: policy, today: Environment.today(), knowledge: estate.knowledge, attribution: false),
        loader: estate.loader)
      let results = await EstateScan(scanner: scanner, jobs: ProcessInfo.processInfo.activeProcessorCount).run(
        locations)
      let run = RunInfo(policyHash: policy.hash, pack: policy.pack, revision: nil)
      try Environment.emit(JSONReport.document(results, run: run).serialized(indent: 2) + "\n", to: output)
      let count = results.reduce(0) { $0 + $1.findings.count }
      print("wrote \(output): \(count) finding(s) in \(results.count) repositor\(results.count == 1 ? "y" : "ies")")
      if results.contains(where: { $0.status == .error }) { throw ExitCode(3) }
    }
  }
}
