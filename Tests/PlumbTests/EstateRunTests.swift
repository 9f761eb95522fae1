import FixtureKit
import Foundation
import XCTest

@testable import Estate
@testable import PlumbCore
@testable import Reports

/// Running over an estate as a nightly job does: manifests, shards, streaming, discovery.
final class EstateRunTests: XCTestCase {
  func plumb(_ arguments: [String], in directory: String? = nil) throws -> CLI.Run {
    try CLI.run(arguments, in: directory)
  }

  /// Repository lines of a jsonl output, by name, and its shard trailer when there is one.
  func lines(_ text: String) throws -> (repositories: [String: [String: Any]], trailer: [String: Any]?) {
    var repositories: [String: [String: Any]] = [:]
    var trailer: [String: Any]?
    for line in text.split(separator: "\n") {
      let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if object["schema"] as? String == "plumb/shard@1" {
        XCTAssertNil(trailer, "one trailer per shard")
        trailer = object
      } else {
        let name = try XCTUnwrap(object["name"] as? String)
        XCTAssertNil(repositories[name], "\(name) written twice")
        repositories[name] = object
      }
    }
    return (repositories, trailer)
  }

  func makeEstate(_ folder: TemporaryFolder, count: Int) throws {
    for index in 0..<count {
      let owners = index % 3 == 0 ? "" : "CODEOWNERS: \"* @acme/team\\n\""
      try folder.repository("estate/repo-\(index)", yaml: "files: {README.md: \"# \(index)\\n\", \(owners)}")
    }
  }

  func testRepositoriesSharingANameAreToldApartByTheirFolders() throws {
    let folder = TemporaryFolder()
    // Mirrors kept by organisation, as a nightly job lays them out: two of them are `api`.
    try folder.repository("estate/acme/api", yaml: "files: {README.md: \"# acme\\n\"}")
    try folder.repository("estate/labs/api", yaml: "files: {README.md: \"# labs\\n\"}")
    try folder.repository("estate/labs/web", yaml: "files: {README.md: \"# web\\n\"}")
    let store = folder.path + "/plumb.sqlite"
    let first = try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--store", store])
    XCTAssertEqual(first.status, 1, first.stderr)
    XCTAssertTrue(
      first.stderr.contains("2 repositories are named 'api': told apart as 'acme/api', 'labs/api'"), first.stderr)
    let repositories = try lines(first.stdout).repositories
    XCTAssertEqual(Set(repositories.keys), ["acme/api", "labs/api", "web"], "a unique name stays as it was")
    func fingerprints(_ name: String) throws -> [String] {
      let findings = try XCTUnwrap(repositories[name]?["findings"] as? [[String: Any]], name)
      return findings.compactMap { $0["fingerprint"] as? String }
    }
    XCTAssertFalse(try fingerprints("acme/api").isEmpty)
    XCTAssertTrue(Set(try fingerprints("acme/api")).isDisjoint(with: try fingerprints("labs/api")), "one finding each")
    // The store keeps both: the second run neither fixes one repository's findings with the other's nor adds them again.
    let again = try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--store", store])
    XCTAssertTrue(again.stderr.contains("0 new findings, 0 fixed"), again.stderr)
    XCTAssertTrue(again.stderr.contains("3 of 3 results reused"), again.stderr)
  }

  func testNamesThatNoFolderTellsApartFallBackToTheirPaths() {
    let locations = ["x/api", "x/api.git", "y/api/.git", "other"].map {
      RepositoryLocation(path: "/e/" + $0, displayPath: $0)
    }
    let (named, problems) = Discovery.distinctNames(locations)
    XCTAssertEqual(named.map(\.name), ["x/api", "x/api.git", "y/api/.git", "other"])
    XCTAssertEqual(named.map(\.path), locations.map(\.path))
    XCTAssertEqual(problems.count, 1)
    let two = ["team-a/svc", "deep/team-b/svc.git"].map { RepositoryLocation(path: $0, displayPath: $0) }
    XCTAssertEqual(Discovery.distinctNames(two).locations.map(\.name), ["team-a/svc", "team-b/svc"])
    XCTAssertEqual(Discovery.distinctNames(Array(two.prefix(1))).locations.map(\.name), ["svc"])
  }

