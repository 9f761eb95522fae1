import Estate
import FixtureKit
import Foundation
import GitKit
import XCTest

@testable import PlumbCore

/// Bad input never crashes plumb and never stops an estate run.
final class BadInputTests: XCTestCase {
  let good = "files: {CODEOWNERS: \"* @acme/platform\\n\", README.md: hi}"

  /// Explodes the pack into loose objects so a test can remove or damage one object.
  func looseObject(_ gitDir: String, _ revisionPath: String) throws -> String {
    try XCTUnwrap(try Materializer.unpackObjects(gitDir: gitDir, revision: revisionPath))
  }

  func testEmptyUnbornAndDanglingRepositoriesAreErrorsNotCrashes() throws {
    let folder = TemporaryFolder()
    let empty = try folder.repository("empty", yaml: "commits: []")
    let result = try scan(empty.path)
    XCTAssertEqual(result.status, .error)
    XCTAssertTrue(result.error?.contains("empty") ?? false, result.error ?? "")
    let dangling = try folder.repository("dangling", yaml: "head: gone\nfiles: {a: b}")
    let danglingResult = try scan(dangling.path)
    XCTAssertEqual(danglingResult.status, .error)
    XCTAssertTrue(danglingResult.error?.contains("dangling") ?? false, danglingResult.error ?? "")
    let notRepository = try scan(folder.path)
    XCTAssertEqual(notRepository.status, .error)
    let badRevision = try scan(try folder.repository("ok", yaml: good).path, revision: "no-such-tag")
    XCTAssertEqual(badRevision.status, .error)
    XCTAssertTrue(badRevision.error?.contains("no-such-tag") ?? false)
  }

  func testMissingAndCorruptObjects() throws {
    let folder = TemporaryFolder()
    let missingBlob = try folder.repository("missing-blob", yaml: good)
    try FileManager.default.removeItem(atPath: try looseObject(missingBlob.path + "/.git", "HEAD:CODEOWNERS"))
    let blobResult = try scan(missingBlob.path)
    XCTAssertEqual(blobResult.status, .ok, "a missing blob is a finding; the rest is still scanned")
    let parseError = try XCTUnwrap(blobResult.findings(of: "repo/parse-error").first)
    XCTAssertEqual(parseError.path, "CODEOWNERS")
    XCTAssertTrue(parseError.message.contains("cannot be read"), parseError.message)

    let missingTree = try folder.repository("missing-tree", yaml: good)
    try FileManager.default.removeItem(atPath: try looseObject(missingTree.path + "/.git", "HEAD^{tree}"))
    let treeResult = try scan(missingTree.path)
    XCTAssertEqual(treeResult.status, .error)
    XCTAssertTrue(treeResult.error?.contains("tree") ?? false, treeResult.error ?? "")

    let missingCommit = try folder.repository("missing-commit", yaml: good)
    try FileManager.default.removeItem(atPath: try looseObject(missingCommit.path + "/.git", "HEAD"))
    let commitResult = try scan(missingCommit.path)
    XCTAssertEqual(commitResult.status, .error)
    XCTAssertTrue(
      commitResult.error?.contains("HEAD's commit cannot be read") ?? false,
      "not called dangling: \(commitResult.error ?? "")")

    let corrupt = try folder.repository("corrupt", yaml: good)
    let object = try looseObject(corrupt.path + "/.git", "HEAD:CODEOWNERS")
    try FileManager.default.removeItem(atPath: object)
    try Data("definitely not zlib".utf8).write(to: URL(fileURLWithPath: object))
    let corruptResult = try scan(corrupt.path)
    XCTAssertEqual(corruptResult.status, .ok)
    XCTAssertEqual(corruptResult.findings(of: "repo/parse-error").first?.path, "CODEOWNERS")
  }

