import FixtureKit
import XCTest

@testable import PlumbCore

/// Runbook locations match case-insensitively, as files, globs or folders of Markdown.
final class RunbookLocationTests: XCTestCase {
  func testLocationsMatchIgnoringCaseAndLeadingSlashes() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "svc",
      yaml: """
        files:
          Docs/RunBook-payments.md: x
          RUNBOOKS/db.md: x
          runbooks/notes.txt: x
          src/runbook.md: x
          Runbook.MD: x
          Dockerfile: x
        """)
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(
      configText: "runbook: {locations: [/docs/runbook*.md, runbooks/, RUNBOOK.md, \"*/RUNBOOK.md\"]}", file: "p")
    let snapshot = try SnapshotLoader.load(RepositoryLocation(path: made.path), revision: nil, cache: ParseCache())
      .snapshot
    let facts = RepositoryFacts(snapshot: snapshot, policy: policy)
    XCTAssertEqual(facts.runbooks, ["Docs/RunBook-payments.md", "RUNBOOKS/db.md", "Runbook.MD", "src/runbook.md"])
    XCTAssertEqual(RepositoryFacts.literalPrefix("/docs/runbook*.md"), Array("docs/runbook".utf8))
    XCTAssertEqual(RepositoryFacts.literalPrefix("*/runbook.md"), [])
  }

  /// Links resolve from the runbook's folder; one that climbs out of the repository is named as far as it climbs.
  func testBrokenLinksNameTheTargetTheyResolveTo() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "svc",
      yaml: """
        files:
          RUNBOOK.md: "# R\\n[a](../outside.md) [b](docs/gone.md) [c](docs/here.md)\\n"
          docs/runbook-x.md: "# R\\n[d](../../x.md) [e](../nope.md) [f](../../y/../z.md) [g](./here.md)\\n"
          docs/here.md: x
        """)
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: "runbook: {locations: [RUNBOOK.md, docs/runbook-*.md]}", file: "p")
    let result = RepositoryScanner(
      options: ScanOptions(policy: policy, today: "2026-01-01", attribution: false), loader: loader
    )
    .scan(RepositoryLocation(path: made.path))
    let resolved = result.findings.filter { $0.rule == "runbook/broken-link" }.map { finding in
      "\(finding.path ?? "") \(finding.evidence["link"]?.stringValue ?? "") -> \(finding.evidence["resolved"]?.stringValue ?? "")"
    }
    XCTAssertEqual(
      Set(resolved),
      [
        "RUNBOOK.md ../outside.md -> ../outside.md", "RUNBOOK.md docs/gone.md -> docs/gone.md",
        "docs/runbook-x.md ../../x.md -> ../x.md", "docs/runbook-x.md ../nope.md -> nope.md",
        "docs/runbook-x.md ../../y/../z.md -> ../z.md",
      ])
  }
}