  func testShardsCoverTheEstateExactlyOnceAndMatchOneRun() throws {
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 9)
    let whole = try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--jobs", "3"])
    XCTAssertEqual(whole.status, 1, whole.stderr)
    let all = try lines(whole.stdout)
    XCTAssertNil(all.trailer, "plain jsonl is one repository per line")
    XCTAssertEqual(all.repositories.count, 9)

    var union: [String: [String: Any]] = [:]
    for index in 1...4 {
      let run = try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--shard", "\(index)/4"])
      XCTAssertTrue([0, 1].contains(run.status), run.stderr)
      let shard = try lines(run.stdout)
      let trailer = try XCTUnwrap(shard.trailer, "a shard ends with its trailer")
      XCTAssertEqual(trailer["shard"] as? String, "\(index)/4")
      XCTAssertEqual(trailer["repositories"] as? Int, shard.repositories.count)
      for (name, repository) in shard.repositories {
        XCTAssertNil(union[name], "\(name) is in two shards")
        union[name] = repository
      }
      // The same slice every time: shards are chosen by name, not by order or timing.
      let again = try lines(
        try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--shard", "\(index)/4", "--jobs", "1"])
          .stdout)
      XCTAssertEqual(Set(again.repositories.keys), Set(shard.repositories.keys))
    }
    XCTAssertEqual(Set(union.keys), Set(all.repositories.keys))
    for (name, repository) in all.repositories {
      var fromShard = try XCTUnwrap(union[name])
      let block = try XCTUnwrap(
        fromShard.removeValue(forKey: "store") as? [String: Any], "shard lines carry a store block")
      XCTAssertEqual((block["cache_key"] as? String)?.count, 64, name)
      XCTAssertEqual(
        try JSONSerialization.data(withJSONObject: fromShard, options: .sortedKeys),
        try JSONSerialization.data(withJSONObject: repository, options: .sortedKeys), name)
    }