  func testAHistoryThatComesBackToACommitEndsEveryWalk() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "circle",
      yaml: """
        commits:
          - files: {README.md: "one\\n", RUNBOOK.md: "# Runbook\\n", Dockerfile: "FROM ubuntu:latest\\n"}
          - files: {README.md: "two\\n"}
          - files: {README.md: "three\\n"}
        """)
    let gitDir = repo.path + "/.git"
    // HEAD~1 stored with HEAD's content: HEAD's parent is then HEAD~1 again, for ever (ids are not re-hashed).
    let parent = try looseObject(gitDir, "HEAD~1")
    let head = try Materializer.run(["--git-dir", gitDir, "rev-parse", "HEAD"])
    try FileManager.default.removeItem(atPath: parent)
    try FileManager.default.copyItem(
      atPath: gitDir + "/objects/" + head.prefix(2) + "/" + head.dropFirst(2), toPath: parent)
    XCTAssertThrowsError(try Repository(at: repo.path).firstParentChain(from: try XCTUnwrap(ObjectID(hex: head)))) {
      XCTAssertTrue("\($0)".contains("is its own ancestor: the repository is corrupt"), "\($0)")
    }

    // On a thread of its own: were a walk to go round, the test fails after 30 s instead of hanging.
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox()
    let path = repo.path
    Thread.detachNewThread {
      box.result = try? scan(path)
      let loader = PolicyLoader(catalog: sharedCatalog)
      if let policy = try? loader.estatePolicy(configText: nil, file: "plumb.yml"),
        let today = CivilDate(iso: "2026-11-21"), let since = CivilDate(iso: "2026-01-01")
      {
        let options = ScanOptions(policy: policy, today: today.description, attribution: false)
        let run = AdoptionRun(
          scanner: RepositoryScanner(options: options, loader: loader),
          periods: AdoptionPeriod.series(since: since, through: today, every: .month), today: today)
        box.adoption = run.repository(RepositoryLocation(path: path))
      }
      done.signal()
    }
    guard done.wait(timeout: .now() + 30) == .success else { return XCTFail("a walk went round the circle") }
    // The scan still judges HEAD; attribution and runbook/stale's history walk stop where the circle closes.
    XCTAssertEqual(box.result?.status, .ok)
    XCTAssertFalse(box.result?.findings(of: "pins/image-unpinned").isEmpty ?? true)
    XCTAssertEqual(box.adoption?.error?.contains("is its own ancestor"), true, box.adoption?.error ?? "no error")
  }

  func testATagThatNamesItselfIsNotFollowedForEver() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("tags", yaml: "files: {README.md: hi}\ntags: [{name: v1.0.0, message: one}]")
    let gitDir = repo.path + "/.git"
    try Materializer.run([
      "--git-dir", gitDir, "-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "v1.0.1", "-m", "two",
      "v1.0.0",
    ])
    // v1.0.0's tag object stored with v1.0.1's content, which names v1.0.0: a circle of tags.
    let first = try looseObject(gitDir, "v1.0.0")
    let second = try looseObject(gitDir, "v1.0.1")
    try FileManager.default.removeItem(atPath: first)
    try FileManager.default.copyItem(atPath: second, toPath: first)
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox()
    let path = repo.path
    Thread.detachNewThread {
      box.result = try? scan(path)
      box.tagged = try? scan(path, revision: "v1.0.0")
      done.signal()
    }
    guard done.wait(timeout: .now() + 30) == .success else { return XCTFail("a tag was followed round the circle") }
    XCTAssertEqual(box.result?.status, .ok, "the branch is scanned; the tags tag no commit")
    XCTAssertEqual(box.tagged?.status, .error)
    XCTAssertTrue(box.tagged?.error?.contains("tags name tags over 100 deep") ?? false, box.tagged?.error ?? "")
  }

  func testATagThatDoesNotReadIsNamedAndTheOtherTagsAreStillJudged() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc", yaml: "commits: [{files: {README.md: hi}, tags: [{name: v1.0, message: r}, {name: v2.0.0, message: r}]}]")
    let gitDir = repo.path + "/.git"
    let commit = try Materializer.run(["--git-dir", gitDir, "rev-parse", "HEAD"])
    // An annotated tag whose tagger line libgit2 refuses, written past git's own checks.
    let bad = try Materializer.run(
      ["--git-dir", gitDir, "hash-object", "-t", "tag", "-w", "--literally", "--stdin"],
      input: Data("object \(commit)\ntype commit\ntag v3.0.0\ntagger garbage\n\nr\n".utf8))
    try Materializer.run(["--git-dir", gitDir, "update-ref", "refs/tags/v3.0.0", bad])
    let result = try scan(repo.path)
    XCTAssertEqual(result.status, .ok)
    XCTAssertEqual(result.findings(of: "tags/not-semver").count, 1, "v1.0 is still judged")
    let named = result.findings(of: "repo/parse-error").map(\.message)
    XCTAssertEqual(named.count, 1, "\(named)")
    XCTAssertTrue(named.first?.contains("tag v3.0.0 cannot be read") ?? false, "\(named)")
  }

  func testAFIFOWhereGitReadsAFileIsRefusedNotWaitedOn() throws {
    let folder = TemporaryFolder()
    let included = try folder.repository("included", yaml: good)
    XCTAssertEqual(mkfifo(folder.path + "/fifo", 0o600), 0)
    try Materializer.run(["-C", included.path, "config", "include.path", "../../fifo"])
    let packed = try folder.repository("packed", yaml: good)
    try? FileManager.default.removeItem(atPath: packed.path + "/.git/packed-refs")
    XCTAssertEqual(mkfifo(packed.path + "/.git/packed-refs", 0o600), 0)
    // HEAD's branch as a FIFO: libgit2 opens it to resolve HEAD.
    let branch = try folder.repository("branch", yaml: good)
    try? FileManager.default.removeItem(atPath: branch.path + "/.git/refs/heads/main")
    XCTAssertEqual(mkfifo(branch.path + "/.git/refs/heads/main", 0o600), 0)
    // The object database's index files: plumb's commit-graph reader and libgit2's pack lookup open them.
    let graph = try folder.repository("graph", yaml: good)
    XCTAssertEqual(mkfifo(graph.path + "/.git/objects/info/commit-graph", 0o600), 0)
    let multiPack = try folder.repository("multi-pack", yaml: good)
    XCTAssertEqual(mkfifo(multiPack.path + "/.git/objects/pack/multi-pack-index", 0o600), 0)
    let cases = [
      (included.path, "fifo"), (packed.path, "packed-refs"), (branch.path, "refs/heads/main"),
      (graph.path, "objects/info/commit-graph"), (multiPack.path, "objects/pack/multi-pack-index"),
    ]
    for (repository, file) in cases {
      // On a thread of its own: were the FIFO opened, the test would fail after 30 s instead of hanging.
      let done = DispatchSemaphore(value: 0)
      let box = ResultBox()
      Thread.detachNewThread {
        box.result = try? scan(repository)
        done.signal()
      }
      guard done.wait(timeout: .now() + 30) == .success else { return XCTFail("\(file): the scan blocked") }
      XCTAssertEqual(box.result?.status, .error, file)
      XCTAssertTrue(box.result?.error?.contains("\(file) is not a regular file") ?? false, box.result?.error ?? "")
    }
  }

  final class ResultBox: @unchecked Sendable {
    var result: RepositoryResult?
    var tagged: RepositoryResult?
    var adoption: RepositoryAdoption?
  }

  func testCodeOwnersThatIsASymlinkADirectoryOrHuge() throws {
    let folder = TemporaryFolder()
    let symlink = try folder.repository(
      "symlink", yaml: "files: {docs/OWNERS: \"* @a\\n\"}\nsymlinks: {CODEOWNERS: docs/OWNERS}")
    let symlinkResult = try scan(symlink.path)
    XCTAssertTrue(symlinkResult.findings(of: "repo/parse-error").first?.message.contains("symbolic link") ?? false)
    XCTAssertEqual(
      symlinkResult.findings(of: "ownership/codeowners-missing").count, 0, "it exists, it is just unreadable")

    let directory = try folder.repository("directory", yaml: "files: {CODEOWNERS/README: \"x\"}")
    XCTAssertTrue(
      try scan(directory.path).findings(of: "repo/parse-error").first?.message.contains("directory") ?? false)

    let huge = try folder.repository(
      "huge", yaml: "files: {CODEOWNERS: {repeat: \"* @acme/platform\\n\", times: 3300000}}")
    let hugeResult = try scan(huge.path)
    XCTAssertEqual(hugeResult.status, .ok)
    let message = hugeResult.findings(of: "repo/parse-error").first?.message ?? ""
    XCTAssertTrue(message.contains("56100000 bytes"), message)
  }

  func testInvalidUTF8PathsAreReportedAndTheRestScanned() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "latin1", yaml: "files: {CODEOWNERS: \"/src/ @acme/a\\n\", 'src/caf\\xe9.txt': x, 'docs/\\xff\\xfe.md': y}")
    let result = try scan(repo.path)
    XCTAssertEqual(result.status, .ok)
    let finding = try XCTUnwrap(result.findings(of: "repo/parse-error").first)
    XCTAssertEqual(finding.evidence["paths"]?.arrayValue?.count, 2)
    XCTAssertEqual(result.findings(of: "ownership/unowned-files").first?.evidence["count"], 2, "docs/… and CODEOWNERS")
  }

  func testShallowClonesScan() throws {
    let folder = TemporaryFolder()
    let origin = try folder.repository(
      "origin", yaml: "commits:\n  - files: {CODEOWNERS: \"* @a\\n\"}\n  - files: {README.md: hi}")
    try Materializer.run(["clone", "-q", "--depth", "1", "file://" + origin.path, folder.path + "/shallow"])
    let result = try scan(folder.path + "/shallow")
    XCTAssertEqual(result.status, .ok, result.error ?? "")
    XCTAssertEqual(result.findings.map(\.rule), [])
  }

  func testOneBadRepositoryNeverStopsAnEstateRun() async throws {
    let folder = TemporaryFolder()
    try folder.repository("a-good", yaml: good)
    try folder.repository("b-empty", yaml: "commits: []")
    try folder.repository("c-no-owners.git", yaml: "bare: true\nfiles: {README.md: hi}")
    try FileManager.default.createDirectory(
      atPath: folder.path + "/d-not-a-repo/inner", withIntermediateDirectories: true)
    try folder.repository("nested/e-deep", yaml: good)
    let (locations, problems) = Discovery.repositories(in: [folder.path])
    XCTAssertEqual(problems, [])
    XCTAssertEqual(locations.map(\.name), ["a-good", "b-empty", "c-no-owners", "e-deep"])
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: nil, file: "plumb.yml")
    let scanner = RepositoryScanner(options: ScanOptions(policy: policy, today: "2026-11-21"), loader: loader)
    let results = await EstateScan(scanner: scanner, jobs: 3).run(locations)
    XCTAssertEqual(results.map(\.status), [.ok, .error, .ok, .ok])
    XCTAssertEqual(results[2].findings(of: "ownership/codeowners-missing").count, 1)
  }
}
