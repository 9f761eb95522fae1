import Foundation
import PlumbCore

/// SARIF 2.1.0 for GitHub code scanning (and any other SARIF viewer): one run, every catalog rule
/// described, one result per finding, most severe first, within GitHub's upload limits.
public enum SARIFReport {
  public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
  /// GitHub rejects a run with more results than this.
  public static let maxResults = 25_000
  /// GitHub rejects a result with more locations than this (plumb writes one; the cap documents the limit).
  public static let maxLocations = 1_000
  /// The key of `partialFingerprints`; bump the version if the fingerprint recipe ever changes.
  public static let fingerprintKey = "plumb/v1"
  /// The base id that relative URIs hang from when one run covers several repositories.
  public static let rootBase = "%SRCROOT%"

  public static func document(
    _ results: [RepositoryResult], catalog: RuleCatalog, run: RunInfo,
    helpBase: String = "https://github.com/acme/plumb/blob/main/README.md#rules"
  ) -> JSONValue {
    let multiple = results.count > 1
    let descriptors = ruleDescriptors(results, catalog: catalog, helpBase: helpBase)
    var ruleIndex: [String: Int] = [:]
    for (index, descriptor) in descriptors.enumerated() { ruleIndex[descriptor.id] = index }

    let ordered = ReportOrder.mostSevereFirst(results)
    let kept = ordered.prefix(maxResults)
    let sarifResults = kept.map { item in
      result(item.finding, in: item.repository, ruleIndex: ruleIndex[item.finding.rule] ?? 0, multiple: multiple)
    }

    var runPairs: [(String, JSONValue)] = [
      (
        "tool",
        .object([
          (
            "driver",
            .object([
              ("name", .string(RunInfo.toolName)),
              ("version", .string(RunInfo.version)),
              ("semanticVersion", .string(RunInfo.version)),
              ("informationUri", .string(withoutFragment(helpBase))),
              ("rules", .array(descriptors.map(\.json))),
            ])
          )
        ])
      ),
      ("invocations", .array([invocation(results)])),
    ]
    if multiple {
      runPairs.append(
        (
          "originalUriBaseIds",
          .object([
            (
              rootBase,
              .object([
                (
                  "description",
                  .object([("text", "The folder plumb ran in; each URI starts with its repository's path.")])
                )
              ])
            )
          ])
        ))
    } else if let only = results.first, only.status == .ok {
      runPairs.append(("versionControlProvenance", .array([provenance(only)])))
    }
    runPairs.append(("results", .array(sarifResults)))

    var properties: [(String, JSONValue)] = [
      ("policyHash", .string(run.policyHash)), ("pack", .string(run.pack)), ("revision", JSONValue(run.revision)),
      // Every output records the commit scanned per repository (DESIGN.md: reports are reproducible).
      (
        "repositories",
        .array(
          results.map { result in
            var pairs: [(String, JSONValue)] = [
              ("name", .string(result.name)), ("path", .string(result.path)), ("head", JSONValue(result.head)),
              ("ref", JSONValue(result.ref)), ("status", .string(result.status.rawValue)),
            ]
            if let error = result.error { pairs.append(("error", .string(error))) }
            return .object(pairs)
          })
      ),
    ]
    if ordered.count > kept.count { properties.append(("truncated", .int(ordered.count - kept.count))) }
    runPairs.append(("properties", .object(properties)))

    return .object([
      ("$schema", .string(schemaURI)),
      ("version", "2.1.0"),
      ("runs", .array([.object(runPairs)])),
    ])
  }

  // MARK: - Rules

  struct Descriptor {
    let id: String
    let json: JSONValue
  }

  /// Every catalog rule, then (so `ruleIndex` always resolves) any rule a finding names that the catalog lacks.
  static func ruleDescriptors(_ results: [RepositoryResult], catalog: RuleCatalog, helpBase: String) -> [Descriptor] {
    var descriptors = catalog.rules.map { Descriptor(id: $0.id, json: descriptor($0, helpBase: helpBase)) }
    var known = Set(descriptors.map(\.id))
    let extra = results.flatMap(\.findings).filter { known.insert($0.rule).inserted }
    for finding in extra.sorted(by: { $0.rule < $1.rule }) {
      descriptors.append(
        Descriptor(
          id: finding.rule,
          json: .object([
            ("id", .string(finding.rule)), ("name", .string(pascalCase(finding.rule))),
            ("shortDescription", .object([("text", .string(finding.rule))])),
            ("helpUri", .string(helpURI(helpBase, ruleID: finding.rule))),
            ("defaultConfiguration", .object([("level", .string(level(finding.severity)))])),
          ])))
    }
    return descriptors
  }