    for bad in ["0/4", "5/4", "1/0", "x", "1/4/2"] {
      XCTAssertEqual(try plumb(["scan", folder.path, "--format", "jsonl", "--shard", bad]).status, 2, bad)
    }
    XCTAssertEqual(try plumb(["scan", folder.path, "--shard", "1/2"]).status, 2, "shards write jsonl")
  }

  func testManifestGivesTeamsAndReportsMissingRepositories() throws {
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 2)
    let manifest = folder.path + "/estate.yml"
    try """
    repositories:
      - path: estate/repo-1
        team: payments
        tier: "1"
        tags: [pci, customer-facing]
      - path: estate/repo-0
        name: legacy-zero
      - estate/gone
    """.write(toFile: manifest, atomically: true, encoding: .utf8)
    // Run from elsewhere: manifest paths are relative to the manifest, not the working folder.
    let run = try plumb(["scan", "--manifest", manifest, "--format", "jsonl"], in: "/")
    XCTAssertEqual(run.status, 3, "a listed repository that is missing is an error, the others are scanned")
    let found = try lines(run.stdout).repositories
    XCTAssertEqual(Set(found.keys), ["repo-1", "legacy-zero", "gone"])
    XCTAssertEqual(found["repo-1"]?["team"] as? String, "payments")
    XCTAssertEqual(found["repo-1"]?["tier"] as? String, "1")
    XCTAssertEqual(found["repo-1"]?["tags"] as? [String], ["pci", "customer-facing"])
    XCTAssertNil(found["legacy-zero"]?["team"], "no team, no key")
    XCTAssertEqual(found["legacy-zero"]?["status"] as? String, "ok")
    XCTAssertEqual(found["gone"]?["status"] as? String, "error")

    for (text, message) in [
      ("repositories:\n  - team: x\n", "estate.yml:2:5: every repository needs a path"),
      ("repositories:\n  - {path: a, colour: red}\n", "unknown key 'colour'"),
      ("repositories:\n  - a/x\n  - b/x\n", "a second repository named 'x'"),
      ("repositories: [\n", "not valid YAML"),
      ("repositories: []\n", "lists no repositories: nothing to scan"),
      ("repositories:\n  - {path: a, name: \"\"}\n", "name must be non-empty and on one line"),
    ] {
      try text.write(toFile: manifest, atomically: true, encoding: .utf8)
      let bad = try plumb(["scan", "--manifest", manifest])
      XCTAssertEqual(bad.status, 2, text)
      XCTAssertTrue(bad.stderr.contains(message), "\(text): \(bad.stderr)")
    }
  }

  /// Three estate waivers over `makeEstate`'s repositories: team-used's covers repo-0's missing CODEOWNERS,
  /// team-stale's covers nothing anywhere, team-lapsed's has expired.
  func writeEstateWaivers(_ folder: TemporaryFolder) throws -> String {
    let config = folder.path + "/plumb.yml"
    try """
    waivers:
      - rule: ownership/codeowners-missing
        repositories: ["repo-*"]
        owner: team-used
        expires: 2099-01-01
      - rule: "pins/*"
        owner: team-stale
        expires: 2099-01-01
      - rule: runbook/missing
        owner: team-lapsed
        expires: 2020-01-01
    """.write(toFile: config, atomically: true, encoding: .utf8)
    return config
  }

  func testAnEstateWaiverNoRepositoryUsesIsReportedOnceTheWholeEstateIsRead() throws {
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 3)  // repo-0 has no CODEOWNERS
    let config = try writeEstateWaivers(folder)
    let store = folder.path + "/plumb.db"
    let arguments = ["scan", folder.path + "/estate", "--config", config, "--format", "jsonl", "--store", store]
    // The second run reuses every stored result: what each used is read back from the store.
    for run in 1...2 {
      let scanned = try plumb(arguments)
      XCTAssertEqual(scanned.status, 0, scanned.stderr)
      XCTAssertTrue(
        scanned.stderr.contains("estate waiver for pins/* owned by team-stale"), "run \(run): \(scanned.stderr)")
      XCTAssertFalse(scanned.stderr.contains("team-used"), "run \(run): \(scanned.stderr)")
      XCTAssertFalse(scanned.stderr.contains("team-lapsed"), "expired is not unused: \(scanned.stderr)")
      XCTAssertEqual(
        try lines(scanned.stdout).repositories["repo-0"]?["estate_waivers_matched"] as? [String], [config + ":2"])
    }
    let json = try plumb(["scan", folder.path + "/estate", "--config", config, "--format", "json"])
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(
      (document["estate_waivers_unused"] as? [[String: Any]])?.compactMap { $0["owner"] as? String }, ["team-stale"])
    // A shard sees part of the estate and cannot tell.
    let shard = try plumb(
      ["scan", folder.path + "/estate", "--config", config, "--format", "jsonl", "--shard", "1/2"])
    XCTAssertFalse(shard.stderr.contains("team-stale"), shard.stderr)
  }

  func testTheReportFromAStoreMarksTheEstateWaiversNoRepositoryUsed() throws {
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 3)  // repo-0 has no CODEOWNERS
    let config = try writeEstateWaivers(folder)
    // The report may name the config by another path than the scan did: the same file elsewhere.
    let elsewhere = folder.path + "/checkout/plumb.yml"
    try FileManager.default.createDirectory(atPath: folder.path + "/checkout", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: config, toPath: elsewhere)
    func states(_ store: String) throws -> [String: String] { try states(inputs: ["--store", store]) }
    func states(inputs: [String]) throws -> [String: String] {
      let output = folder.path + "/report-" + inputs.map { URL(fileURLWithPath: $0).lastPathComponent }.joined()
      let run = try plumb(["report"] + inputs + ["--config", elsewhere, "--output", output])
      XCTAssertEqual(run.status, 0, run.stderr)
      let data = try ProofData.read(json: try Data(contentsOf: URL(fileURLWithPath: output + "/data.json")))
      return Dictionary(uniqueKeysWithValues: data.waivers.map { ($0.owner, $0.state.rawValue) })
    }
    let estate = folder.path + "/estate"
    let whole = folder.path + "/whole.db"
    _ = try plumb(["scan", estate, "--config", config, "--format", "jsonl", "--store", whole])
    XCTAssertEqual(try states(whole), ["team-used": "active", "team-stale": "unused", "team-lapsed": "expired"])

    // The nightly job's sharded run, merged: the same answer. A partial merge cannot tell.
    var shardFiles: [String] = []
    for index in 1...2 {
      let file = folder.path + "/shard-\(index).jsonl"
      let run = try plumb(
        ["scan", estate, "--config", config, "--format", "jsonl", "--shard", "\(index)/2", "--output", file])
      XCTAssertNotEqual(run.status, 2, run.stderr)
      shardFiles.append(file)
    }
    let merged = folder.path + "/merged.db"
    XCTAssertEqual(try plumb(["merge"] + shardFiles + ["--store", merged]).status, 0)
    XCTAssertEqual(try states(merged), ["team-used": "active", "team-stale": "unused", "team-lapsed": "expired"])
    let partial = folder.path + "/partial.db"
    XCTAssertEqual(try plumb(["merge", shardFiles[1], "--store", partial, "--allow-partial"]).status, 0)
    XCTAssertEqual(try states(partial)["team-stale"], "active", "half the estate read: not known to be unused")
    // The shard files themselves, unmerged: the whole set tells, one shard or a shard twice does not.
    XCTAssertEqual(
      try states(inputs: shardFiles), ["team-used": "active", "team-stale": "unused", "team-lapsed": "expired"])
    XCTAssertEqual(try states(inputs: [shardFiles[0]])["team-stale"], "active")
    XCTAssertEqual(try states(inputs: [shardFiles[1], shardFiles[1]])["team-stale"], "active")
    // A shard cut short (its trailer counts more lines than it holds) is not a whole run either.
    let cut = folder.path + "/cut.jsonl"
    let shardLines = try String(contentsOfFile: shardFiles[0], encoding: .utf8).split(separator: "\n")
    try (shardLines.dropFirst().joined(separator: "\n") + "\n").write(toFile: cut, atomically: true, encoding: .utf8)
    XCTAssertGreaterThan(shardLines.count, 1, "shard 1 of 2 holds no repository: the cut tests nothing")
    XCTAssertEqual(try states(inputs: [cut, shardFiles[1]])["team-stale"], "active")
    // A trailer alone is how a shard that held no repository reads: an input, not an error.
    let trailerOnly = folder.path + "/trailer.jsonl"
    try (String(shardLines.last!) + "\n").write(toFile: trailerOnly, atomically: true, encoding: .utf8)
    XCTAssertEqual(try states(inputs: [trailerOnly, shardFiles[1]])["team-stale"], "active")

    // A config whose lines moved since the scan is not guessed at.
    try ("# moved\n" + String(contentsOfFile: config, encoding: .utf8)).write(
      toFile: elsewhere, atomically: true, encoding: .utf8)
    let moved = try plumb(["report", "--store", whole, "--config", elsewhere, "--output", folder.path + "/moved"])
    XCTAssertTrue(moved.stderr.contains("unused estate waivers are not marked"), moved.stderr)
  }

  func testARepositoryThatNeverFinishesIsGivenUpOnAndTheRestReported() throws {
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 2)
    // A delta that names itself as its base sends libgit2 1.5.1 into an endless loop: it must be given up on.
    try makeSelfReferencingDelta(at: folder.path + "/estate/stuck")
    for command in [["scan", "--format", "jsonl"], ["adoption", "--since", "2026-01-01", "--format", "json"]] {
      let run = try plumb(command + [folder.path + "/estate", "--timeout", "2"])
      XCTAssertEqual(run.status, 3, "\(command): \(run.stderr)")
      XCTAssertTrue(run.stdout.contains("gave up after 2 s"), "\(command): \(run.stdout)")
      for name in ["repo-0", "repo-1"] {
        XCTAssertTrue(run.stdout.contains("\"name\":\"\(name)\"") || run.stdout.contains("\"name\": \"\(name)\""), name)
      }
    }
    // No deadline at all, or one past what the clock counts, is refused with a word, not a crash (it was SIGILL).
    for command in ["scan", "pins", "adoption"] {
      for timeout in ["0", "-1", "inf", "1e19", "nan"] {
        let refused = try plumb([command, folder.path + "/estate/repo-0", "--timeout", timeout])
        XCTAssertEqual(refused.status, 2, "\(command) --timeout \(timeout): \(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("--timeout"), "\(command) --timeout \(timeout): \(refused.stderr)")
      }
    }
    let longest = try plumb(["scan", folder.path + "/estate/repo-0", "--timeout", "31622400"])
    XCTAssertTrue([0, 1].contains(longest.status), "a year is taken: \(longest.status) \(longest.stderr)")
  }

  /// A repository whose HEAD's CODEOWNERS is stored in its pack as a delta against itself.
  func makeSelfReferencingDelta(at path: String) throws {
    let git = { (arguments: [String]) throws -> String in
      try Materializer.run(["-C", path, "-c", "user.name=T", "-c", "user.email=t@example.com"] + arguments)
    }
    try Materializer.run(["init", "-q", "-b", "main", path])
    // Two versions large enough for git to store one as a delta of the other; content no other repository has.
    var owners = (0..<200).map { "/stuck/path-\($0)/ @acme/stuck-team\n" }.joined()
    for version in 0..<2 {
      try owners.write(toFile: path + "/CODEOWNERS", atomically: true, encoding: .utf8)
      _ = try git(["add", "CODEOWNERS"])
      _ = try git(["commit", "-qm", "owners \(version)"])
      owners += "/stuck/more/ @acme/stuck-team\n"
    }
    // Deltas name their base by id (REF_DELTA), not by offset, so the base can be rewritten to the delta itself.
    _ = try git(["-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq"])
    let packFolder = path + "/.git/objects/pack"
    let index = try XCTUnwrap(
      try FileManager.default.contentsOfDirectory(atPath: packFolder).first { $0.hasSuffix(".idx") })
    // verify-pack -v: "<id> <type> <size> <size in pack> <offset> [<depth> <base id>]".
    let rows = try git(["verify-pack", "-v", packFolder + "/" + index]).split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true)
    }
    let delta = try XCTUnwrap(rows.first { $0.count == 7 && $0[1] == "blob" }, "git stored no blob as a delta")
    let (victim, offset) = (String(delta[0]), try XCTUnwrap(Int(delta[4])))
    let packPath = packFolder + "/" + index.dropLast(4) + ".pack"
    var pack = [UInt8](try Data(contentsOf: URL(fileURLWithPath: packPath)))
    // The entry's header: type and size in 7-bit groups while the high bit is set; the base id follows it.
    var cursor = offset
    while pack[cursor] & 0x80 != 0 { cursor += 1 }
    cursor += 1
    let victimBytes = stride(from: 0, to: 40, by: 2).map { start in
      UInt8(victim[victim.index(victim.startIndex, offsetBy: start)...].prefix(2), radix: 16)!
    }
    pack.replaceSubrange(cursor..<cursor + 20, with: victimBytes)
    try FileManager.default.removeItem(atPath: packPath)
    try Data(pack).write(to: URL(fileURLWithPath: packPath))
    // HEAD at the commit whose CODEOWNERS is that blob, so the scan reads it.
    if try git(["rev-parse", "HEAD:CODEOWNERS"]) != victim {
      _ = try git(["update-ref", "refs/heads/main", "HEAD~1"])
    }
  }

  func testAnEstateWithNoRepositoriesIsAnErrorNotAPass() throws {
    // A nightly job pointed at an unmounted mirror volume must fail, whichever command it runs.
    let folder = TemporaryFolder()
    try FileManager.default.createDirectory(atPath: folder.path + "/mirrors", withIntermediateDirectories: true)
    for command in [["scan"], ["pins"], ["adoption", "--since", "2026-01-01"]] {
      let run = try plumb(command + [folder.path + "/mirrors"])
      XCTAssertEqual(run.status, 2, "\(command): \(run.stderr)")
      XCTAssertTrue(run.stderr.contains("no repositories found under"), run.stderr)
    }
  }

  func testDiscoveryFollowsLinksOnlyInsideTheEstate() throws {
    let folder = TemporaryFolder()
    try folder.repository("estate/teams/inside", yaml: "files: {README.md: hi}")
    try folder.repository("outside/secret", yaml: "files: {README.md: hi}")
    let manager = FileManager.default
    try manager.createSymbolicLink(atPath: folder.path + "/estate/out", withDestinationPath: "../outside")
    try manager.createSymbolicLink(atPath: folder.path + "/estate/alias", withDestinationPath: "teams")
    try manager.createSymbolicLink(atPath: folder.path + "/estate/teams/loop", withDestinationPath: "..")
    let run = try plumb(["scan", folder.path + "/estate", "--format", "jsonl"])
    let found = try lines(run.stdout).repositories
    XCTAssertEqual(Set(found.keys), ["inside"], "the link out is not followed; the link in finds nothing new")
    XCTAssertTrue(run.stderr.contains("symbolic link out of"), run.stderr)
  }

  func testARepositoryIsALeafAndANestedCloneIsNamedToBeScanned() throws {
    let folder = TemporaryFolder()
    try folder.repository("estate/platform", yaml: "files: {README.md: hi}")
    try folder.repository("estate/platform/services/billing", yaml: "files: {README.md: hi}")
    let run = try plumb(["scan", folder.path + "/estate", "--format", "jsonl"])
    XCTAssertEqual(Set(try lines(run.stdout).repositories.keys), ["platform"], "a checkout's folders are not searched")
    let named = try plumb(
      ["scan", folder.path + "/estate", folder.path + "/estate/platform/services/billing", "--format", "jsonl"])
    XCTAssertEqual(Set(try lines(named.stdout).repositories.keys), ["platform", "billing"])
  }

  func testStreamedOutputFileIsWholeOrAbsent() throws {
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 3)
    let target = folder.path + "/out.jsonl"
    let run = try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--output", target])
    XCTAssertEqual(run.stdout, "")
    XCTAssertEqual(try lines(try String(contentsOfFile: target, encoding: .utf8)).repositories.count, 3)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
    XCTAssertEqual(leftovers, [])
  }

  func testAFailedWriteIsReportedNotDropped() throws {
    guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
    let folder = TemporaryFolder()
    try makeEstate(folder, count: 3)
    // Whether the write fails mid-run or at the final flush, the run must say so.
    let run = try plumb(["scan", folder.path + "/estate", "--format", "jsonl", "--output", "/dev/full"])
    XCTAssertEqual(run.status, 2, run.stderr)
    XCTAssertTrue(run.stderr.contains("space"), run.stderr)
  }

  func testProgressLineNamesTheSlowestRepository() {
    var state = ProgressState(total: 40)
    state.done = 12
    state.findings = 318
    state.inFlight = ["api": 100, "web": 103]
    XCTAssertEqual(
      state.line(now: 104), "[######--------------] 12/40 repositories · 318 findings · slowest: api (4s)")
    state.failed = 1
    XCTAssertTrue(state.line(now: 104).contains("1 unreadable"))
    XCTAssertEqual(state.line(now: 104, width: 30).count, 30)
    state.inFlight = [:]
    XCTAssertFalse(state.line(now: 104).contains("slowest"))
  }
}
