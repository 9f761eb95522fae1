import Estate
import FixtureKit
import Foundation
import GRDB
import XCTest

/// Nightly runs with `--store`: reuse, what changed, tags/moved, locking, and shards merged into the
/// very store one unsharded run writes.
final class StoreRunTests: XCTestCase {
  func plumb(_ arguments: [String]) throws -> CLI.Run { try CLI.run(arguments) }

  func git(_ repository: String, _ arguments: [String]) throws { try TestEstate.git(repository, arguments) }

  func makeEstate(_ folder: TemporaryFolder) throws -> [String] { try TestEstate.services(in: folder, count: 7) }

  /// Every table, rows sorted, without what differs by nature between two runs (times, shard labels, row ids).
  func contents(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in
      var lines: [String] = []
      let queries = [
        "SELECT id, plumb_version, policy_hash, complete FROM runs",
        "SELECT * FROM repositories",
        """
        SELECT f.repository, fingerprint, rule, severity, message, f.path, line, occurrences, commit_sha, evidence,
          first_seen_run, coalesce(f.last_seen_run, r.seen_run), fixed_in_run
        FROM findings f JOIN repositories r ON r.name = f.repository
        """,
        "SELECT * FROM tag_observations", "SELECT * FROM scan_cache", "SELECT * FROM scan_results",
        "SELECT * FROM run_counts",
      ]
      for query in queries {
        lines += try Row.fetchAll(db, sql: query).map { "\(query.prefix(40)): \($0)" }.sorted()
      }
      return lines
    }
  }

  func testUnchangedRepositoriesAreReusedAndChangesReported() throws {
    let folder = TemporaryFolder()
    let repositories = try makeEstate(folder)
    let store = folder.path + "/plumb.sqlite"
    let estate = folder.path + "/estate"
    let first = try plumb(["scan", estate, "--store", store, "--format", "json"])
    XCTAssertEqual(first.status, 1, first.stderr)
    XCTAssertTrue(first.stderr.contains("the first: everything is new"), first.stderr)
    let second = try plumb(["scan", estate, "--store", store, "--format", "json"])
    XCTAssertTrue(second.stderr.contains("0 new findings, 0 fixed"), second.stderr)
    XCTAssertTrue(second.stderr.contains("7 of 7 results reused"), second.stderr)
    XCTAssertEqual(second.stdout, first.stdout, "a reused result is the result")
    // jsonl writes reused results as stored, unparsed: the same lines, in completion order.
    let lines = try plumb(["scan", estate, "--store", store, "--format", "jsonl"])
    XCTAssertEqual(lines.status, 1, lines.stderr)
    XCTAssertTrue(lines.stderr.contains("7 of 7 results reused"), lines.stderr)
    let scanned = try plumb(["scan", estate, "--format", "jsonl"])
    XCTAssertEqual(
      lines.stdout.split(separator: "\n").sorted(), scanned.stdout.split(separator: "\n").sorted(),
      "a reused line is the line a scan writes")
    // The user's git configuration never changes what plumb sees (libgit2 is told to ignore it), so a
    // rewrite there leaves every result reusable; a file the repository's own config includes does not.
    let home = folder.path + "/home"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    try "[url \"https://mirror.test/\"]\n\tinsteadOf = https://example.test/\n".write(
      toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
    let rewritten = try CLI.run(["scan", estate, "--store", store, "--format", "jsonl"], environment: ["HOME": home])
    XCTAssertTrue(rewritten.stderr.contains("7 of 7 results reused"), rewritten.stderr)
    let including = try XCTUnwrap(repositories.first)
    try TestEstate.git(including, ["config", "include.path", "remotes.config"])
    let included = try CLI.run(["scan", estate, "--store", store, "--format", "jsonl"], environment: ["HOME": home])
    XCTAssertTrue(included.stderr.contains("6 of 7 results reused"), included.stderr)
    // The included file appears with a remote: that repository's addresses, so the estate every result knew, changed.
    try "[remote \"upstream\"]\n\turl = https://example.test/up.git\n".write(
      toFile: including + "/.git/remotes.config", atomically: true, encoding: .utf8)
    let changed = try CLI.run(["scan", estate, "--store", store, "--format", "jsonl"], environment: ["HOME": home])
    XCTAssertTrue(changed.stderr.contains("0 of 7 results reused"), changed.stderr)
    try TestEstate.git(including, ["config", "--unset", "include.path"])
    _ = try plumb(["scan", estate, "--store", store, "--format", "jsonl"])
    // Another build of plumb (here a copy with a new modification time) reuses nothing another build stored.
    let rebuilt = folder.path + "/rebuilt-plumb"
    try FileManager.default.copyItem(atPath: CLI.binary, toPath: rebuilt)
    let other = try CLI.run(["scan", estate, "--store", store, "--format", "jsonl"], executable: rebuilt)
    XCTAssertTrue(other.stderr.contains("0 of 7 results reused"), other.stderr)
    let otherAgain = try CLI.run(["scan", estate, "--store", store, "--format", "jsonl"], executable: rebuilt)
    XCTAssertTrue(otherAgain.stderr.contains("7 of 7 results reused"), otherAgain.stderr)
    _ = try plumb(["scan", estate, "--store", store, "--format", "jsonl"])
    // A stored result edited by hand into several lines is parsed and written anew, never spliced in as it is.
    try DatabaseQueue(path: store).write { db in
      try db.execute(sql: "UPDATE scan_results SET result = replace(result, ',\"', ','||char(10)||'\"')")
    }
    let edited = try plumb(["scan", estate, "--store", store, "--format", "jsonl"])
    XCTAssertTrue(edited.stderr.contains("7 of 7 results reused"), edited.stderr)
    XCTAssertEqual(
      edited.stdout.split(separator: "\n").sorted(), scanned.stdout.split(separator: "\n").sorted(),
      "each line is one whole result")
    let strict = try plumb(["scan", estate, "--store", store, "--format", "jsonl", "--fail-on", "error"])
    XCTAssertEqual(strict.status, 1, "exit status judged from the stored summary")
    XCTAssertEqual(scanned.status, 1)
    let bare = try plumb(["scan", estate, "--store", store, "--format", "json", "--no-attribution"])
    XCTAssertTrue(bare.stderr.contains("0 of 7 results reused"), "results with commits are not reused without")
    XCTAssertFalse(bare.stdout.contains("\"sha\""), bare.stdout)
    _ = try plumb(["scan", estate, "--store", store, "--format", "json"])

    // Owners added in one, a release tag moved in another.
    try "* @acme/team\n".write(toFile: repositories[1] + "/CODEOWNERS", atomically: true, encoding: .utf8)
    try git(repositories[1], ["add", "CODEOWNERS"])
    try git(repositories[1], ["commit", "-qm", "owners"])
    try git(repositories[3], ["commit", "-q", "--allow-empty", "-m", "later"])
    try git(repositories[3], ["tag", "-f", "-a", "v1.0.0", "-m", "moved"])
    let third = try plumb(["scan", estate, "--store", store, "--format", "json"])
    XCTAssertTrue(third.stderr.contains("1 new finding, 1 fixed"), third.stderr)
    XCTAssertTrue(third.stderr.contains("5 of 7 results reused"), third.stderr)
    XCTAssertTrue(third.stderr.contains("new   error    svc-3  tags/moved"), third.stderr)
    XCTAssertTrue(third.stderr.contains("fixed error    svc-1  ownership/codeowners-missing"), third.stderr)
    XCTAssertTrue(third.stdout.contains("release tag v1.0.0 moved"), third.stdout)
    // The move stays reported: a release is what it was first published as.
    let fourth = try plumb(["scan", estate, "--store", store, "--format", "json"])
    XCTAssertTrue(fourth.stdout.contains("release tag v1.0.0 moved"), fourth.stdout)
  }

  func testASecondRunOnTheStoreIsRefused() throws {
    let folder = TemporaryFolder()
    _ = try makeEstate(folder)
    let path = folder.path + "/plumb.sqlite"
    let holder = try EstateStore.open(path: path)
    let run = try holder.beginRun(startedAt: "2026-11-22T00:00:00Z", plumbVersion: "0.1.0", policyHash: "p", shard: nil)
    let refused = try plumb(["scan", folder.path + "/estate", "--store", path])
    XCTAssertEqual(refused.status, 2)
    XCTAssertTrue(refused.stderr.contains("another plumb run is using the store"), refused.stderr)
    _ = try holder.finishRun(run, finishedAt: "2026-11-22T00:00:01Z")
    XCTAssertEqual(try plumb(["scan", folder.path + "/estate", "--store", path]).status, 1)
  }

  func testShardsMergedGiveTheStoreOfOneRun() throws {
    let folder = TemporaryFolder()
    let repositories = try makeEstate(folder)
    let estate = folder.path + "/estate"
    let whole = folder.path + "/whole.sqlite"
    let merged = folder.path + "/merged.sqlite"
    func shards() throws -> [String] {
      try (1...3).map { index in
        let file = folder.path + "/shard-\(index).jsonl"
        let run = try plumb([
          "scan", estate, "--shard", "\(index)/3", "--store", merged, "--format", "jsonl", "--output", file,
        ])
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)
        return file
      }
    }
    func reuse(_ stderr: String) -> String? {
      stderr.split(separator: ";").first { $0.hasSuffix("results reused") || $0.contains("results reused\n") }
        .map { String($0.prefix { $0 != "\n" }) }
    }
    for round in 1...2 {
      let single = try plumb(["scan", estate, "--store", whole, "--format", "jsonl"])
      XCTAssertEqual(single.status, 1)
      let files = try shards()
      let merge = try plumb(["merge"] + files + ["--store", merged])
      XCTAssertEqual(merge.status, 0, merge.stderr)
      XCTAssertEqual(try contents(merged), try contents(whole), "round \(round)")
      // And the same summary: what the shards took from the store is counted as reused, as the single run counts it.
      XCTAssertNotNil(reuse(single.stderr), single.stderr)
      XCTAssertEqual(reuse(merge.stderr), reuse(single.stderr), "round \(round): \(merge.stderr)")
      if round == 2 { XCTAssertNotEqual(reuse(single.stderr), " 0 of 7 results reused", single.stderr) }
      // Between rounds: a fix, a new violation and a moved tag, so fixed and new runs are compared too.
      guard round == 1 else { continue }
      try FileManager.default.removeItem(atPath: repositories[0] + "/CODEOWNERS")
      try git(repositories[0], ["commit", "-qam", "drop owners"])
      try "* @acme/team\n".write(toFile: repositories[5] + "/CODEOWNERS", atomically: true, encoding: .utf8)
      try git(repositories[5], ["add", "CODEOWNERS"])
      try git(repositories[5], ["commit", "-qm", "owners"])
      try git(repositories[6], ["tag", "-f", "-a", "v1.0.0", "-m", "moved", "HEAD"])
    }
  }

  func testMergeRefusesAnIncompleteOrDoubledSet() throws {
    let folder = TemporaryFolder()
    _ = try makeEstate(folder)
    let estate = folder.path + "/estate"
    let store = folder.path + "/plumb.sqlite"
    var files: [String] = []
    for index in 1...3 {
      let file = folder.path + "/shard-\(index).jsonl"
      _ = try plumb(["scan", estate, "--shard", "\(index)/3", "--format", "jsonl", "--output", file])
      files.append(file)
    }
    let missing = try plumb(["merge", files[0], files[2], "--store", store])
    XCTAssertEqual(missing.status, 2)
    XCTAssertTrue(missing.stderr.contains("shard 2/3 missing"), missing.stderr)
    XCTAssertFalse(FileManager.default.fileExists(atPath: store), "nothing written when refused")

    let copy = folder.path + "/copy.jsonl"
    try FileManager.default.copyItem(atPath: files[1], toPath: copy)
    let doubled = try plumb(["merge"] + files + [copy, "--store", store])
    XCTAssertEqual(doubled.status, 2)
    XCTAssertTrue(doubled.stderr.contains("shard 2/3 is there twice"), doubled.stderr)

    // A shard killed before its trailer is not a shard.
    let text = try String(contentsOfFile: files[0], encoding: .utf8)
    let cut = folder.path + "/cut.jsonl"
    try text.split(separator: "\n").dropLast().map { $0 + "\n" }.joined().write(
      toFile: cut, atomically: true, encoding: .utf8)
    let truncated = try plumb(["merge", cut, files[1], files[2], "--store", store])
    XCTAssertEqual(truncated.status, 2)
    XCTAssertTrue(truncated.stderr.contains("no shard trailer"), truncated.stderr)

    let other = folder.path + "/other-4.jsonl"
    _ = try plumb(["scan", estate, "--shard", "1/4", "--format", "jsonl", "--output", other])
    XCTAssertEqual(try plumb(["merge", files[0], other, "--store", store]).status, 2, "two slicings")

    let partial = try plumb(["merge", files[0], files[2], "--store", store, "--allow-partial"])
    XCTAssertEqual(partial.status, 0, partial.stderr)
    XCTAssertTrue(partial.stderr.contains("partial set"), partial.stderr)
    let runs = try DatabaseQueue(path: store).read { db in try String.fetchAll(db, sql: "SELECT shard FROM runs") }
    XCTAssertEqual(runs, ["merged 2 of 3 shards"])
  }
}