  static func descriptor(_ rule: RuleDoc, helpBase: String) -> JSONValue {
    let rationale = rule.rationale.trimmingCharacters(in: .whitespacesAndNewlines)
    let parameters = rule.parameterHelp.keys.sorted()
    var text = rationale
    var markdown = rationale
    if !parameters.isEmpty {
      text += "\n\nParameters:"
      markdown += "\n\n**Parameters**\n"
      for name in parameters {
        let help = rule.parameterHelp[name] ?? ""
        let fallback = (rule.parameters[name] ?? .null).serialized()
        text += "\n  \(name): \(help) (default: \(fallback))"
        markdown += "\n- `\(name)`: \(help) (default: `\(fallback)`)"
      }
    }
    return .object([
      ("id", .string(rule.id)),
      ("name", .string(pascalCase(rule.name))),
      ("shortDescription", .object([("text", .string(rule.summary.isEmpty ? rule.name : rule.summary))])),
      ("fullDescription", .object([("text", .string(rationale.isEmpty ? rule.summary : rationale))])),
      ("help", .object([("text", .string(text)), ("markdown", .string(markdown))])),
      ("helpUri", .string(helpURI(helpBase, ruleID: rule.id))),
      ("defaultConfiguration", .object([("level", .string(level(rule.severity)))])),
      ("properties", .object([("tags", JSONValue([String(rule.id.prefix { $0 != "/" })]))])),
    ])
  }

  /// "Module pinned to a branch" → "ModulePinnedToABranch" (SARIF wants an identifier-like name).
  static func pascalCase(_ name: String) -> String {
    name.split { !($0.isLetter || $0.isNumber) }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  /// GitHub's heading anchor for a rule id ("pins/module-unpinned" → "pinsmodule-unpinned"), so a README
  /// heading per rule is all it takes for the link to land on it.
  static func anchor(_ ruleID: String) -> String {
    String(ruleID.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
  }

  /// helpBase + "#" + anchor; a fragment already on helpBase is replaced, because a URI holds one fragment.
  static func helpURI(_ helpBase: String, ruleID: String) -> String {
    withoutFragment(helpBase) + "#" + anchor(ruleID)
  }

  static func withoutFragment(_ uri: String) -> String {
    uri.firstIndex(of: "#").map { String(uri[..<$0]) } ?? uri
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: return "error"
    case .warning: return "warning"
    case .note: return "note"
    }
  }

  // MARK: - Results

  static func result(_ finding: Finding, in repository: RepositoryResult, ruleIndex: Int, multiple: Bool) -> JSONValue {
    let relative = ReportLocation.path(of: finding)
    let (uri, base) = ReportLocation.uri(relative, repository: repository, multiple: multiple)
    var artifact: [(String, JSONValue)] = [("uri", .string(uri))]
    if let base { artifact.append(("uriBaseId", .string(base))) }
    var physical: [(String, JSONValue)] = [("artifactLocation", .object(artifact))]
    // SARIF requires startLine ≥ 1; a line below that is treated as the file's first line.
    if let line = finding.line { physical.append(("region", .object([("startLine", .int(max(1, line)))]))) }
    let locations = [JSONValue.object([("physicalLocation", .object(physical))])].prefix(maxLocations)

    var properties: [(String, JSONValue)] = [("repository", .string(repository.name))]
    if finding.path == nil { properties.append(("repositoryLevel", true)) }
    if let commit = finding.commit { properties.append(("commit", JSONReport.commit(commit))) }
    properties.append(("evidence", finding.evidence))

    return .object([
      ("ruleId", .string(finding.rule)),
      ("ruleIndex", .int(ruleIndex)),
      ("level", .string(level(finding.severity))),
      ("message", .object([("text", .string(finding.message))])),
      ("locations", .array(Array(locations))),
      ("partialFingerprints", .object([(fingerprintKey, .string(finding.fingerprint))])),
      ("properties", .object(properties)),
    ])
  }

  /// One invocation; unreadable repositories become error notifications, so the run says it is incomplete.
  static func invocation(_ results: [RepositoryResult]) -> JSONValue {
    let failed = results.filter { $0.status == .error }
    var pairs: [(String, JSONValue)] = [("executionSuccessful", .bool(failed.isEmpty))]
    if !failed.isEmpty {
      pairs.append(
        (
          "toolExecutionNotifications",
          .array(
            failed.map { result in
              .object([
                ("level", "error"),
                (
                  "message",
                  .object([("text", .string("\(result.path): could not be read: \(result.error ?? "unknown error")"))])
                ),
                ("properties", .object([("repository", .string(result.name))])),
              ])
            })
        ))
    }
    return .object(pairs)
  }

  /// The scanned commit and ref; a local repository has no remote URL, so its file URL stands in.
  static func provenance(_ result: RepositoryResult) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("repositoryUri", .string(URL(fileURLWithPath: result.path).standardizedFileURL.absoluteString))
    ]
    if let head = result.head { pairs.append(("revisionId", .string(head))) }
    if let ref = result.ref {
      if ref.hasPrefix("refs/tags/") {
        pairs.append(("revisionTag", .string(String(ref.dropFirst("refs/tags/".count)))))
      } else {
        pairs.append(
          ("branch", .string(ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : ref)))
      }
    }
    return .object(pairs)
  }
}

