import FixtureKit
import Foundation
import XCTest

@testable import GitKit
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

  func testAnOlderVersionThatDoesNotReadLeavesTheCommitUnknownNotBlamedOnItsChild() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - message: first version
            files:
              Dockerfile: "FROM ubuntu:22.04\\n"
              RUNBOOK.md: "# Runbook\\n"
              .github/workflows/ci.yml: "on: push\\njobs:\\n  b:\\n    runs-on: x\\n    steps:\\n      - uses: actions/checkout@v4\\n"
          - message: second version
            files:
              RUNBOOK.md: "# Runbook\\n\\nMore words.\\n"
              .github/workflows/ci.yml: "on: [push]\\njobs:\\n  b:\\n    runs-on: x\\n    steps:\\n      - uses: actions/checkout@v4\\n"
        """)
    let intact = try scan(repo.path)
    XCTAssertEqual(intact.findings(of: "pins/action-unpinned").first?.commit?.summary, "first version")
    XCTAssertEqual(intact.findings(of: "runbook/missing-section").first?.commit?.summary, "first version")
    // The first versions of both files, damaged: where the findings began is no longer known.
    let gitDir = repo.path + "/.git"
    for path in ["HEAD~1:RUNBOOK.md", "HEAD~1:.github/workflows/ci.yml"] {
      try Data().write(
        to: URL(fileURLWithPath: try XCTUnwrap(try Materializer.unpackObjects(gitDir: gitDir, revision: path))))
    }
    let damaged = try scan(repo.path)
    XCTAssertEqual(damaged.status, .ok)
    let unpinned = try XCTUnwrap(damaged.findings(of: "pins/action-unpinned").first)
    XCTAssertNil(unpinned.commit, "not blamed on the second version: \(unpinned.commit?.summary ?? "")")
    let section = try XCTUnwrap(damaged.findings(of: "runbook/missing-section").first)
    XCTAssertNil(section.commit, "not blamed on the second version: \(section.commit?.summary ?? "")")
    XCTAssertEqual(unpinned.fingerprint, intact.findings(of: "pins/action-unpinned").first?.fingerprint)
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

  /// What git blame answers on line endings, copies and a shallow clone's boundary, plumb answers too.
  func testBlameKeepsCRLFLinesAndCopiesAndStopsAtAShallowBoundary() throws {
    let folder = TemporaryFolder()
    let module = "module \\\"x\\\" {\\r\\n  source = \\\"git::https://e.test/a.git\\\"\\r\\n}\\r\\n"
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - {message: init, date: 2026-01-01T00:00:00Z, files: {CODEOWNERS: "* @a/b\\n", a.tf: "\(module)"}}
          - {message: append a comment, date: 2026-01-02T00:00:00Z, files: {a.tf: "\(module)# tail\\r\\n"}}
          - {message: copy it, date: 2026-01-03T00:00:00Z, files: {b.tf: "\(module)# tail\\r\\n"}}
          - {message: later, date: 2026-01-04T00:00:00Z, files: {README.md: x}}
        """)
    func blamed(_ path: String) throws -> [String: String?] {
      let findings = try scan(path).findings(of: "pins/module-unpinned")
      return Dictionary(uniqueKeysWithValues: findings.map { ($0.path ?? "", $0.commit?.summary) })
    }
    // CRLF lines are lines: appending one leaves line 2 with its author; the copy's lines are the copy's.
    XCTAssertEqual(try blamed(repo.path), ["a.tf": "init", "b.tf": "copy it"])
    for path in ["a.tf", "b.tf"] {
      let git = try Materializer.run(["-C", repo.path, "blame", "-s", "-L2,2", "--porcelain", "HEAD", "--", path])
      let summary = git.split(separator: "\n").first { $0.hasPrefix("summary ") }?.dropFirst("summary ".count)
      XCTAssertEqual(try blamed(repo.path)[path] ?? nil, summary.map(String.init), "git blame \(path)")
    }
    // A clone two commits deep: what is older than its history is its boundary commit's, as git blame's ^commit.
    let shallow = folder.path + "/shallow"
    _ = try Materializer.run(["clone", "-q", "--depth", "2", "file://" + repo.path, shallow])
    XCTAssertEqual(try blamed(shallow), ["a.tf": "copy it", "b.tf": "copy it"])
    let owners = try scan(shallow).findings.filter { $0.rule.hasPrefix("ownership/") || $0.rule.hasPrefix("runbook/") }
    XCTAssertTrue(
      owners.allSatisfy { $0.commit != nil }, "\(owners.map { "\($0.rule) \($0.commit?.summary ?? "nil")" })")
  }

  func testATagOnATreeHasNoCommitAndOneOnACommitHasThatCommit() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - {message: root, date: 2026-01-01T00:00:00Z, files: {CODEOWNERS: "* @a/b\\n"}, tags: [v1.0.0]}
          - {message: second, date: 2026-01-02T00:00:00Z, files: {README.md: x}}
        """)
    _ = try Materializer.run(["-C", repo.path, "tag", "v2.0.0", "HEAD^{tree}"])
    let lightweight = try scan(repo.path).findings(of: "tags/lightweight")
    let commits = lightweight.map { "\($0.message): \($0.commit?.summary ?? "nil")" }
    XCTAssertEqual(lightweight.count, 2, "\(lightweight.map(\.message))")
    XCTAssertEqual(lightweight.first { $0.message.contains("v1.0.0") }?.commit?.summary, "root")
    XCTAssertNil(lightweight.first { $0.message.contains("v2.0.0") }?.commit, "\(commits)")
  }

  /// A finding about a module's constraint points at its `version` line, so blame names who loosened it.
  func testALoosenedConstraintIsTheLoosenersCommit() throws {
    let folder = TemporaryFolder()
    func module(_ version: String) -> String {
      "module \\\"vpc\\\" {\\n  source  = \\\"terraform-aws-modules/vpc/aws\\\"\\n  version = \\\"\(version)\\\"\\n}\\n"
    }
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - {message: add vpc pinned, date: 2026-01-01T00:00:00Z, files: {main.tf: "\(module("~> 4.0.0"))"}}
          - {message: loosen vpc constraint, date: 2026-01-02T00:00:00Z, files: {main.tf: "\(module(">= 4.0"))"}}
          - {message: later, date: 2026-01-03T00:00:00Z, files: {README.md: x}}
        """)
    let loose = try XCTUnwrap(try scan(repo.path).findings(of: "pins/module-loose-constraint").first)
    XCTAssertEqual(loose.line, 3)
    XCTAssertEqual(loose.commit?.summary, "loosen vpc constraint")
  }

  /// A file moved and edited in one commit is followed as git blame follows it (half its lines or more kept).
  func testAMoveWithAnEditIsFollowedAsGitBlameFollowsIt() throws {
    let folder = TemporaryFolder()
    let body = "module \\\"x\\\" {\\n  source = \\\"git::https://e.test/a.git\\\"\\n}\\n# one\\n# two\\n"
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - {message: add unpinned module, date: 2026-01-01T00:00:00Z, files: {old.tf: "\(body)"}}
          - message: move and edit
            date: 2026-01-02T00:00:00Z
            delete: [old.tf]
            files: {infra/new.tf: "\(body)# appended\\n"}
          - message: rewrite elsewhere
            date: 2026-01-03T00:00:00Z
            files: {other.tf: "module \\"y\\" {\\n  source = \\"git::https://e.test/b.git\\"\\n}\\n"}
        """)
    let findings = try scan(repo.path).findings(of: "pins/module-unpinned")
    let moved = try XCTUnwrap(findings.first { $0.path == "infra/new.tf" })
    XCTAssertEqual(moved.commit?.summary, "add unpinned module")
    let git = try Materializer.run(["-C", repo.path, "blame", "--porcelain", "-L2,2", "HEAD", "--", "infra/new.tf"])
    XCTAssertTrue(git.contains("summary add unpinned module"), git)
    // A new file like nothing removed is its own commit's.
    XCTAssertEqual(findings.first { $0.path == "other.tf" }?.commit?.summary, "rewrite elsewhere")
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

  /// Findings of a scan with attribution tuned: how often history walks renew their libgit2 handle,
  /// and how many parses a first-parent walk keeps.
  func attributed(_ path: String, renewal: Int = 1_000, walkCache: Int? = nil) throws -> [Finding] {
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: nil, file: "plumb.yml")
    let scanner = RepositoryScanner(options: ScanOptions(policy: policy, today: "2026-11-21"), loader: loader)
    let loaded = try SnapshotLoader.load(RepositoryLocation(path: path), revision: nil, cache: scanner.cache)
    let effective = scanner.repositoryPolicy(loaded.snapshot)
    var attribution = Attribution(scanner: scanner, snapshot: loaded.snapshot, policy: effective.0)
    attribution.historyRenewal = renewal
    attribution.walkCacheCapacity = walkCache
    return attribution.attribute(scanner.evaluate(loaded.snapshot, policy: effective))
  }

  func testRenewedHandlesSmallCachesAndCommitGraphsGiveTheSameCommits() throws {
    let folder = TemporaryFolder()
    let gap = try folder.repository(
      "gap",
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
    var all: [Finding] = []
    for repo in [try folder.repository("svc", yaml: history), gap] {
      let usual = try attributed(repo.path)
      all += usual
      XCTAssertEqual(try attributed(repo.path, renewal: 1, walkCache: 2).map(\.commit), usual.map(\.commit))
      try Materializer.run(["-C", repo.path, "commit-graph", "write", "--reachable"])
      XCTAssertNotNil(try Repository(at: repo.path).commitGraph)
      XCTAssertEqual(try attributed(repo.path).map(\.commit), usual.map(\.commit), "read through the commit-graph")
    }
    XCTAssertTrue(all.contains { $0.line != nil && $0.commit != nil }, "line findings were blamed")
    XCTAssertTrue(
      all.contains { $0.line == nil && !$0.rule.hasPrefix("tags/") && $0.commit != nil },
      "file findings were tied to the start of their run")
  }

  func testBlameIsTheSameWhateverOrderClocksGiveTheWalk() throws {
    // The root is dated last and the side branch after its merge: a time-ordered walk visits the root
    // for line b (through side, which kept it while main work dropped it) before main work sends it
    // line a, so the root is visited twice, and every line must still be tied to its commit.
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "skewed",
      yaml: """
        commits:
          - message: root
            date: 2026-03-01T00:00:00Z
            files: {f.txt: "a\\nb\\n"}
          - message: side
            branch: side
            date: 2026-02-10T00:00:00Z
            files: {f.txt: "a\\nb\\nside\\n"}
          - message: main work
            branch: main
            date: 2026-01-05T00:00:00Z
            files: {f.txt: "main\\na\\n"}
          - message: merge side
            merge: [side]
            date: 2026-01-06T00:00:00Z
            files: {f.txt: "main\\na\\nb\\nside\\n"}
          - message: rename
            date: 2026-01-07T00:00:00Z
            delete: [f.txt]
            files: {g.txt: "main\\na\\nb\\nside\\n"}
        """)
    let repository = try Repository(at: repo.path)
    let head = try repository.head().commit
    func summaries(_ renewal: Int) throws -> [String?] {
      try LineBlame(repository: repository, renewal: renewal).blame(
        (1...4).map { ("g.txt", $0) }, head: head
      ).map { try $0.map { try repository.commit($0).summary } }
    }
    let expected = ["main work", "root", "root", "side"]
    XCTAssertEqual(try summaries(1_000), expected)
    XCTAssertEqual(try summaries(1), expected)
    try Materializer.run(["-C", repo.path, "commit-graph", "write", "--reachable"])
    XCTAssertEqual(try summaries(1), expected)
  }
}
