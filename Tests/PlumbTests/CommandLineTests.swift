import FixtureKit
import Foundation
import XCTest

/// The `plumb` binary as users run it: exit codes, formats, files written.
final class CommandLineTests: XCTestCase {
  typealias Run = CLI.Run

  static var binary: String { CLI.binary }

  func plumb(_ arguments: [String], in directory: String? = nil) throws -> Run {
    try CLI.run(arguments, in: directory)
  }

  let clean = """
    files:
      CODEOWNERS: "* @acme/platform\\n"
      README.md: "# ok\\n"
    """

  func testExitCodesFollowTheContract() throws {
    XCTAssertTrue(FileManager.default.fileExists(atPath: Self.binary), Self.binary)
    let folder = TemporaryFolder()
    let ok = try folder.repository("ok", yaml: clean)
    XCTAssertEqual(try plumb(["scan", ok.path]).status, 0)

    let noOwners = try folder.repository("no-owners", yaml: "files: {README.md: hi}")
    let failing = try plumb(["scan", noOwners.path])
    XCTAssertEqual(failing.status, 1)
    XCTAssertTrue(failing.stdout.contains("ownership/codeowners-missing"), failing.stdout)

    let unowned = try folder.repository("partly", yaml: "files: {CODEOWNERS: \"/src/ @a\\n\", src/a: x, b: y}")
    XCTAssertEqual(try plumb(["scan", unowned.path]).status, 0, "warnings pass at the default --fail-on error")
    XCTAssertEqual(try plumb(["scan", unowned.path, "--fail-on", "warning"]).status, 1)

    let badConfig = folder.path + "/bad.yml"
    try "rules:\n  no/such-rule: off\n".write(toFile: badConfig, atomically: true, encoding: .utf8)
    let usage = try plumb(["scan", ok.path, "--config", badConfig])
    XCTAssertEqual(usage.status, 2)
    XCTAssertTrue(usage.stderr.contains("bad.yml:2:3: unknown rule 'no/such-rule'"), usage.stderr)
    XCTAssertEqual(try plumb(["scan", ok.path, "--fail-on", "loud"]).status, 2)
    XCTAssertEqual(try plumb(["scan", "--no-such-flag"]).status, 2)
    XCTAssertEqual(try plumb(["scan", folder.path + "/does-not-exist"]).status, 2)

    try folder.repository("empty", yaml: "commits: []")
    let estate = try plumb(["scan", folder.path, "--format", "json"])
    XCTAssertEqual(estate.status, 3, "an unreadable repository is exit 3, the others still reported")
    let document = try JSONSerialization.jsonObject(with: Data(estate.stdout.utf8)) as? [String: Any]
    let repositories = document?["repositories"] as? [[String: Any]] ?? []
    XCTAssertEqual(repositories.map { $0["status"] as? String }, ["error", "ok", "ok", "ok"])
  }