/// Where a finding is shown when a format insists on a file (SARIF, GitLab): its path; for a
/// repository-level finding, the first concrete path in its evidence, else the file its rule is about,
/// else the repository root ".".
enum ReportLocation {
  /// Evidence keys that hold repository paths, in the order they are tried.
  static let evidenceKeys = ["path", "file", "files", "paths", "looked_at", "looked_for"]
  /// The file each rule family is about, by rule-id prefix.
  static let ruleRoots: [(prefix: String, file: String)] = [
    ("ownership/", "CODEOWNERS"), ("runbook/", "RUNBOOK.md"), ("tags/", "CHANGELOG.md"),
  ]

  static func path(of finding: Finding) -> String {
    if let path = finding.path, !path.isEmpty { return path }
    for key in evidenceKeys {
      let values: [JSONValue]
      switch finding.evidence[key] {
      case .string(let value)?: values = [.string(value)]
      case .array(let items)?: values = items
      default: values = []
      }
      // Globs and folders (waiver patterns, runbook locations such as "runbooks/") name no one file.
      if let concrete = values.compactMap(\.stringValue).first(where: isConcreteFile) { return concrete }
    }
    return ruleRoots.first { finding.rule.hasPrefix($0.prefix) }?.file ?? "."
  }

  static func isConcreteFile(_ path: String) -> Bool {
    !path.isEmpty && !path.hasSuffix("/") && !path.contains(where: { "*?[".contains($0) })
  }

  /// The path as the forge sees it: repository-relative for one repository; with several, prefixed by
  /// the repository's display path (itself relative to where plumb ran).
  static func qualified(_ path: String, repository: RepositoryResult, multiple: Bool) -> String {
    guard multiple else { return path }
    var root = repository.path
    while root.hasPrefix("./") { root.removeFirst(2) }
    while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
    if root.isEmpty || root == "." { return path }
    return path == "." ? root : root + "/" + path
  }

  /// A SARIF URI and its base id: relative paths hang from %SRCROOT% when several repositories share a run;
  /// an absolute display path becomes a file URL.
  static func uri(_ path: String, repository: RepositoryResult, multiple: Bool) -> (String, String?) {
    let full = qualified(path, repository: repository, multiple: multiple)
    if full.hasPrefix("/") { return ("file://" + percentEncoded(full), nil) }
    return (percentEncoded(full), multiple ? SARIFReport.rootBase : nil)
  }

  /// Percent-encodes everything but unreserved characters, "/" and (unless `strict`) the sub-delimiters
  /// that are legal in a path; `strict` also encodes "(" ")" and friends, for Markdown link targets.
  static func percentEncoded(_ text: String, strict: Bool = false) -> String {
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
    // ":" is left out on purpose: in a first segment it would read as a scheme, not a path.
    let subDelimiters = Set("!$&'()*+,;=@".utf8)
    var out = ""
    for byte in text.utf8 {
      if allowed.contains(byte) || (!strict && subDelimiters.contains(byte)) {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
      }
    }
    return out
  }
}

/// A finding with the repository it came from.
struct LocatedFinding {
  let repository: RepositoryResult
  let finding: Finding
}

/// A deterministic order for flat outputs: most severe first (limits keep what matters), then
/// repository, path, line, rule and fingerprint — never the order results happened to arrive in.
enum ReportOrder {
  static func mostSevereFirst(_ results: [RepositoryResult]) -> [LocatedFinding] {
    results.flatMap { result in result.findings.map { LocatedFinding(repository: result, finding: $0) } }
      .sorted { a, b in
        if a.finding.severity != b.finding.severity { return a.finding.severity > b.finding.severity }
        let left = (a.repository.path, a.repository.name, a.finding.path ?? "", a.finding.line ?? 0)
        let right = (b.repository.path, b.repository.name, b.finding.path ?? "", b.finding.line ?? 0)
        if left != right { return left < right }
        return (a.finding.rule, a.finding.fingerprint, a.finding.message)
          < (b.finding.rule, b.finding.fingerprint, b.finding.message)
      }
  }
}
