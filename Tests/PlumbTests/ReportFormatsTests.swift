import FixtureKit
import Foundation
import PlumbCore
import Reports
import XCTest

/// SARIF, GitHub annotations, GitLab Code Quality and Markdown, built from findings made by hand.
final class ReportFormatsTests: XCTestCase {
  let root = projectRoot()
  let run = RunInfo(policyHash: "0123abcd", pack: "default", revision: nil)
  let head = String(repeating: "a", count: 40)
  let commit = CommitRef(
    sha: "abc1234def5678abc1234def5678abc1234def56", author: "Jane Doe", email: "jane@example.com",
    time: "2026-01-02T03:04:05Z", summary: "add the vpc module")

  func finding(
    _ rule: String, _ severity: Severity, _ message: String, path: String? = nil, line: Int? = nil,
    fingerprint: String? = nil, commit: CommitRef? = nil, evidence: JSONValue = .object([])
  ) -> Finding {
    Finding(
      rule: rule, severity: severity, message: message, path: path, line: line,
      fingerprint: fingerprint ?? "fp-\(rule)-\(path ?? "-")-\(line ?? 0)-\(message.count)", commit: commit,
      evidence: evidence)
  }

  func repository(_ name: String, path: String? = nil, _ findings: [Finding]) -> RepositoryResult {
    RepositoryResult(
      path: path ?? "estate/\(name)", name: name, head: head, ref: "refs/heads/main", status: .ok, error: nil,
      findings: findings)
  }

  func catalog() throws -> RuleCatalog { try RuleCatalog.load(directory: root + "/rules") }

  /// One repository with a finding of every shape: file and line, file only, line 0, repository-level.
  func sample() -> [RepositoryResult] {
    [
      repository(
        "payments-api",
        [
          finding(
            "pins/module-unpinned", .error, "module \"vpc\" uses terraform-aws-modules/vpc/aws without a version",
            path: "infra/main.tf", line: 12, fingerprint: "f1", commit: commit,
            evidence: .object([("source", "terraform-aws-modules/vpc/aws"), ("version", nil)])),
          finding("pins/image-unpinned", .warning, "FROM alpine has no tag", path: "Dockerfile", line: 0),
          finding("runbook/broken-link", .warning, "link to missing.md resolves to no file", path: "RUNBOOK.md"),
          finding(
            "ownership/codeowners-missing", .error, "no CODEOWNERS file",
            evidence: .object([("looked_at", JSONValue(RepositoryFacts.codeOwnersLocations))])),
          finding("tags/lightweight", .warning, "release tag v1.0.0 is lightweight", commit: commit),
          finding("no/such-rule", .note, "a rule the catalog does not know"),
        ])
    ]
  }

  func sarif(_ results: [RepositoryResult]) throws -> [String: Any] {
    let document = SARIFReport.document(results, catalog: try catalog(), run: run)
    let object = try JSONSerialization.jsonObject(with: Data(document.serialized(indent: 2).utf8))
    return try XCTUnwrap(object as? [String: Any])
  }

  func firstRun(_ document: [String: Any]) throws -> [String: Any] {
    try XCTUnwrap((document["runs"] as? [[String: Any]])?.first)
  }

  func sarifResults(_ document: [String: Any]) throws -> [[String: Any]] {
    try XCTUnwrap(try firstRun(document)["results"] as? [[String: Any]])
  }

  func artifact(_ result: [String: Any]) -> [String: Any]? {
    let locations = result["locations"] as? [[String: Any]]
    let physical = locations?.first?["physicalLocation"] as? [String: Any]
    return physical?["artifactLocation"] as? [String: Any]
  }

