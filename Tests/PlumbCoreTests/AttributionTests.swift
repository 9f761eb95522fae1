import FixtureKit
import Foundation
import XCTest

@testable import PlumbCore

/// Every finding carries the commit that introduced it, on histories with merges, side branches,
/// deletions and renames.
final class AttributionTests: XCTestCase {
  let history = """
    commits:
      - message: root with owners
        author: Ann <ann@acme.test>
        date: 2026-01-01T00:00:00Z
        files:
          CODEOWNERS: "* @acme/platform\\n"
          README.md: "# svc\\n"
      - message: add a pattern that matches nothing
        author: Bob <bob@acme.test>
        date: 2026-01-02T00:00:00Z
        files:
          CODEOWNERS: "* @acme/platform\\n/gone/ @acme/ghosts\\n"
      - message: start feature
        branch: feature
        author: Cleo <cleo@acme.test>
        date: 2026-01-03T00:00:00Z
        files:
          infra/main.tf: "module \\"vpc\\" {\\n  source = \\"terraform-aws-modules/vpc/aws\\"\\n}\\n"
      - message: unrelated work on main
        branch: main
        author: Dan <dan@acme.test>
        date: 2026-01-04T00:00:00Z
        files:
          CODEOWNERS: "# owners\\n* @acme/platform\\n/gone/ @acme/ghosts\\n"
      - message: merge feature
        branch: main
        merge: [feature]
        author: Eve <eve@acme.test>
        date: 2026-01-05T00:00:00Z
        files:
          infra/main.tf: "module \\"vpc\\" {\\n  source = \\"terraform-aws-modules/vpc/aws\\"\\n}\\n"
      - message: rename the infra folder
        author: Fay <fay@acme.test>
        date: 2026-01-06T00:00:00Z
        delete: [infra/main.tf]
        files:
          terraform/main.tf: "module \\"vpc\\" {\\n  source = \\"terraform-aws-modules/vpc/aws\\"\\n}\\n"
    """

  func testLineFindingsAreBlamedThroughMergesEditsAndRenames() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)
    let result = try scan(repo.path)
    let dead = try XCTUnwrap(result.findings(of: "ownership/pattern-matches-nothing").first)
    XCTAssertEqual(dead.line, 3)
    XCTAssertEqual(
      dead.commit?.summary, "add a pattern that matches nothing", "the line moved down, its author did not change")
    XCTAssertEqual(dead.commit?.author, "Bob")
    XCTAssertEqual(dead.commit?.email, "bob@acme.test")
    XCTAssertEqual(dead.commit?.time, "2026-01-02T00:00:00Z")
    XCTAssertEqual(dead.commit?.sha.count, 40)
    let unpinned = try XCTUnwrap(result.findings(of: "pins/module-unpinned").first)
    XCTAssertEqual(unpinned.path, "terraform/main.tf")
    XCTAssertEqual(unpinned.commit?.summary, "start feature", "introduced on the side branch, merged, then renamed")
  }

  func testFileLevelFindingsStartWhereTheirCurrentRunBegan() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - message: no owners at first
            files: {README.md: "# a\\n"}
          - message: add owners
            files: {CODEOWNERS: "* @acme/a\\n"}
          - message: unrelated
            files: {src/a.go: "package a\\n"}
          - message: delete owners
            delete: [CODEOWNERS]
          - message: more unrelated work
            files: {src/b.go: "package b\\n"}
        """)
    let missing = try XCTUnwrap(try scan(repo.path).findings(of: "ownership/codeowners-missing").first)
    XCTAssertEqual(missing.commit?.summary, "delete owners")

    let never = try folder.repository(
      "never", yaml: "commits:\n  - message: root\n    files: {a: b}\n  - message: second\n    files: {c: d}\n")
    XCTAssertEqual(try scan(never.path).findings(of: "ownership/codeowners-missing").first?.commit?.summary, "root")
  }

  func testDeletedAndRestoredFileStartsAgainAtTheRestore() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - message: owners with a gap
            files: {CODEOWNERS: "/src/ @acme/a\\n", src/a.go: x, docs/x.md: y}
          - message: delete docs
            delete: [docs/x.md]
          - message: restore docs
            files: {docs/x.md: y}
          - message: touch src
            files: {src/a.go: z}
        """)
    let unowned = try XCTUnwrap(try scan(repo.path).findings(of: "ownership/unowned-files").first)
    XCTAssertEqual(unowned.commit?.summary, "owners with a gap", "unowned files (CODEOWNERS, docs) held all along")
    let result = try scan(repo.path, revision: "HEAD~2")
    XCTAssertEqual(result.findings(of: "ownership/unowned-files").first?.commit?.summary, "owners with a gap")
  }

  func testNoAttributionLeavesCommitNull() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: nil, file: "plumb.yml")
    let options = ScanOptions(policy: policy, today: "2026-11-21", attribution: false)
    let result = RepositoryScanner(options: options, loader: loader).scan(RepositoryLocation(path: repo.path))
    XCTAssertFalse(result.findings.isEmpty)
    XCTAssertTrue(result.findings.allSatisfy { $0.commit == nil })
  }
}
