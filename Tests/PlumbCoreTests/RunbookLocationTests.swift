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
}