  func region(_ result: [String: Any]) -> [String: Any]? {
    let locations = result["locations"] as? [[String: Any]]
    return (locations?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
  }

  // MARK: - SARIF

  func testStreamedFindingsJSONIsTheWholeDocument() throws {
    let results = (0..<30).map { index in
      repository(
        "svc-\(index)",
        [
          finding("pins/image-unpinned", .warning, "image \"x\" has no tag", path: "Dockerfile", line: index + 1),
          finding("ownership/codeowners-missing", .error, "no CODEOWNERS", commit: commit),
        ])
    }
    let extra: [(String, JSONValue)] = [("baseline", .object([("file", "b.json"), ("no_longer_matched", [])]))]
    for (subset, extras) in [(results, extra), (Array(results.prefix(1)), []), ([], [])] {
      var bytes: [UInt8] = []
      JSONReport.write(subset, run: run, extra: extras, indent: 2) { bytes += $0 }
      guard case .object(let pairs) = JSONReport.document(subset, run: run) else { return XCTFail("not an object") }
      XCTAssertEqual(
        String(decoding: bytes, as: UTF8.self), JSONValue.object(pairs + extras).serialized(indent: 2) + "\n")
    }
  }

  func testSARIFValidatesAgainstTheOfficialSchema() throws {
    let schema = URL(fileURLWithPath: root).appendingPathComponent("../shared/schemas/sarif-schema-2.1.0.json")
      .standardizedFileURL.path
    guard FileManager.default.fileExists(atPath: schema) else {
      throw XCTSkip("the SARIF 2.1.0 schema is not at \(schema); cannot validate")
    }
    guard python(["-c", "import jsonschema"]).status == 0 else {
      throw XCTSkip("python3 with the jsonschema module is not available; cannot validate SARIF")
    }
    let folder = TemporaryFolder("sarif")
    let failed = RepositoryResult.failed(path: "estate/broken", name: "broken", error: "not a git repository")
    let estate =
      sample() + [
        repository("billing", path: "/srv/mirrors/billing.git", [finding("tags/moved", .error, "tag v2.0.0 moved")]),
        failed,
      ]
    // One repository (relative URIs, versionControlProvenance) and an estate (%SRCROOT%, file URLs, a failure).
    for (label, results) in [("single", sample()), ("estate", estate)] {
      let file = folder.path + "/\(label).sarif"
      try SARIFReport.document(results, catalog: try catalog(), run: run).serialized(indent: 2)
        .write(toFile: file, atomically: true, encoding: .utf8)
      let script = """
        import json, sys
        from jsonschema import validators
        schema = json.load(open(sys.argv[1]))
        document = json.load(open(sys.argv[2]))
        cls = validators.validator_for(schema)  # the schema declares draft-04
        cls.check_schema(schema)
        errors = list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(document))
        for error in errors[:20]:
            print("/".join(str(part) for part in error.absolute_path), ":", error.message)
        sys.exit(1 if errors else 0)
        """
      let validation = python(["-c", script, schema, file])
      XCTAssertEqual(validation.status, 0, "\(label): \(validation.output)")
    }
  }

  func testSARIFDescribesEveryCatalogRule() throws {
    let catalog = try catalog()
    XCTAssertFalse(catalog.rules.isEmpty)
    let document = try sarif(sample())
    XCTAssertEqual(document["$schema"] as? String, "https://json.schemastore.org/sarif-2.1.0.json")
    XCTAssertEqual(document["version"] as? String, "2.1.0")
    let driver = try XCTUnwrap((try firstRun(document)["tool"] as? [String: Any])?["driver"] as? [String: Any])
    XCTAssertEqual(driver["name"] as? String, "plumb")
    XCTAssertEqual(driver["version"] as? String, RunInfo.version)
    XCTAssertNotNil(driver["informationUri"] as? String)
    let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
    XCTAssertEqual(Array(rules.prefix(catalog.rules.count)).compactMap { $0["id"] as? String }, catalog.rules.map(\.id))
    for (descriptor, doc) in zip(rules, catalog.rules) {
      let name = try XCTUnwrap(descriptor["name"] as? String)
      XCTAssertFalse(name.isEmpty || name.contains(" ") || name.contains("/"), name)
      XCTAssertTrue(name.first?.isUppercase ?? false, name)
      XCTAssertEqual((descriptor["shortDescription"] as? [String: Any])?["text"] as? String, doc.summary)
      let rationale = doc.rationale.trimmingCharacters(in: .whitespacesAndNewlines)
      XCTAssertEqual((descriptor["fullDescription"] as? [String: Any])?["text"] as? String, rationale)
      let help = try XCTUnwrap(descriptor["help"] as? [String: String])
      XCTAssertTrue(help["text"]?.hasPrefix(rationale) ?? false, doc.id)
      XCTAssertTrue(help["markdown"]?.hasPrefix(rationale) ?? false, doc.id)
      for parameter in doc.parameterHelp.keys {
        XCTAssertTrue(help["text"]?.contains(parameter + ":") ?? false, "\(doc.id) \(parameter)")
        XCTAssertTrue(help["markdown"]?.contains("`\(parameter)`") ?? false, "\(doc.id) \(parameter)")
      }
      let helpURI = try XCTUnwrap(descriptor["helpUri"] as? String)
      XCTAssertTrue(helpURI.hasPrefix("https://github.com/acme/plumb/blob/main/README.md#"), helpURI)
      XCTAssertEqual(helpURI.filter { $0 == "#" }.count, 1, "one fragment: \(helpURI)")
      XCTAssertNotNil(URL(string: helpURI), helpURI)
      let level = (descriptor["defaultConfiguration"] as? [String: Any])?["level"] as? String
      XCTAssertEqual(level, doc.severity.rawValue, doc.id)
    }
    XCTAssertEqual(rules.first { $0["id"] as? String == "pins/module-unpinned" }?["name"] as? String, "ModuleUnpinned")
    XCTAssertEqual(rules.last?["id"] as? String, "no/such-rule", "a rule outside the catalog is described last")

    for result in try sarifResults(document) {
      let index = try XCTUnwrap(result["ruleIndex"] as? Int)
      XCTAssertEqual(rules[index]["id"] as? String, result["ruleId"] as? String)
    }
  }

  func testSARIFResultsCarryFingerprintsLinesAndCommits() throws {
    let results = try sarifResults(try sarif(sample()))
    XCTAssertEqual(results.count, 6)
    XCTAssertEqual(
      results.compactMap { $0["level"] as? String }, ["error", "error", "warning", "warning", "warning", "note"],
      "most severe first")
    for result in results {
      let fingerprints = try XCTUnwrap(result["partialFingerprints"] as? [String: String])
      XCTAssertEqual(Array(fingerprints.keys), ["plumb/v1"])
      XCTAssertFalse(fingerprints["plumb/v1"]?.isEmpty ?? true)
      XCTAssertNotNil((result["message"] as? [String: Any])?["text"] as? String)
      XCTAssertEqual((result["locations"] as? [Any])?.count, 1)
      if let start = region(result)?["startLine"] as? Int { XCTAssertGreaterThanOrEqual(start, 1) }
      XCTAssertEqual((result["properties"] as? [String: Any])?["repository"] as? String, "payments-api")
      XCTAssertNil(artifact(result)?["uriBaseId"], "one repository: plain repository-relative URIs")
    }
    let module = try XCTUnwrap(results.first { $0["ruleId"] as? String == "pins/module-unpinned" })
    XCTAssertEqual(module["partialFingerprints"] as? [String: String], ["plumb/v1": "f1"])
    XCTAssertEqual(artifact(module)?["uri"] as? String, "infra/main.tf")
    XCTAssertEqual(region(module)?["startLine"] as? Int, 12)
    let properties = try XCTUnwrap(module["properties"] as? [String: Any])
    let commitJSON = try XCTUnwrap(properties["commit"] as? [String: String])
    XCTAssertEqual(commitJSON["sha"], commit.sha)
    XCTAssertEqual(commitJSON["author"], "Jane Doe")
    XCTAssertEqual(commitJSON["summary"], "add the vpc module")
    XCTAssertEqual((properties["evidence"] as? [String: Any])?["source"] as? String, "terraform-aws-modules/vpc/aws")

    let image = try XCTUnwrap(results.first { $0["ruleId"] as? String == "pins/image-unpinned" })
    XCTAssertEqual(region(image)?["startLine"] as? Int, 1, "line 0 becomes 1: SARIF lines start at 1")
    let link = try XCTUnwrap(results.first { $0["ruleId"] as? String == "runbook/broken-link" })
    XCTAssertNil(region(link), "no line, no region")
    XCTAssertNil((link["properties"] as? [String: Any])?["commit"], "no commit known, none written")

    let runDocument = try firstRun(try sarif(sample()))
    let provenance = try XCTUnwrap((runDocument["versionControlProvenance"] as? [[String: Any]])?.first)
    XCTAssertEqual(provenance["revisionId"] as? String, head)
    XCTAssertEqual(provenance["branch"] as? String, "main")
    XCTAssertTrue((provenance["repositoryUri"] as? String)?.hasPrefix("file:///") ?? false)
    XCTAssertEqual((runDocument["properties"] as? [String: Any])?["policyHash"] as? String, "0123abcd")
    XCTAssertNil((runDocument["properties"] as? [String: Any])?["truncated"])
  }

  func testSARIFAnchorsRepositoryLevelFindingsToAFile() throws {
    let findings = [
      finding(
        "ownership/codeowners-missing", .error, "no CODEOWNERS",
        evidence: .object([("looked_at", JSONValue(RepositoryFacts.codeOwnersLocations))])),
      finding("ownership/catalog-owner-mismatch", .warning, "owner differs"),
      finding(
        "runbook/missing", .error, "no runbook",
        evidence: .object([("looked_for", JSONValue(["docs/runbook*.md", "runbooks/", "ops/RUNBOOK.md"]))])),
      finding("runbook/missing-section", .warning, "no rollback section"),
      finding("tags/not-semver", .warning, "release-1 is not semver", evidence: .object([("tag", "release-1")])),
      finding(
        "waiver/unused", .note, "waiver matches nothing", evidence: .object([("paths", JSONValue(["legacy/**"]))])),
    ]
    func uris(_ results: [RepositoryResult]) throws -> [String: (String?, String?)] {
      var out: [String: (String?, String?)] = [:]
      for result in try sarifResults(try sarif(results)) {
        let location = artifact(result)
        out[result["ruleId"] as? String ?? ""] = (location?["uri"] as? String, location?["uriBaseId"] as? String)
        XCTAssertEqual((result["properties"] as? [String: Any])?["repositoryLevel"] as? Bool, true)
        XCTAssertNil(region(result))
      }
      return out
    }
    let single = try uris([repository("svc", findings)])
    XCTAssertEqual(single["ownership/codeowners-missing"]?.0, ".github/CODEOWNERS", "first evidence path")
    XCTAssertEqual(single["ownership/catalog-owner-mismatch"]?.0, "CODEOWNERS", "rule family's file")
    XCTAssertEqual(single["runbook/missing"]?.0, "ops/RUNBOOK.md", "globs and folders are skipped")
    XCTAssertEqual(single["runbook/missing-section"]?.0, "RUNBOOK.md")
    XCTAssertEqual(single["tags/not-semver"]?.0, "CHANGELOG.md")
    XCTAssertEqual(single["waiver/unused"]?.0, ".", "no file to point at: the repository root")
    XCTAssertNil(single["waiver/unused"]?.1)

    let estate = try uris([repository("svc", findings), repository("other", [])])
    XCTAssertEqual(estate["ownership/codeowners-missing"]?.0, "estate/svc/.github/CODEOWNERS")
    XCTAssertEqual(estate["ownership/codeowners-missing"]?.1, "%SRCROOT%")
    XCTAssertEqual(estate["waiver/unused"]?.0, "estate/svc")
    let runDocument = try firstRun(try sarif([repository("svc", findings), repository("other", [])]))
    XCTAssertNil(runDocument["versionControlProvenance"], "only for a single repository")
    XCTAssertNotNil((runDocument["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"])
  }

  func testSARIFPrefixesAndEncodesPathsAcrossRepositories() throws {
    let results = [
      repository(
        "a", path: "./estate/a",
        [finding("pins/image-unpinned", .warning, "x", path: "docker files/Dockerfile", line: 3)]),
      repository(
        "b", path: "/srv/mirrors/b.git", [finding("pins/image-unpinned", .warning, "y", path: "Dockerfile", line: 1)]),
    ]
    let sarifResults = try sarifResults(try sarif(results))
    XCTAssertEqual(artifact(sarifResults[0])?["uri"] as? String, "estate/a/docker%20files/Dockerfile")
    XCTAssertEqual(artifact(sarifResults[0])?["uriBaseId"] as? String, "%SRCROOT%")
    XCTAssertEqual(artifact(sarifResults[1])?["uri"] as? String, "file:///srv/mirrors/b.git/Dockerfile")
    XCTAssertNil(artifact(sarifResults[1])?["uriBaseId"])
  }

  func testSARIFKeepsTheMostSevere25000Results() throws {
    var findings: [Finding] = []
    for index in 0..<25_000 {
      findings.append(
        finding(
          "runbook/stale", .note, "stale \(index)", path: "RUNBOOK.md", line: index % 50, fingerprint: "n\(index)"))
    }
    for index in 0..<5 {
      findings.append(finding("tags/moved", .error, "moved \(index)", fingerprint: "e\(index)"))
      findings.append(
        finding(
          "pins/action-unpinned", .warning, "unpinned \(index)", path: ".github/workflows/ci.yml", line: index + 1,
          fingerprint: "w\(index)"))
    }
    XCTAssertEqual(findings.count, 25_010)
    let document = SARIFReport.document([repository("big", findings)], catalog: try catalog(), run: run)
    let runDocument = try XCTUnwrap(document["runs"]?.arrayValue?.first)
    let results = try XCTUnwrap(runDocument["results"]?.arrayValue)
    XCTAssertEqual(results.count, 25_000)
    XCTAssertEqual(runDocument["properties"]?["truncated"]?.intValue, 10)
    XCTAssertEqual(results.prefix(5).compactMap { $0["level"]?.stringValue }, Array(repeating: "error", count: 5))
    XCTAssertEqual(results[5..<10].compactMap { $0["level"]?.stringValue }, Array(repeating: "warning", count: 5))
    for result in results {
      XCTAssertLessThanOrEqual(result["locations"]?.arrayValue?.count ?? 0, 1_000)
      let region = result["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]
      if let start = region?["startLine"] { XCTAssertGreaterThanOrEqual(start.intValue ?? 0, 1) }
    }
    // Deterministic: the input's order does not matter.
    let reversed = SARIFReport.document([repository("big", findings.reversed())], catalog: try catalog(), run: run)
    XCTAssertEqual(reversed["runs"]?.arrayValue?.first?["results"], runDocument["results"])
  }

  // MARK: - GitHub annotations

  func testGitHubAnnotationsEscapeAndOrder() {
    let results = [
      repository(
        "svc",
        [
          finding("runbook/stale", .note, "runbook is 400 days old", path: "RUNBOOK.md"),
          finding(
            "pins/module-unpinned", .error, "100% unpinned\nsee: docs, now\r\nok", path: "infra/a,b:c%.tf", line: 7),
          finding("ownership/codeowners-missing", .error, "no CODEOWNERS file"),
          finding(
            "pins/action-unpinned", .warning, "uses: actions/checkout@v4", path: ".github/workflows/ci.yml", line: 0),
        ])
    ]
    let lines = GitHubAnnotations.render(results).split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(
      lines,
      [
        "::error title=ownership/codeowners-missing::no CODEOWNERS file",
        "::error file=infra/a%2Cb%3Ac%25.tf,line=7,title=pins/module-unpinned::100%25 unpinned%0Asee: docs, now%0D%0Aok",
        "::warning file=.github/workflows/ci.yml,line=1,title=pins/action-unpinned::uses: actions/checkout@v4",
        "::notice file=RUNBOOK.md,title=runbook/stale::runbook is 400 days old",
        "",
      ])

    let estate = [
      repository("svc", [finding("tags/moved", .error, "v1 moved", path: "CHANGELOG.md", line: 2)]),
      RepositoryResult.failed(path: "estate/bad", name: "bad", error: "corrupt: pack\nfile"),
    ]
    XCTAssertEqual(
      GitHubAnnotations.render(estate),
      "::error file=estate/svc/CHANGELOG.md,line=2,title=tags/moved::svc: v1 moved\n"
        + "::error::estate/bad: could not be read: corrupt: pack%0Afile\n")
  }

  // MARK: - GitLab Code Quality

  func testGitLabCodeQualityMapsSeverityAndKeepsFingerprintsUnique() throws {
    let results = [
      repository(
        "svc",
        [
          finding("pins/module-unpinned", .error, "a", path: "main.tf", line: 3, fingerprint: "same"),
          finding("pins/module-unpinned", .error, "a again", path: "main.tf", line: 9, fingerprint: "same"),
          finding("pins/module-loose-constraint", .warning, "b", path: "main.tf", line: 4, fingerprint: "twice"),
          finding("pins/module-loose-constraint", .warning, "b", path: "main.tf", line: 4, fingerprint: "twice"),
          finding("runbook/stale", .note, "c", path: "RUNBOOK.md", fingerprint: "c"),
          finding("runbook/missing", .error, "d", fingerprint: "d"),
        ])
    ]
    let text = GitLabCodeQuality.document(results).serialized(indent: 2)
    let issues = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    XCTAssertEqual(issues.count, 6)
    XCTAssertEqual(
      issues.compactMap { $0["severity"] as? String }, ["major", "major", "minor", "minor", "info", "major"])
    let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
    XCTAssertEqual(fingerprints, ["same:3", "same:9", "twice:4", "twice:4:2", "c", "d"])
    XCTAssertEqual(Set(fingerprints).count, issues.count)
    for issue in issues {
      XCTAssertNotNil(issue["description"] as? String)
      XCTAssertNotNil(issue["check_name"] as? String)
      let location = try XCTUnwrap(issue["location"] as? [String: Any])
      XCTAssertNotNil(location["path"] as? String)
      XCTAssertGreaterThanOrEqual(((location["lines"] as? [String: Any])?["begin"] as? Int) ?? 0, 1)
    }
    XCTAssertEqual(issues[0]["check_name"] as? String, "pins/module-unpinned")
    XCTAssertEqual(((issues[4]["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int, 1)
    XCTAssertEqual((issues[5]["location"] as? [String: Any])?["path"] as? String, "RUNBOOK.md")
    XCTAssertEqual(GitLabCodeQuality.document([]).serialized(), "[]")
  }

  // MARK: - Markdown

  func testMarkdownGroupsByRuleAndFoldsLongSections() {
    var findings = (1...6).map { (index: Int) in
      finding("pins/image-unpinned", .warning, "image \(index) unpinned", path: "Dockerfile", line: index)
    }
    findings += (1...5).map { (index: Int) in
      finding("runbook/stale", .note, "stale \(index)", path: "RUNBOOK.md", line: index)
    }
    findings.append(finding("pins/module-unpinned", .error, "module | <b> `x`", path: "main.tf", line: 1))
    let results = [
      repository("svc", findings), RepositoryResult.failed(path: "estate/bad", name: "bad", error: "no <objects>"),
    ]
    let text = MarkdownReport().render(results, title: "plumb scan")
    XCTAssertTrue(text.hasPrefix("## plumb scan\n\n"), text)
    XCTAssertTrue(
      text.contains("**2 repositories** (1 could not be read), **12 findings**: 1 error, 6 warnings, 5 notes."), text)
    let error = text.range(of: "### error · `pins/module-unpinned` (1)")
    let warning = text.range(of: "### warning · `pins/image-unpinned` (6)")
    let note = text.range(of: "### note · `runbook/stale` (5)")
    XCTAssertNotNil(error)
    XCTAssertNotNil(warning)
    XCTAssertNotNil(note)
    if let error, let warning, let note {
      XCTAssertTrue(error.lowerBound < warning.lowerBound && warning.lowerBound < note.lowerBound, "most severe first")
    }
    XCTAssertEqual(text.components(separatedBy: "<details>").count - 1, 1, "only the rule with more than 5")
    XCTAssertTrue(
      text.contains("<details><summary>6 findings</summary>\n\n- **svc** Dockerfile:1 — image 1 unpinned\n"), text)
    XCTAssertTrue(text.contains("- **svc** RUNBOOK.md:5 — stale 5\n\n### Could not be read"), text)
    XCTAssertTrue(text.contains("- **svc** main.tf:1 — module \\| &lt;b&gt; \\`x\\`\n"), text)
    XCTAssertTrue(text.contains("### Could not be read\n\n- **bad** (estate/bad): no &lt;objects&gt;\n"), text)
    XCTAssertEqual(MarkdownReport().render([repository("svc", [])]), "## plumb\n\n**1 repository**, **0 findings**.\n")
  }

  func testMarkdownLinksThroughTheTemplate() {
    let results = [
      repository(
        "payments-api",
        [
          finding(
            "pins/module-unpinned", .error, "owned by @acme/platform.", path: "infra/main.tf", line: 12, commit: commit),
          finding("ownership/codeowners-missing", .error, "no CODEOWNERS file", commit: commit),
        ])
    ]
    let report = MarkdownReport(linkTemplate: "https://github.com/acme/{repo}/blob/{sha}/{path}#L{line}")
    let text = report.render(results)
    XCTAssertTrue(
      text.contains(
        "- [infra/main.tf:12](https://github.com/acme/payments-api/blob/\(head)/infra/main.tf#L12) — owned by "
          + "`@acme/platform`. (commit [`abc1234`](https://github.com/acme/payments-api/commit/\(commit.sha)) by Jane Doe)\n"
      ), text)
    XCTAssertTrue(
      text.contains(
        "- no CODEOWNERS file (commit [`abc1234`](https://github.com/acme/payments-api/commit/\(commit.sha)) by Jane Doe)\n"
      ),
      text)
    // Commits link to the forge's commit page; a file URL of unknown shape still gives the tree at the commit.
    let forges = [
      (
        "https://gitlab.acme.test/acme/{repo}/-/blob/{sha}/{path}#L{line}",
        "https://gitlab.acme.test/acme/payments-api/-/commit/"
      ),
      (
        "https://bitbucket.org/acme/{repo}/src/{sha}/{path}#lines-{line}",
        "https://bitbucket.org/acme/payments-api/commits/"
      ),
      ("https://git.acme.test/{repo}/tree/{sha}/{path}#L{line}", "https://git.acme.test/payments-api/tree/"),
    ]
    for (template, page) in forges {
      let forge = MarkdownReport(linkTemplate: template).render(results)
      let suffix = template.hasPrefix("https://git.acme.test") ? "/" : ""
      XCTAssertTrue(forge.contains("(\(page)\(commit.sha)\(suffix)) by Jane Doe"), forge)
    }
    let plain = MarkdownReport().render(results)
    XCTAssertTrue(
      plain.contains("- infra/main.tf:12 — owned by `@acme/platform`. (commit `abc1234` by Jane Doe)\n"), plain)
    XCTAssertFalse(plain.contains("http"), plain)
  }

  // MARK: - Support

  struct Output {
    let status: Int32
    let output: String
  }

  /// Runs python3 (through env, so a missing interpreter is a status, not a crash).
  func python(_ arguments: [String]) -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return Output(status: -1, output: "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }
}
