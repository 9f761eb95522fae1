import FixtureKit
import Foundation
import XCTest

@testable import GitKit

final class RepositoryTests: XCTestCase {
  let history = """
    commits:
      - message: first
        author: Ann <ann@acme.test>
        date: 2026-01-01T00:00:00Z
        files: {README.md: "one\\n", src/a.go: "package a\\n"}
        tags: [v0.1.0]
      - message: second
        files: {README.md: "two\\n"}
        tags: [{name: v0.2.0, message: "Second release"}]
      - message: side work
        branch: feature
        files: {src/b.go: "package b\\n"}
      - message: third
        branch: main
        files: {docs/guide.md: "# Guide\\n"}
    """

  func testRemoteURLsOriginFirstFromTheConfigAndItsIncludes() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)
    let config = repo.path + "/.git/config"
    var text = try String(contentsOfFile: config, encoding: .utf8)
    text += """
      [remote "upstream"]
      \turl = https://git.acme.test/platform/svc.git
      [remote "origin"]
      \turl = gh:acme/svc
      [remote "no-url"]
      \tfetch = +refs/heads/*:refs/remotes/no-url/*
      [include]
      \tpath = more.config
      [x]

      """
    text += String(repeating: "\ta = 1\n", count: 20_000)
    try text.write(toFile: config, atomically: true, encoding: .utf8)
    try "[remote \"mirror \\\"b\\\"\"]\n\turl = /srv/mirrors/svc.git\n".write(
      toFile: repo.path + "/.git/more.config", atomically: true, encoding: .utf8)
    XCTAssertEqual(
      try Repository(at: repo.path).remoteURLs(),
      ["gh:acme/svc", "/srv/mirrors/svc.git", "https://git.acme.test/platform/svc.git"])
  }

  func testReadsWorkTreeAtAnyRevision() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    XCTAssertFalse(repository.isBare)
    let head = try repository.head()
    XCTAssertEqual(head.ref, "refs/heads/main")
    XCTAssertEqual(try repository.commit(head.commit).summary, "third")
    XCTAssertEqual(try repository.resolveCommit("HEAD~1"), try repository.resolveCommit("v0.2.0"))
    XCTAssertEqual(try repository.commit(try repository.resolveCommit("HEAD~2")).summary, "first")
    XCTAssertEqual(try repository.commit(try repository.resolveCommit("feature")).summary, "side work")
    let short = String(head.commit.hex.prefix(8))
    XCTAssertEqual(try repository.resolveCommit(short), head.commit)
    let first = try repository.commit(try repository.resolveCommit("v0.1.0"))
    XCTAssertEqual(first.author.name, "Ann")
    XCTAssertEqual(first.author.email, "ann@acme.test")
    XCTAssertEqual(first.author.time, 1_767_225_600)
    XCTAssertEqual(repository.defaultBranch(), "refs/heads/main")
  }

  func testListsFilesRecursivelyInGitOrderAndReadsBlobs() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    let tree = try repository.commit(try repository.head().commit).tree
    let files = try repository.files(ofTree: tree)
    XCTAssertEqual(files.map(\.path), ["README.md", "docs/guide.md", "src/a.go"])
    let readme = try XCTUnwrap(files.first)
    XCTAssertEqual(String(decoding: try repository.blob(readme.id, limit: 100), as: UTF8.self), "two\n")
    XCTAssertEqual(try repository.blobSize(readme.id), 4)
    XCTAssertThrowsError(try repository.blob(readme.id, limit: 2)) { error in
      XCTAssertEqual((error as? GitError)?.code, .tooLarge)
    }
    XCTAssertEqual(try repository.entry(atPath: "src/a.go", inTree: tree)?.id, files[2].id)
    XCTAssertEqual(try repository.entry(atPath: "src", inTree: tree)?.kind, .directory)
    XCTAssertNil(try repository.entry(atPath: "nope.txt", inTree: tree))
  }

  func testOpensBareMirrorsAndGitFiles() throws {
    let folder = TemporaryFolder()
    var spec = try RepositorySpec.parse(yaml: history)
    spec.bare = true
    let bare = try folder.repository("mirror.git", spec)
    let repository = try Repository(at: bare.path)
    XCTAssertTrue(repository.isBare)
    XCTAssertEqual(try repository.commit(try repository.head().commit).summary, "third")

    // A worktree-style layout: a folder whose .git is a file pointing at the git directory.
    let linked = folder.path + "/linked"
    try FileManager.default.createDirectory(atPath: linked, withIntermediateDirectories: true)
    try "gitdir: \(bare.path)\n".write(toFile: linked + "/.git", atomically: true, encoding: .utf8)
    XCTAssertEqual(try Repository(at: linked).head().commit, try repository.head().commit)
    XCTAssertEqual(try Repository(at: linked + "/.git").head().commit, try repository.head().commit)
  }

  func testTagsAnnotatedAndLightweight() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    let tags = try repository.tags()
    XCTAssertEqual(tags.map(\.name), ["v0.1.0", "v0.2.0"])
    XCTAssertFalse(tags[0].isAnnotated)
    XCTAssertTrue(tags[1].isAnnotated)
    XCTAssertEqual(tags[1].message, "Second release")
    XCTAssertNotEqual(tags[1].referenceTarget, tags[1].commit)
    XCTAssertEqual(tags[1].commit, try repository.resolveCommit("HEAD~1"))
    XCTAssertTrue(repository.isAncestor(tags[0].commit!, of: try repository.head().commit))
    XCTAssertFalse(repository.isAncestor(try repository.resolveCommit("feature"), of: try repository.head().commit))
    XCTAssertEqual(
      try repository.mergeBase(try repository.resolveCommit("feature"), try repository.head().commit),
      try repository.resolveCommit("v0.2.0"))
  }

  func testWalksHistoryNewestFirst() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    let walk = try RevisionWalk(repository, from: try repository.head().commit)
    var summaries: [String] = []
    while let id = try walk.next() { summaries.append(try repository.commit(id).summary) }
    XCTAssertEqual(summaries, ["third", "second", "first"])
  }

  func testErrorsCarryLibgit2Messages() throws {
    let folder = TemporaryFolder()
    XCTAssertThrowsError(try Repository(at: folder.path)) { error in
      XCTAssertEqual((error as? GitError)?.code, .notARepository)
    }
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    XCTAssertThrowsError(try repository.resolveCommit("no-such-branch")) { error in
      let message = (error as? GitError)?.message ?? ""
      XCTAssertTrue(message.contains("no-such-branch"), message)
      XCTAssertEqual((error as? GitError)?.code, .notFound)
    }
  }

  func testEmptyAndDanglingHeads() throws {
    let folder = TemporaryFolder()
    let empty = try folder.repository("empty", yaml: "commits: []")
    let repository = try Repository(at: empty.path)
    XCTAssertTrue(repository.isEmpty)
    XCTAssertThrowsError(try repository.head()) { error in
      XCTAssertEqual((error as? GitError)?.code, .unbornBranch)
    }
    let dangling = try folder.repository("dangling", yaml: "head: gone\nfiles: {a: b}")
    XCTAssertThrowsError(try Repository(at: dangling.path).head()) { error in
      XCTAssertEqual((error as? GitError)?.code, .unbornBranch)
    }
    XCTAssertEqual(try Repository(at: dangling.path).defaultBranch(), "refs/heads/main")
  }

  func testObjectIDRoundTrips() {
    let hex = "0f1e2d3c4b5a69788796a5b4c3d2e1f001234567"
    XCTAssertEqual(ObjectID(hex: hex)?.hex, hex)
    XCTAssertNil(ObjectID(hex: "main"))
    XCTAssertNil(ObjectID(hex: String(hex.dropLast())))
  }
}