  func testFormatsOutputFileAndRevision() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - files: {README.md: hi}
            tags: [{name: v1.0.0, message: first}]
          - files: {CODEOWNERS: "* @acme/platform\\n"}
        """)
    let output = folder.path + "/out.jsonl"
    let run = try plumb(["scan", repo.path, "--format", "jsonl", "--output", output])
    XCTAssertEqual(run.status, 0)
    XCTAssertEqual(run.stdout, "")
    let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 1)
    XCTAssertTrue(lines[0].contains("\"name\":\"svc\""))

    // A device or pipe is written in place, never replaced by a renamed file.
    let piped = try plumb(["scan", repo.path, "--format", "jsonl", "--output", "/dev/stdout"])
    XCTAssertTrue(piped.stdout.contains("\"name\":\"svc\""), piped.stdout + piped.stderr)
    var info = stat()
    XCTAssertEqual(stat("/dev/null", &info), 0)
    XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR)
    // A symbolic link to a file is followed, and stays a link.
    try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.jsonl", withDestinationPath: output)
    XCTAssertEqual(
      try plumb(["scan", repo.path, "--format", "jsonl", "--output", folder.path + "/link.jsonl"]).status, 0)
    XCTAssertEqual(
      try FileManager.default.attributesOfItem(atPath: folder.path + "/link.jsonl")[.type] as? FileAttributeType,
      .typeSymbolicLink)
    // A folder that does not exist is named as the reason, and nothing is left behind.
    for format in ["jsonl", "json", "text"] {
      let nowhere = try plumb(["scan", repo.path, "--format", format, "--output", folder.path + "/no/such/out"])
      XCTAssertEqual(nowhere.status, 2, format)
      XCTAssertTrue(nowhere.stderr.contains("No such file or directory"), nowhere.stderr)
    }
    let whole = try plumb(["scan", repo.path, "--format", "json", "--output", folder.path + "/out.json"])
    XCTAssertEqual(whole.status, 0)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".plumb-") }, [],
      "no temporary file stays beside the output")

    let old = try plumb(["scan", repo.path, "--rev", "v1.0.0", "--format", "json"])
    XCTAssertEqual(old.status, 1, "CODEOWNERS did not exist at v1.0.0")
    XCTAssertTrue(old.stdout.contains("\"ref\": \"refs/tags/v1.0.0\""), old.stdout)
    XCTAssertEqual(try plumb(["scan", repo.path, "--rev", "HEAD~1"]).status, 1)

    let text = try plumb(["scan", repo.path, "--rev", "v1.0.0"])
    XCTAssertFalse(text.stdout.contains("\u{1B}["), "no colour when not on a terminal")
    XCTAssertTrue(text.stdout.contains("1 repository, 1 finding: 1 error"), text.stdout)
  }

  func testManyFindingsOfOneRuleAreCut() throws {
    let folder = TemporaryFolder()
    let patterns = (1...9).map { "/gone\($0)/ @a" }.joined(separator: "\\n")
    let repo = try folder.repository("svc", yaml: "files: {CODEOWNERS: \"* @a\\n\(patterns)\\n\"}")
    let run = try plumb(["scan", repo.path])
    XCTAssertTrue(run.stdout.contains("ownership/pattern-matches-nothing ×9"), run.stdout)
    XCTAssertTrue(run.stdout.contains("… and 4 more"), run.stdout)
  }

  func testOwnersNamesTheDecidingLine() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        files:
          .github/CODEOWNERS: "*  @acme/platform\\n/src/billing/ @acme/billing\\n/apps/github\\n"
          src/billing/invoice.go: x
          src/api.go: y
          apps/github/a: z
        """)
    let run = try plumb(["owners", "--repo", repo.path, "src/billing/invoice.go", "src/api.go", "apps/github/a"])
    XCTAssertEqual(run.status, 0, run.stderr)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 3)
    XCTAssertEqual(lines[0], "src/billing/invoice.go\t@acme/billing\t.github/CODEOWNERS:2  /src/billing/ @acme/billing")
    XCTAssertEqual(lines[1], "src/api.go\t@acme/platform\t.github/CODEOWNERS:1  *  @acme/platform")
    XCTAssertEqual(lines[2], "apps/github/a\t(no owner)\t.github/CODEOWNERS:3  /apps/github")
    let json = try plumb(["owners", "--repo", repo.path, "--json", "src/api.go"])
    XCTAssertTrue(json.stdout.contains("\"owners\":[\"@acme/platform\"]"), json.stdout)
  }

  func testRulesListExplainAndInit() throws {
    let list = try plumb(["rules", "list"])
    XCTAssertEqual(list.status, 0)
    XCTAssertTrue(list.stdout.contains("ownership/codeowners-missing"))
    XCTAssertTrue(list.stdout.contains("runbook/broken-link"))
    let explain = try plumb(["rules", "explain", "runbook/missing-section"])
    XCTAssertTrue(explain.stdout.contains("rationale:"))
    XCTAssertTrue(explain.stdout.contains("sections:"))
    XCTAssertEqual(try plumb(["rules", "explain", "nope/nope"]).status, 2)

    let folder = TemporaryFolder()
    XCTAssertEqual(try plumb(["init"], in: folder.path).status, 0)
    let written = try String(contentsOfFile: folder.path + "/plumb.yml", encoding: .utf8)
    XCTAssertTrue(written.contains("extends: default"))
    XCTAssertEqual(try plumb(["init"], in: folder.path).status, 2, "never overwrites without --force")
    let ok = try folder.repository("ok", yaml: clean)
    XCTAssertEqual(try plumb(["scan", ok.path], in: folder.path).status, 0, "picks up ./plumb.yml")
  }

  func testPinsInventoryFormats() throws {
    let folder = TemporaryFolder()
    try folder.repository(
      "infra",
      yaml: """
        files:
          main.tf: "module \\"vpc\\" {\\n  source  = \\"terraform-aws-modules/vpc/aws\\"\\n  version = \\"~> 4.0\\"\\n}\\n"
          Dockerfile: "FROM ubuntu:latest\\n"
        """)
    try folder.repository(
      "web",
      yaml: """
        files:
          main.tf: "module \\"vpc\\" {\\n  source  = \\"terraform-aws-modules/vpc/aws\\"\\n  version = \\"5.8.1\\"\\n}\\n"
        """)
    let config = folder.path + "/plumb.yml"
    try "registry-index: index.yml\n".write(toFile: config, atomically: true, encoding: .utf8)
    try "terraform-aws-modules/vpc/aws: [4.0.2, 5.8.1]\n".write(
      toFile: folder.path + "/index.yml", atomically: true, encoding: .utf8)

    let table = try plumb(["pins", folder.path, "--config", config])
    XCTAssertEqual(table.status, 0, table.stderr)
    XCTAssertTrue(table.stdout.contains("registry.terraform.io/terraform-aws-modules/vpc/aws"), table.stdout)
    XCTAssertTrue(table.stdout.contains("outdated"), table.stdout)

    let csv = try plumb(["pins", folder.path, "--config", config, "--format", "csv"])
    let rows = csv.stdout.split(separator: "\n")
    XCTAssertEqual(rows.first, "kind,source,version,ref,status,repository,path,line")
    XCTAssertEqual(rows.count, 4)

    let json = try plumb(["pins", folder.path, "--config", config, "--format", "json"])
    let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let rollup = (document?["rollup"] as? [[String: Any]])?.first { ($0["kind"] as? String) == "module" }
    XCTAssertEqual(rollup?["newest"] as? String, "5.8.1")
    XCTAssertEqual(rollup?["consumers_behind_major"] as? [String], ["infra"])

    let markdown = try plumb(["pins", folder.path, "--config", config, "--format", "markdown"])
    XCTAssertTrue(markdown.stdout.hasPrefix("## Pins"), markdown.stdout)

    // A pin the policy lets go unversioned is said to be so, not "pinned".
    try folder.repository(
      "tools",
      yaml: """
        files:
          main.tf: "module \\"net\\" {\\n  source = \\"acme/net/aws\\"\\n}\\n"
          Dockerfile: "FROM debian\\nFROM alpine:3.20\\n"
        """)
    let lenient = folder.path + "/lenient.yml"
    try "rules:\n  pins/module-unpinned: {pin: {\"acme/*\": any}}\n  pins/image-unpinned: off\n".write(
      toFile: lenient, atomically: true, encoding: .utf8)
    let statuses = try plumb(["pins", folder.path + "/tools", "--config", lenient, "--format", "csv"]).stdout
      .split(separator: "\n").dropFirst().map { row in row.split(separator: ",", omittingEmptySubsequences: false) }
      .map { "\($0[1]) \($0[4])" }
    XCTAssertEqual(
      Set(statuses), ["registry.terraform.io/acme/net/aws unversioned", "debian unversioned", "alpine pinned"])

    // csv and markdown have no row for an unreadable repository: it is named on stderr, with exit 3.
    try Materializer.run(["init", "-q", folder.path + "/empty"])
    for format in ["csv", "markdown"] {
      let partial = try plumb(["pins", folder.path, "--config", config, "--format", format])
      XCTAssertEqual(partial.status, 3, partial.stderr)
      XCTAssertTrue(partial.stderr.contains("empty: repository is empty"), partial.stderr)
    }
  }

  func testInterfaceShowsTheBumpARelease() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "mod",
      yaml: """
        commits:
          - files: {main.tf: "variable \\"name\\" {\\n  type = string\\n}\\noutput \\"id\\" {\\n  value = 1\\n}\\n"}
            tags: [{name: v1.4.0, message: r}]
          - files: {main.tf: "variable \\"name\\" {\\n  type = number\\n}\\n"}
        """)
    let run = try plumb(["interface", "--repo", repo.path])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stdout.contains("v1.4.0 → HEAD"), run.stdout)
    XCTAssertTrue(run.stdout.contains("BREAKING"), run.stdout)
    XCTAssertTrue(
      run.stdout.contains("2 breaking change(s): the next release needs at least a major (2.0.0) bump"), run.stdout)
    let json = try plumb(["interface", "--repo", repo.path, "--json"])
    XCTAssertTrue(json.stdout.contains("\"kind\": \"outputRemoved\""), json.stdout)

    // A .tf file that stops parsing is not read as every declaration removed: the module is not compared.
    let later = try folder.repository(
      "later",
      yaml: """
        commits:
          - files: {main.tf: "variable \\"name\\" {\\n  type = string\\n}\\n"}
            tags: [{name: v1.4.0, message: r}]
          - files: {main.tf: "variable \\"name\\" {\\n  type = \\"oops\\n}\\n"}
        """)
    let broken = try plumb(["interface", "--repo", later.path])
    XCTAssertEqual(broken.status, 1, "the bump cannot be vouched for: \(broken.stdout)")
    XCTAssertFalse(broken.stdout.contains("BREAKING"), broken.stdout)
    XCTAssertTrue(broken.stdout.contains("main.tf:2 at HEAD: unterminated string"), broken.stdout)
    XCTAssertTrue(broken.stdout.contains("not compared (does not parse): (root module)"), broken.stdout)

    // A monorepo tags each module: each is compared with its own newest release, and says its own bump.
    var mono = "commits:\n  - files:\n"
    mono += "      modules/a/main.tf: \"output \\\"a1\\\" {\\n  value = 1\\n}\\n\"\n"
    mono += "      modules/b/main.tf: \"output \\\"b1\\\" {\\n  value = 1\\n}\\n\"\n"
    mono += "    tags: [{name: modules/a/v1.0.0, message: r}, {name: modules/b/v0.3.0, message: r}]\n"
    mono += "  - files: {modules/a/main.tf: \"output \\\"a2\\\" {\\n  value = 2\\n}\\n\"}\n"
    mono += "    tags: [{name: modules/a/v1.1.0, message: r}]\n"
    mono += "  - files:\n"
    mono += "      modules/a/main.tf: \"output \\\"a3\\\" {\\n  value = 3\\n}\\n\"\n"
    mono += "      modules/b/main.tf: \"output \\\"b2\\\" {\\n  value = 2\\n}\\n\"\n"
    mono += "      modules/c/main.tf: \"output \\\"c1\\\" {\\n  value = 1\\n}\\n\"\n"
    let monorepo = try folder.repository("mono", yaml: mono)
    let each = try plumb(["interface", "--repo", monorepo.path])
    XCTAssertEqual(each.status, 0, each.stderr)
    XCTAssertTrue(each.stdout.contains("modules/a since modules/a/v1.1.0: 2 change(s)"), each.stdout)
    XCTAssertTrue(each.stdout.contains("needs at least a major (2.0.0) bump"), each.stdout)
    XCTAssertTrue(each.stdout.contains("modules/b since modules/b/v0.3.0"), each.stdout)
    XCTAssertTrue(each.stdout.contains("needs at least a minor (0.4.0) bump"), each.stdout)
    XCTAssertTrue(each.stdout.contains("not compared (never released): modules/c"), each.stdout)
    let one = try plumb(["interface", "--repo", monorepo.path, "--module", "modules/a"])
    XCTAssertTrue(one.stdout.contains("modules/a/v1.1.0 → HEAD"), one.stdout)
    XCTAssertTrue(one.stdout.contains("needs at least a major (2.0.0) bump"), one.stdout)
  }
}
