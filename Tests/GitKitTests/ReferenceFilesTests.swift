import FixtureKit
import Foundation
import XCTest

@testable import GitKit

/// The reference files' bytes change exactly when what git says about the refs does: the nightly
/// re-run trusts them to recognise an unchanged repository without opening it.
final class ReferenceFilesTests: XCTestCase {
  let history = """
    commits:
      - message: root
        date: 2026-01-01T00:00:00Z
        files: {README.md: "# r\\n"}
        tags: [v1.0.0]
      - message: second
        date: 2026-01-02T00:00:00Z
        files: {README.md: "# r\\n\\nMore.\\n"}
    """

  func git(_ path: String, _ arguments: [String]) throws {
    _ = try Materializer.run(["-C", path, "-c", "user.name=Dev", "-c", "user.email=dev@example.com"] + arguments)
  }

  func testEveryRefChangeChangesTheStateAndNothingElseDoes() throws {
    let folder = TemporaryFolder("refs")
    let path = try folder.repository("svc", yaml: history).path
    let initial = try XCTUnwrap(ReferenceFiles.state(at: path, home: folder.path))
    XCTAssertEqual(ReferenceFiles.state(at: path, home: folder.path), initial, "reading twice reads the same")
    // Reading the repository, even through libgit2, changes nothing.
    _ = try Repository(at: path).referenceNames()
    try git(path, ["log", "--oneline", "-1"])
    XCTAssertEqual(ReferenceFiles.state(at: path, home: folder.path), initial)

    var seen = [initial]
    func expectChange(_ what: String) throws {
      let state = try XCTUnwrap(ReferenceFiles.state(at: path, home: folder.path), what)
      XCTAssertFalse(seen.contains(state), "\(what) changes the state")
      seen.append(state)
    }
    try git(path, ["commit", "-q", "--allow-empty", "-m", "new commit"])
    try expectChange("a new commit")
    try git(path, ["tag", "v1.1.0"])
    try expectChange("a new tag")
    try git(path, ["tag", "-f", "v1.0.0", "HEAD"])
    try expectChange("a moved tag")
    try git(path, ["pack-refs", "--all"])
    try expectChange("packing the refs (same refs, other files: a harmless miss)")
    try git(path, ["tag", "-d", "v1.1.0"])
    try expectChange("a tag deleted from packed-refs")
    try git(path, ["branch", "feature"])
    try expectChange("a new branch")
    try git(path, ["symbolic-ref", "HEAD", "refs/heads/feature"])
    try expectChange("HEAD on another branch")
    try git(path, ["remote", "add", "origin", "https://example.test/acme/svc.git"])
    try expectChange("a new remote (estate knowledge reads remote URLs)")
    // An included file can set remotes as well as the config itself can.
    try git(path, ["config", "include.path", "remotes.config"])
    try expectChange("an include in the repository's config")
    try "[remote \"upstream\"]\n\turl = https://example.test/acme/upstream.git\n".write(
      toFile: path + "/.git/remotes.config", atomically: true, encoding: .utf8)
    try expectChange("the included file appearing, relative to the config")
    try git(path, ["config", "--add", "includeIf.onbranch:main.path", "~/branch.config"])
    try expectChange("a conditional include")
    try "[core]\n".write(toFile: folder.path + "/branch.config", atomically: true, encoding: .utf8)
    try expectChange("the conditional include's file, from the home folder")
  }

  func testIncludesAreReadWithGitsConfigSyntax() throws {
    let folder = TemporaryFolder("config")
    let config = folder.path + "/config"
    let text = """
      # a comment [include] path = not-this
      [core]
      \tpath = not-an-include
      [include]
      \tpath = plain.config
      \tPATH = "quoted with spaces.config" ; a comment
      \tpath = escaped\\\\back\\"quote.config
      \tpath = continued\\
      -line.config
      [Include] path = same-line.config
      [includeIf "gitdir:~/work/\\"odd\\"]/"]
      \tpath = ~/work.config
      [include.old]
      \tpath = old-style.config
      [includeif "onbranch:main"]
      \tpath
      \tpath =
      \tpath = /absolute.config # trailing
      [url "https://x/"]
      \tpath = not-an-include
      """
    try text.write(toFile: config, atomically: true, encoding: .utf8)
    // git itself is the reference: every include path it reads, in order.
    let listed = try Materializer.run([
      "config", "--file", config, "--null", "--get-regexp", "^include(if\\..*)?\\.path$",
    ])
    let expected = listed.split(separator: "\0", omittingEmptySubsequences: true).compactMap { item -> String? in
      let parts = item.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
      return parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : nil
    }
    XCTAssertEqual(expected.count, 7, "git lists every include but the empty, the valueless and `include.old.path`")
    XCTAssertEqual(ConfigIncludes.paths(in: Array(text.utf8)), expected)
  }

  func testAConfigThatIncludesItselfStopsAtTheBudget() throws {
    let folder = TemporaryFolder("refs")
    let path = try folder.repository("svc", yaml: history).path
    try git(path, ["config", "--add", "include.path", "loop.config"])
    let once = try XCTUnwrap(ReferenceFiles.state(at: path, home: folder.path))
    // A file that includes itself twice would fan out to 2^10 reads at git's depth; the budget stops it.
    try "[include]\n\tpath = loop.config\n\tpath = loop.config\n".write(
      toFile: path + "/.git/loop.config", atomically: true, encoding: .utf8)
    let looped = try XCTUnwrap(ReferenceFiles.state(at: path, home: folder.path))
    XCTAssertNotEqual(looped, once)
    let includes = String(decoding: looped, as: UTF8.self).components(separatedBy: "include /").count - 1
    XCTAssertEqual(includes, ReferenceFiles.maximumIncludes)
  }

  func testBareMirrorsWorktreesAndNonRepositories() throws {
    let folder = TemporaryFolder("refs")
    let path = try folder.repository("svc", yaml: history).path
    let mirror = folder.path + "/svc.git"
    _ = try Materializer.run(["clone", "-q", "--mirror", path, mirror])
    let bare = try XCTUnwrap(ReferenceFiles.state(at: mirror, home: folder.path))
    try git(path, ["commit", "-q", "--allow-empty", "-m", "upstream only"])
    XCTAssertEqual(ReferenceFiles.state(at: mirror, home: folder.path), bare, "the mirror did not change")
    try git(mirror, ["fetch", "-q", "origin"])
    XCTAssertNotEqual(ReferenceFiles.state(at: mirror, home: folder.path), bare, "fetching into the mirror did")

    // A linked worktree: its own HEAD, refs shared with the main repository.
    let linked = folder.path + "/linked"
    try git(path, ["worktree", "add", "-q", "-b", "side", linked])
    let worktree = try XCTUnwrap(ReferenceFiles.state(at: linked, home: folder.path))
    try git(linked, ["commit", "-q", "--allow-empty", "-m", "on side"])
    XCTAssertNotEqual(ReferenceFiles.state(at: linked, home: folder.path), worktree)
    XCTAssertNotNil(ReferenceFiles.state(at: linked + "/.git", home: folder.path), "the .git file itself")

    // A FIFO planted among the refs is skipped, not waited on.
    XCTAssertEqual(mkfifo(path + "/.git/refs/heads/trap", 0o644), 0)
    XCTAssertNotNil(ReferenceFiles.state(at: path, home: folder.path))

    let plain = folder.path + "/plain"
    try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
    XCTAssertNil(ReferenceFiles.state(at: plain, home: folder.path))
    XCTAssertNil(ReferenceFiles.state(at: folder.path + "/missing", home: folder.path))
  }
}
