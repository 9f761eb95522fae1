import Estate
import FixtureKit
import Foundation
import PlumbCore
import XCTest

@testable import Reports

/// `plumb report` built from real scans of repositories made by the tests, and from the adoption sample.
final class ProofReportTests: XCTestCase {
  let root = projectRoot()

  /// Four repositories: one clean, one without owners (under an expired estate waiver), one that shipped a
  /// breaking release as a minor, one whose own waiver matches nothing.
  static func makeEstate(_ folder: TemporaryFolder) throws -> (estate: String, config: String) {
    let estate = folder.path + "/estate"
    try FileManager.default.createDirectory(atPath: estate, withIntermediateDirectories: true)
    let inEstate = { (name: String, yaml: String) in
      _ = try Materializer.materialize(try RepositorySpec.parse(yaml: yaml), at: estate + "/" + name)
    }
    try inEstate("clean", "files: {CODEOWNERS: \"* @acme/platform\\n\", README.md: \"# ok\\n\"}")
    try inEstate("no-owners", "files: {README.md: \"# nobody\\n\"}")
    try inEstate(
      "releases",
      """
      commits:
        - author: Rel Ease <rel@acme.test>
          date: 2026-02-01T10:00:00Z
          message: first release
          files:
            CODEOWNERS: "* @acme/modules\\n"
            variables.tf: "variable \\"name\\" {\\n  type = string\\n}\\n"
          tags: [{name: v1.0.0, message: r}]
        - author: Rel Ease <rel@acme.test>
          date: 2026-03-01T10:00:00Z
          message: add size
          files:
            variables.tf: "variable \\"name\\" {\\n  type = string\\n}\\nvariable \\"size\\" {\\n  type = number\\n}\\n"
          tags: [{name: v1.1.0, message: r}]
      """)
    try inEstate(
      "noted",
      """
      files:
        CODEOWNERS: "* @acme/platform\\n"
        .plumb.yml: "waivers:\\n  - rule: runbook/missing\\n    owner: team-noted\\n    expires: 2099-12-31\\n"
      """)
    let config = folder.path + "/plumb.yml"
    try """
    extends: default
    waivers:
      - rule: ownership/codeowners-missing
        repositories: [no-owners]
        owner: team-infra
        expires: 2021-06-30
        reason: moving to a new org
      - rule: runbook/missing
        repositories: ["nothing-*"]
        owner: team-ops
        expires: 2099-01-01
    """.write(toFile: config, atomically: true, encoding: .utf8)
    return (estate, config)
  }

  /// Scans the estate with the CLI and returns the findings file.
  static func scan(_ folder: TemporaryFolder, estate: String, config: String) throws -> String {
    let output = folder.path + "/findings.json"
    let run = try CLI.run(["scan", estate, "--config", config, "--format", "json", "--output", output])
    XCTAssertEqual(run.status, 1, "errors in the estate: exit 1; " + run.stderr)
    return output
  }

  func readJSON(_ path: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: path)))
    return try XCTUnwrap(object as? [String: Any])
  }

  func testReportFromARealScan() throws {
    let folder = TemporaryFolder()
    let (estate, config) = try Self.makeEstate(folder)
    let findings = try Self.scan(folder, estate: estate, config: config)
    let output = folder.path + "/report"
    let run = try CLI.run([
      "report", findings, "--config", config, "--output", output,
      "--link-template", "https://git.example.com/acme/{repo}/blob/{sha}/{path}#L{line}",
    ])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains("4 repositories"), run.stdout)
    for file in ["index.html", "report.md", "data.json"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/" + file), file)
    }
    let data = try ProofData.read(json: try Data(contentsOf: URL(fileURLWithPath: output + "/data.json")))
    let scan = try readJSON(findings)
    let scanned = try XCTUnwrap(scan["repositories"] as? [[String: Any]])

    // Every repository with the commit that was scanned, and the run's policy hash.
    XCTAssertEqual(data.repositories.map(\.name), ["clean", "no-owners", "noted", "releases"])
    for repository in scanned {
      let name = try XCTUnwrap(repository["name"] as? String)
      let shown = try XCTUnwrap(data.repositories.first { $0.name == name })
      XCTAssertEqual(shown.head, repository["head"] as? String)
      XCTAssertEqual(shown.findings.count, (repository["findings"] as? [Any])?.count)
    }
    let run_ = try XCTUnwrap(scan["run"] as? [String: Any])
    XCTAssertEqual(data.policyHashes, [try XCTUnwrap(run_["policy_hash"] as? String)])

    // Categories: a warning or worse fails one, a note does not, waiver findings belong to none.
    let failing = Dictionary(uniqueKeysWithValues: data.repositories.map { ($0.name, $0.failing) })
    XCTAssertEqual(failing["clean"], [])
    XCTAssertEqual(failing["no-owners"], ["ownership"])
    XCTAssertEqual(failing["releases"], ["versioning"])
    XCTAssertEqual(failing["noted"], [], "a waiver/unused note fails no category")
    let scores = Dictionary(uniqueKeysWithValues: data.scorecard.map { ($0.category, $0) })
    XCTAssertEqual(scores["ownership"]?.passing, 3)
    XCTAssertEqual(scores["versioning"]?.passing, 3)
    XCTAssertEqual(scores["runbooks"]?.passing, 4)
    XCTAssertEqual(scores["ownership"]?.share, 0.75)
    XCTAssertEqual(scores["ownership"]?.trend, ProofData.Trend.none, "a single scan has no earlier point")
    let summary = try XCTUnwrap(scan["summary"] as? [String: Any])
    XCTAssertEqual(data.totals.findings, summary["findings"] as? Int)

    // The breaking release, with the tag from the evidence and a link to the commit that introduced it.
    XCTAssertEqual(data.releases.breaking.map(\.repository), ["releases"])
    XCTAssertEqual(data.releases.breaking.first?.tag, "v1.1.0")
    let sha = try XCTUnwrap(data.releases.breaking.first?.commit?.sha)
    XCTAssertEqual(data.releases.breaking.first?.commit?.url, "https://git.example.com/acme/releases/commit/\(sha)")
    XCTAssertEqual(data.releases.breaking.first?.commit?.author, "Rel Ease")

    // Waivers: the config's (one expired, one that no repository of the estate used), and the repository's own
    // unused one.
    let waivers = Dictionary(uniqueKeysWithValues: data.waivers.map { ($0.owner, $0) })
    XCTAssertEqual(waivers["team-infra"]?.state, .expired)
    XCTAssertEqual(waivers["team-infra"]?.reportedIn, ["no-owners"])
    XCTAssertEqual(waivers["team-infra"]?.scope, "estate")
    XCTAssertEqual(waivers["team-ops"]?.state, .unused, "nothing-* names no repository: the scan said so")
    let unused = try XCTUnwrap(scan["estate_waivers_unused"] as? [[String: Any]])
    XCTAssertEqual(unused.compactMap { $0["owner"] as? String }, ["team-ops"])
    XCTAssertEqual(waivers["team-noted"]?.state, .unused)
    XCTAssertEqual(waivers["team-noted"]?.scope, "repository")
    XCTAssertEqual(waivers["team-noted"]?.declaredIn, "noted/.plumb.yml:2")
    XCTAssertEqual(data.waivers.count, 3)

    // Findings link to the file at the scanned commit.
    let noOwners = try XCTUnwrap(data.repositories.first { $0.name == "no-owners" })
    XCTAssertEqual(noOwners.findings.first?.severity, .error, "most severe first")
    let releases = try XCTUnwrap(data.repositories.first { $0.name == "releases" })
    XCTAssertEqual(releases.headLink, "https://git.example.com/acme/releases/blob/\(releases.head ?? "")/")

    let html = try String(contentsOfFile: output + "/index.html", encoding: .utf8)
    XCTAssertTrue(html.contains("<tr class=\"expired\"><td class=\"state\">expired</td>"), "expired waivers stand out")
    XCTAssertTrue(html.contains("<tr class=\"unused\"><td class=\"state\">unused</td>"))
    XCTAssertTrue(html.contains(releases.head ?? "no head"), "the footer lists each commit scanned")
    XCTAssertTrue(html.contains(data.policyHashes[0]))
    XCTAssertTrue(html.contains("href=\"https://git.example.com/acme/releases/commit/\(sha)\""))
  }

  func testAdoptionHistoryGivesTrendsMaturityAndDelivery() throws {
    let sample = try Data(contentsOf: URL(fileURLWithPath: root + "/fixtures/report/adoption-demo.json"))
    var inputs = ProofInputs(today: "2026-06-20")
    try inputs.add(sample, file: "adoption-demo.json")
    let data = ProofData(inputs)

    // Now is the period in progress (2026-06); the arrow compares with 2026-05.
    let ownership = try XCTUnwrap(data.scorecard.first { $0.category == "ownership" })
    XCTAssertEqual(ownership.passing, 2)
    XCTAssertEqual(ownership.repositories, 4)
    XCTAssertEqual(ownership.previousShare, 0.25)
    XCTAssertEqual(ownership.previousLabel, "2026-05")
    XCTAssertEqual(ownership.trend, .up)
    XCTAssertEqual(data.scorecard.first { $0.category == "pinning" }?.trend, .same)
    XCTAssertEqual(data.timeline.map(\.label), ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])
    XCTAssertEqual(data.timeline[0].shares[0], 1.0)
    XCTAssertEqual(data.maturity.map(\.level), ["none", "bronze", "silver", "gold"])
    XCTAssertEqual(data.maturity.map(\.repositories), [1, 1, 1, 1])
    XCTAssertEqual(data.delivery?.releasesPerMonth, 0.2)
    XCTAssertEqual(data.delivery?.leadTimeP90Days, 36.2)
    XCTAssertEqual(data.adopted.first { $0.category == "templates" }?.repositories, 4)
    XCTAssertEqual(data.regressions, 2)
    XCTAssertEqual(data.policyHashes, ["91a895df60a2ad021033297661df6901"])

    // Without a scan the repositories stand as they did in their last period.
    let payments = try XCTUnwrap(data.repositories.first { $0.name == "payments-api" })
    XCTAssertEqual(payments.failing, ["ownership", "runbooks", "pinning"])
    XCTAssertEqual(payments.maturity, "bronze")
    XCTAssertEqual(payments.delivery?.lastRelease, "v1.0.0")
    XCTAssertEqual(data.repositories.first { $0.name == "empty-repo" }?.status, "error")
    XCTAssertEqual(data.totals.unreadable, 1)
    // Findings are counted per category at the last period; adoption records no severities, so those are unknown.
    XCTAssertEqual(
      data.scorecard.map(\.findings), [4, 3, 2, 0, 0], "ownership 3+1, runbooks 2+1, pinning 2 at the last periods")
    XCTAssertEqual(data.totals.findings, 9)
    XCTAssertNil(data.totals.errors)
    XCTAssertNil(payments.errors)
    let page = ProofHTML.render(data)
    XCTAssertTrue(page.contains("9 findings"), "not 0 findings")
    XCTAssertFalse(page.contains("0 errors"), "severities are not claimed")
    XCTAssertTrue(ProofMarkdown.render(data).contains(", 9 findings."))

    // A scan on top says where things are now; the current period's predecessor is still the comparison.
    let scan = try Data(contentsOf: URL(fileURLWithPath: root + "/fixtures/golden/payments-api.json"))
    try inputs.add(scan, file: "payments-api.json")
    let both = ProofData(inputs)
    XCTAssertEqual(both.repositories.map(\.name), ["payments-api"])
    XCTAssertEqual(both.repositories[0].maturity, "bronze", "adoption facts join the scanned repository by name")
    XCTAssertEqual(both.scorecard.first { $0.category == "ownership" }?.share, 0)
    XCTAssertEqual(both.scorecard.first { $0.category == "ownership" }?.trend, .down)
  }

  func testADocumentIsReadAlikeWhereverItsSchemaStands() throws {
    let sample = try Data(contentsOf: URL(fileURLWithPath: root + "/fixtures/report/adoption-demo.json"))
    XCTAssertEqual(ProofInputs.leadingSchema(sample), "plumb/adoption@1", "plumb writes the schema first")
    let reordered = try JSONSerialization.data(
      withJSONObject: try JSONSerialization.jsonObject(with: sample), options: [.sortedKeys])
    XCTAssertNil(ProofInputs.leadingSchema(reordered), "\"categories\" sorts before \"schema\"")
    var first = ProofInputs(today: "2026-06-20")
    try first.add(sample, file: "adoption.json")
    var second = ProofInputs(today: "2026-06-20")
    try second.add(reordered, file: "adoption.json")
    XCTAssertEqual(try ProofData(first).json(), try ProofData(second).json())
    XCTAssertEqual(first.sources, ["adoption.json"])
    XCTAssertEqual(
      ProofInputs.leadingSchema(Data(" {\n \"schema\" : \"plumb/pins@1\", \"pins\": []}".utf8)), "plumb/pins@1")
    XCTAssertNil(ProofInputs.leadingSchema(Data(#"{"schema": "plumb\/pins@1"}"#.utf8)), "escapes: parsed whole")
    XCTAssertNil(ProofInputs.leadingSchema(Data(#"[{"schema": "plumb/pins@1"}]"#.utf8)))

    // A repository stands where its last judged period left it; a missing or null series is no standing.
    var sparse = ProofInputs(today: "2026-06-20")
    try sparse.add(
      Data(
        """
        {"schema": "plumb/adoption@1", "periods": [], "estate": {"series": []}, "repositories": [
          {"name": "a"}, {"name": "b", "series": null},
          {"name": "c", "series": [{"period": "2026-01", "commit": "abc", "passing": {"ownership": false}},
                                   {"period": "2026-02", "commit": null, "passing": null}]}]}
        """.utf8), file: "sparse.json")
    let standing = ProofData(sparse).repositories
    XCTAssertEqual(standing.map(\.name), ["a", "b", "c"])
    XCTAssertEqual(standing.map(\.failing), [[], [], ["ownership"]])
    XCTAssertEqual(standing.last?.head, "abc")
  }

  func testStoreRunsWithoutACurrentPointExtendTheChartToNow() throws {
    var inputs = ProofInputs(today: "2026-07-01")
    inputs.timeline = [
      ScorePoint(label: "run 1", repositories: 2, passing: ["ownership": 0], current: false),
      ScorePoint(label: "run 2", repositories: 2, passing: ["ownership": 1], current: false),
    ]
    inputs.repositories = [
      RepositoryResult(
        path: "a", name: "a", head: String(repeating: "a", count: 40), ref: nil, status: .ok, error: nil, findings: []),
      RepositoryResult(
        path: "b", name: "b", head: String(repeating: "b", count: 40), ref: nil, status: .ok, error: nil, findings: []),
    ]
    let data = ProofData(inputs)
    XCTAssertEqual(data.timeline.map(\.label), ["run 1", "run 2", "now"])
    let ownership = try XCTUnwrap(data.scorecard.first)
    XCTAssertEqual(ownership.share, 1.0)
    XCTAssertEqual(ownership.previousShare, 0.5)
    XCTAssertEqual(ownership.previousLabel, "run 2")
    XCTAssertEqual(ownership.trend, .up)
  }

  /// Columns whose text does not sort as text carry a key that does: tiers as numbers, maturity in level order,
  /// versions part by part.
  func testSortKeysOrderTiersLevelsAndVersionsAsReadersExpect() throws {
    let tiers = ["10", "2", "1", "gold-tier", "3"].sorted { ProofHTML.sortKey(tier: $0) < ProofHTML.sortKey(tier: $1) }
    XCTAssertEqual(tiers, ["1", "2", "3", "10", "gold-tier"])
    let versions = ["10.0.0", "9.1.0", "9.1.0-rc.1", "v9.10.0", "9.2.0"].sorted {
      ProofHTML.sortKey(version: $0) < ProofHTML.sortKey(version: $1)
    }
    XCTAssertEqual(versions, ["9.1.0-rc.1", "9.1.0", "9.2.0", "v9.10.0", "10.0.0"])
    let sample = try Data(contentsOf: URL(fileURLWithPath: root + "/fixtures/report/adoption-demo.json"))
    var inputs = ProofInputs(today: "2026-06-20")
    try inputs.add(sample, file: "adoption-demo.json")
    let page = ProofHTML.render(ProofData(inputs))
    // none, bronze, silver, gold: the key is the level's place, not its name.
    for (rank, level) in ["none", "bronze", "silver", "gold"].enumerated() {
      XCTAssertTrue(page.contains("<td data-v=\"00\(rank)\">\(level)</td>"), level)
    }
  }

  func testMarkdownSummariesAreHTMLEscapedAndCountsAgreeInNumber() throws {
    var inputs = ProofInputs(today: "2026-06-20")
    let finding = Finding(
      rule: "ownership/codeowners-missing", severity: .note, message: "no CODEOWNERS", path: nil, line: nil,
      fingerprint: "f1", commit: nil, evidence: .object([]))
    inputs.repositories = [
      RepositoryResult(
        path: "my_service", name: "my_service", head: nil, ref: nil, status: .ok, error: nil, findings: [finding])
    ]
    let markdown = ProofMarkdown.render(ProofData(inputs))
    XCTAssertTrue(markdown.contains("<summary>my_service: 1 finding</summary>"), markdown)
    XCTAssertTrue(markdown.contains("1 repository, 1 finding (0 errors, 0 warnings, 1 note)."), markdown)
  }

  /// Names, messages, paths and evidence from repositories are data, never markup.
  func testHostileTextNeverBecomesMarkup() throws {
    let hostile = "<script>alert(1)</script>"
    let finding = Finding(
      rule: "ownership/codeowners-missing", severity: .error, message: "no owners <img src=x onerror=alert(2)>",
      path: "a\"onmouseover=\"alert(3)", line: 1, fingerprint: "f",
      commit: CommitRef(
        sha: "abc1234def5678abc1234def5678abc1234def56", author: "</td><script>alert(4)</script>",
        email: "x@y", time: "2026-01-02T03:04:05Z", summary: "'><svg onload=alert(5)>"))
    var inputs = ProofInputs(today: "2026-07-01")
    inputs.title = "Estate <b>report</b>"
    inputs.repositories = [
      RepositoryResult(
        path: "estate/" + hostile, name: hostile, head: String(repeating: "c", count: 40), ref: nil, status: .ok,
        error: nil, findings: [finding],
        metadata: RepositoryMetadata(team: "\"><script>alert(6)</script>", tier: nil, tags: []))
    ]
    inputs.linkTemplate = "javascript:alert(7)//{repo}"
    inputs.sources = ["<iframe>.json"]
    let data = ProofData(inputs)
    let html = ProofHTML.render(data)

    XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "only the page's own script")
    for markup in ["<img", "<svg onload", "<iframe", "<b>report", "onmouseover=\"", "javascript:"] {
      XCTAssertFalse(html.contains(markup), markup)
    }
    XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    XCTAssertTrue(html.contains("data-team=\"&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;\""))

    let markdown = ProofMarkdown.render(data)
    XCTAssertFalse(markdown.contains("<script>"))
    XCTAssertFalse(markdown.contains("<img"))
    XCTAssertFalse(markdown.contains("javascript:"), "a link template that is not a web link gives no links")
  }

  func testPageIsSelfContained() throws {
    let folder = TemporaryFolder()
    let (estate, config) = try Self.makeEstate(folder)
    let findings = try Self.scan(folder, estate: estate, config: config)
    let sample = root + "/fixtures/report/adoption-demo.json"
    let output = folder.path + "/report"
    let run = try CLI.run([
      "report", findings, sample, "--output", output, "--link-template",
      "https://git.example.com/{repo}/blob/{sha}/{path}#L{line}",
    ])
    XCTAssertEqual(run.status, 0, run.stderr)
    let html = try String(contentsOfFile: output + "/index.html", encoding: .utf8)
    let lowered = html.lowercased()
    XCTAssertFalse(lowered.contains(" src="), "no element loads anything")
    XCTAssertFalse(lowered.contains("<link"), "no external style sheet")
    XCTAssertFalse(lowered.contains("@import"))
    XCTAssertFalse(lowered.contains("url("), "no CSS fetches")
    XCTAssertEqual(lowered.components(separatedBy: "<script").count - 1, 1)
    XCTAssertTrue(lowered.contains("<script>(function"), "the one script is inline")
    XCTAssertTrue(html.contains("content=\"default-src 'none';"), "the page forbids itself the network")
    XCTAssertTrue(html.contains("<svg class=\"chart\""), "the adoption chart is drawn in SVG")
    // The only web addresses are links the template made, for a person to follow.
    let addresses = html.components(separatedBy: "https://").dropFirst().map { $0.prefix(16) }
    XCTAssertFalse(addresses.isEmpty)
    XCTAssertTrue(addresses.allSatisfy { $0.hasPrefix("git.example.com/") }, "\(Set(addresses))")
    XCTAssertFalse(html.contains("http://"))
  }

  func testDataJSONRoundTripsAndMarkdownHasEverySection() throws {
    let folder = TemporaryFolder()
    let (estate, config) = try Self.makeEstate(folder)
    let findings = try Self.scan(folder, estate: estate, config: config)
    var inputs = ProofInputs(today: "2026-06-20")
    for file in [findings, root + "/fixtures/report/adoption-demo.json"] {
      try inputs.add(try Data(contentsOf: URL(fileURLWithPath: file)), file: file)
    }
    let data = ProofData(inputs)
    let json = try data.json()
    XCTAssertEqual(try ProofData.read(json: json), data)
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    XCTAssertEqual(object["schema"] as? String, "plumb/report@1")
    XCTAssertNotNil(object["policy_hashes"], "keys are snake_case")
    XCTAssertNotNil((object["waivers"] as? [[String: Any]])?.first?["reported_in"])

    let markdown = ProofMarkdown.render(data)
    for heading in [
      "# plumb proof report", "## Scorecard", "## Adoption over time", "## Maturity", "## Repositories",
      "## Pin inventory", "## Tags and releases", "### Breaking releases without a major version", "### Moved tags",
      "## Delivery", "## Waivers", "## Findings", "## Reproduce",
    ] {
      XCTAssertTrue(markdown.contains("\n" + heading + "\n") || markdown.hasPrefix(heading + "\n"), heading)
    }
    XCTAssertTrue(markdown.contains("| 2026-05 | 4 | 25% |"), "the adoption table has a row per period")
    XCTAssertTrue(markdown.contains("**expired**"))
  }

  func testPinsInputGivesTheRollUp() throws {
    let folder = TemporaryFolder()
    let estate = folder.path + "/estate"
    for (name, version) in [("app-a", "1.2.0"), ("app-b", "2.0.0"), ("app-c", "1.10.0")] {
      _ = try Materializer.materialize(
        try RepositorySpec.parse(
          yaml: """
            files:
              CODEOWNERS: "* @acme/a\\n"
              main.tf: "module \\"vpc\\" {\\n  source  = \\"terraform-aws-modules/vpc/aws\\"\\n  version = \\"\(version)\\"\\n}\\n"
            """), at: estate + "/" + name)
    }
    // The registry index says 2.0.0 is the newest release, so 1.x consumers are a major behind.
    try "terraform-aws-modules/vpc/aws: [1.2.0, 1.10.0, 2.0.0]\n".write(
      toFile: folder.path + "/index.yml", atomically: true, encoding: .utf8)
    try "registry-index: index.yml\n".write(toFile: folder.path + "/plumb.yml", atomically: true, encoding: .utf8)
    let pins = folder.path + "/pins.json"
    let run = try CLI.run([
      "pins", estate, "--config", folder.path + "/plumb.yml", "--format", "json", "--output", pins,
    ])
    XCTAssertEqual(run.status, 0, run.stderr)
    var inputs = ProofInputs(today: "2026-06-20")
    try inputs.add(try Data(contentsOf: URL(fileURLWithPath: pins)), file: pins)
    let data = ProofData(inputs)
    let source = try XCTUnwrap(data.pins?.sources.first { $0.source.hasSuffix("terraform-aws-modules/vpc/aws") })
    XCTAssertEqual(source.versions.map(\.version), ["2.0.0", "1.10.0", "1.2.0"], "newest first, numerically")
    XCTAssertEqual(source.consumers, 3)
    XCTAssertEqual(source.newest, "2.0.0")
    XCTAssertEqual(source.behindMajor, ["app-a", "app-c"])
    XCTAssertEqual(data.pins?.repositories, 3)
  }

  func testExitCodes() throws {
    let folder = TemporaryFolder()
    let output = folder.path + "/report"
    let none = try CLI.run(["report", "--output", output])
    XCTAssertEqual(none.status, 2)
    XCTAssertTrue(none.stderr.contains("nothing to report"), none.stderr)
    let missing = try CLI.run(["report", folder.path + "/no-such.json", "--output", output])
    XCTAssertEqual(missing.status, 2)
    XCTAssertTrue(missing.stderr.contains("no-such.json: cannot read"), missing.stderr)
    XCTAssertEqual(
      try CLI.run(["report", root + "/fixtures/golden/payments-api.json"]).status, 2, "--output is required")

    let foreign = folder.path + "/foreign.json"
    try #"{"schema": "sarif", "runs": []}"#.write(toFile: foreign, atomically: true, encoding: .utf8)
    let wrong = try CLI.run(["report", foreign, "--output", output])
    XCTAssertEqual(wrong.status, 2)
    XCTAssertTrue(wrong.stderr.contains("schema \"sarif\""), wrong.stderr)
    let broken = folder.path + "/broken.json"
    try #"{"schema": "plumb/findings@1", "repositories": [{"name": 3}]}"#.write(
      toFile: broken, atomically: true, encoding: .utf8)
    let bad = try CLI.run(["report", broken, "--output", output])
    XCTAssertEqual(bad.status, 2)
    XCTAssertTrue(bad.stderr.contains("not a valid plumb/findings@1 document"), bad.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/index.html"), "nothing written on a bad input")

    let manifest = folder.path + "/estate.yml"
    try "repositories:\n  - {path: a, teem: x}\n".write(toFile: manifest, atomically: true, encoding: .utf8)
    let badManifest = try CLI.run([
      "report", root + "/fixtures/golden/payments-api.json", "--manifest", manifest, "--output", output,
    ])
    XCTAssertEqual(badManifest.status, 2)
    XCTAssertTrue(badManifest.stderr.contains("estate.yml:2:"), badManifest.stderr)

    let good = try CLI.run(["report", root + "/fixtures/golden/payments-api.json", "--output", output])
    XCTAssertEqual(good.status, 0, good.stderr)
    XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/index.html"))
  }

  func testJSONLinesAndTeamsFromTheManifest() throws {
    let folder = TemporaryFolder()
    let (estate, config) = try Self.makeEstate(folder)
    let lines = folder.path + "/shard.jsonl"
    XCTAssertEqual(
      try CLI.run(["scan", estate, "--config", config, "--format", "jsonl", "--output", lines]).status, 1)
    let manifest = folder.path + "/estate.yml"
    try """
    repositories:
      - {path: estate/clean, team: platform, tier: 1, tags: [service]}
      - {path: no-owners, team: billing}
      - {path: elsewhere/releases-repo, name: releases, team: modules, tier: gold}
    """.write(toFile: manifest, atomically: true, encoding: .utf8)
    let output = folder.path + "/report"
    let run = try CLI.run(["report", lines, "--manifest", manifest, "--output", output])
    XCTAssertEqual(run.status, 0, run.stderr)
    let data = try ProofData.read(json: try Data(contentsOf: URL(fileURLWithPath: output + "/data.json")))
    XCTAssertEqual(data.repositories.count, 4)
    XCTAssertEqual(data.teams, ["billing", "modules", "platform"])
    let teams = Dictionary(uniqueKeysWithValues: data.repositories.map { ($0.name, $0.team ?? "-") })
    XCTAssertEqual(teams, ["clean": "platform", "no-owners": "billing", "releases": "modules", "noted": "-"])
    XCTAssertEqual(data.repositories.first { $0.name == "clean" }?.tier, "1")
    let html = try String(contentsOfFile: output + "/index.html", encoding: .utf8)
    XCTAssertTrue(html.contains("<option value=\"billing\">billing</option>"))
    XCTAssertTrue(html.contains("<option value=\"-\">(no team)</option>"))
    XCTAssertTrue(html.contains("<tr data-team=\"platform\" data-name=\"clean\">"))
  }

  func testStoreGivesRepositoriesTrendsAndMovedTags() throws {
    let folder = TemporaryFolder()
    let git = TestEstate.git
    let repositories = try TestEstate.services(in: folder, count: 4)
    let store = folder.path + "/plumb.sqlite"
    let estate = folder.path + "/estate"
    XCTAssertEqual(try CLI.run(["scan", estate, "--store", store, "--output", "/dev/null"]).status, 1)
    // Owners added in svc-1, and svc-3's release tag moved: one category better, one worse.
    try "* @acme/team\n".write(toFile: repositories[1] + "/CODEOWNERS", atomically: true, encoding: .utf8)
    try git(repositories[1], ["add", "CODEOWNERS"])
    try git(repositories[1], ["commit", "-qm", "owners"])
    try git(repositories[3], ["commit", "-q", "--allow-empty", "-m", "later"])
    try git(repositories[3], ["tag", "-f", "-a", "v1.0.0", "-m", "moved"])
    XCTAssertEqual(try CLI.run(["scan", estate, "--store", store, "--output", "/dev/null"]).status, 1)

    let output = folder.path + "/report"
    let run = try CLI.run(["report", "--store", store, "--output", output])
    XCTAssertEqual(run.status, 0, run.stderr)
    let data = try ProofData.read(json: try Data(contentsOf: URL(fileURLWithPath: output + "/data.json")))
    XCTAssertEqual(data.repositories.map(\.name), ["svc-0", "svc-1", "svc-2", "svc-3"])
    let head = try Materializer.run(["-C", repositories[1], "rev-parse", "HEAD"]).trimmingCharacters(
      in: .whitespacesAndNewlines)
    XCTAssertEqual(data.repositories[1].head, head, "the commit the last run scanned")
    XCTAssertEqual(data.timeline.count, 2, "one point per run")
    XCTAssertEqual(Set(data.timeline.map(\.label)).count, 2, "two runs of one day are told apart: \(data.timeline)")
    let ownership = try XCTUnwrap(data.scorecard.first { $0.category == "ownership" })
    XCTAssertEqual(ownership.passing, 3)
    XCTAssertEqual(ownership.previousShare, 0.5)
    XCTAssertEqual(ownership.trend, .up)
    let versioning = try XCTUnwrap(data.scorecard.first { $0.category == "versioning" })
    XCTAssertEqual(versioning.passing, 3)
    XCTAssertEqual(versioning.previousShare, 1.0)
    XCTAssertEqual(versioning.trend, .down)
    XCTAssertEqual(data.releases.moved.map(\.repository), ["svc-3"])
    XCTAssertEqual(data.releases.moved.first?.tag, "v1.0.0")
    XCTAssertEqual(data.policyHashes.count, 1)
    XCTAssertTrue(data.sources.first?.hasSuffix("plumb.sqlite (runs 1–2)") == true, "\(data.sources)")

    let missing = try CLI.run(["report", "--store", folder.path + "/none.sqlite", "--output", output])
    XCTAssertEqual(missing.status, 2)
    XCTAssertTrue(missing.stderr.contains("no such store"), missing.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path + "/none.sqlite"), "a report never creates one")
  }

  func testAStoreRepositoryCountsFromTheFirstRunThatRecordedIt() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/plumb.sqlite"
    let store = try EstateStore.open(path: path)
    func clean(_ name: String) -> RepositoryResult {
      RepositoryResult(
        path: "/estate/" + name, name: name, head: String(repeating: "a", count: 40), ref: "refs/heads/main",
        status: .ok, error: nil, findings: [])
    }
    for (day, names) in [(1, ["early"]), (2, ["early", "late"])] {
      let run = try store.beginRun(
        startedAt: "2026-03-0\(day)T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
      for name in names { try store.record(clean(name), cacheKey: nil, tags: [:], runID: run) }
      _ = try store.finishRun(run, finishedAt: "2026-03-0\(day)T00:00:01Z")
    }
    XCTAssertEqual(try store.repositories().map(\.firstRun), [1, 2])
    var inputs = ProofInputs(today: "2026-03-03")
    try inputs.add(store: store)
    XCTAssertEqual(
      inputs.timeline.map(\.repositories), [1, 2], "a repository without findings is not counted before it was recorded"
    )
  }
}
