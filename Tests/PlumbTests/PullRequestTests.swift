import FixtureKit
import Foundation
import XCTest
import Yams

/// `plumb check` on branches as CI sees them, and the CI examples in docs/ci run for real.
final class PullRequestTests: XCTestCase {
  let history = """
    commits:
      - message: main starts
        files:
          CODEOWNERS: "* @acme/a\\n/gone/ @acme/b\\n"
          Dockerfile: "FROM ubuntu:22.04\\n"
          README.md: "# svc\\n"
      - message: feature adds two violations and fixes one
        branch: feature
        from: main
        tags: [v0.9]
        files:
          CODEOWNERS: "* @acme/a\\n"
          Dockerfile: "FROM ubuntu:latest\\n"
          main.tf: "module \\"vpc\\" {\\n  source = \\"terraform-aws-modules/vpc/aws\\"\\n}\\n"
      - message: main moves on with its own violation
        branch: main
        tags: [release-candidate]
        files:
          .github/workflows/ci.yml: "on: push\\njobs:\\n  b:\\n    runs-on: x\\n    steps:\\n      - uses: actions/checkout@v4\\n"
      - message: merge main back into the feature
        branch: feature-merged
        from: feature
        merge: [main]
        files:
          .github/workflows/ci.yml: "on: push\\njobs:\\n  b:\\n    runs-on: x\\n    steps:\\n      - uses: actions/checkout@v4\\n"
      - message: the feature rebased onto the new main and force-pushed
        branch: feature-rebased
        from: main
        files:
          CODEOWNERS: "* @acme/a\\n"
          Dockerfile: "FROM ubuntu:latest\\n"
          main.tf: "module \\"vpc\\" {\\n  source = \\"terraform-aws-modules/vpc/aws\\"\\n}\\n"
    head: main
    """

  func json(_ run: CLI.Run) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout + run.stderr)
  }

  func newRules(_ document: [String: Any]) -> [String] {
    let repositories = document["repositories"] as? [[String: Any]] ?? []
    return (repositories.first?["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }.sorted()
  }

  func testNewFixedAndExistingAcrossBranches() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)

    let feature = try CLI.run(["check", "--base", "main", "--head", "feature", repo.path, "--format", "json"])
    XCTAssertEqual(feature.status, 1, "a new error (module-unpinned) fails the check")
    let document = try json(feature)
    XCTAssertEqual(
      newRules(document), ["pins/image-unpinned", "pins/module-unpinned", "tags/not-semver"],
      "the branch's own tag v0.9 is judged; main's later tag release-candidate is not the branch's")
    let check = try XCTUnwrap(document["check"] as? [String: Any])
    XCTAssertEqual(
      (check["fixed"] as? [[String: Any]])?.compactMap { $0["rule"] as? String }, ["ownership/pattern-matches-nothing"])
    XCTAssertEqual(check["new"] as? Int, 3)
    // New findings are tied to the branch's commit that introduced them.
    let shown = (document["repositories"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]] ?? []
    let module = try XCTUnwrap(shown.first { $0["rule"] as? String == "pins/module-unpinned" })
    XCTAssertEqual(
      (module["commit"] as? [String: Any])?["summary"] as? String, "feature adds two violations and fixes one")

    // Merging main back in: main's own violation is not the branch's.
    let merged = try json(
      try CLI.run(["check", "--base", "main", "--head", "feature-merged", repo.path, "--format", "json"]))
    XCTAssertEqual(newRules(merged), ["pins/image-unpinned", "pins/module-unpinned", "tags/not-semver"])
    XCTAssertEqual(
      (merged["check"] as? [String: Any])?["merge_base"] as? String,
      try Materializer.run(["-C", repo.path, "rev-parse", "main"]))

    // Force-pushed onto the new main: the merge base moved, the answer did not.
    let rebased = try json(
      try CLI.run(["check", "--base", "main", "--head", "feature-rebased", repo.path, "--format", "json"]))
    XCTAssertEqual(newRules(rebased), ["pins/image-unpinned", "pins/module-unpinned"])

    // Warnings only fail when asked; existing findings show on request.
    let existing = try CLI.run([
      "check", "--base", "main", "--head", "feature", repo.path, "--show-existing", "--fail-on", "note",
    ])
    XCTAssertEqual(existing.status, 1)
    XCTAssertTrue(existing.stdout.contains("3 new, 1 fixed"), existing.stdout)
    // Shown existing findings are tied to commits too: to main's, before the branch.
    let all = try json(
      try CLI.run([
        "check", "--base", "main", "--head", "feature", repo.path, "--show-existing", "--format", "json",
      ]))
    let findings = (all["repositories"] as? [[String: Any]])?.first?["findings"] as? [[String: Any]] ?? []
    XCTAssertGreaterThan(findings.count, 3, "existing findings are shown")
    let summaries = findings.map { ($0["commit"] as? [String: Any])?["summary"] as? String }
    XCTAssertTrue(summaries.contains("main starts"), "\(summaries)")
    // Each shown finding says whether the branch brought it, in every format.
    XCTAssertEqual(
      Set(findings.filter { $0["state"] as? String == "new" }.compactMap { $0["rule"] as? String }),
      ["pins/image-unpinned", "pins/module-unpinned", "tags/not-semver"])
    XCTAssertEqual(findings.filter { $0["state"] as? String == "existing" }.count, findings.count - 3)
    XCTAssertEqual((all["repositories"] as? [[String: Any]])?.first?["ref"] as? String, "refs/heads/feature")
    let sarif = try json(
      try CLI.run(["check", "--base", "main", "--head", "feature", repo.path, "--show-existing", "--format", "sarif"]))
    let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
    XCTAssertEqual(results.filter { $0["baselineState"] as? String == "new" }.count, 3)
    XCTAssertEqual(results.filter { $0["baselineState"] as? String == "unchanged" }.count, results.count - 3)
    XCTAssertEqual(
      existing.stdout.components(separatedBy: "(existing) ").count - 1, findings.count - 3, existing.stdout)
    // jsonl's line is json's repository object: the same messages and states, and the check block beside them.
    let line = try CLI.run([
      "check", "--base", "main", "--head", "feature", repo.path, "--show-existing", "--format", "jsonl",
    ])
    let lines = line.stdout.split(separator: "\n")
    XCTAssertEqual(lines.count, 1, line.stdout)
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    let lineFindings = object["findings"] as? [[String: Any]] ?? []
    XCTAssertEqual(lineFindings.map { $0["message"] as? String }, findings.map { $0["message"] as? String })
    XCTAssertEqual(lineFindings.map { $0["state"] as? String }, findings.map { $0["state"] as? String })
    XCTAssertEqual((object["check"] as? [String: Any])?["new"] as? Int, 3)
    let nothing = try CLI.run(["check", "--base", "feature", "--head", "feature", repo.path])
    XCTAssertEqual(nothing.status, 0, nothing.stdout)
  }

  func testTheEstateNamedWithEstateGivesTemplatesToJudgeTheBranchBy() throws {
    let folder = TemporaryFolder()
    let estate = folder.path + "/estate"
    try FileManager.default.createDirectory(atPath: estate, withIntermediateDirectories: true)
    for name in ["golden-service", "orders-service"] {
      let yaml = try String(contentsOfFile: projectRoot() + "/fixtures/demo/\(name).yml", encoding: .utf8)
      try folder.repository("estate/" + name, yaml: yaml)
    }
    let orders = estate + "/orders-service"
    try TestEstate.git(orders, ["checkout", "-q", "-b", "drop-runbook"])
    try TestEstate.git(orders, ["rm", "-q", "RUNBOOK.md"])
    try TestEstate.git(orders, ["commit", "-qm", "drop the runbook"])
    let arguments = ["check", "--base", "main", "--head", "drop-runbook", orders, "--format", "json"]
    let alone = try CLI.run(arguments)
    XCTAssertFalse(newRules(try json(alone)).contains("template/missing-default"), alone.stdout)
    let withEstate = try CLI.run(arguments + ["--estate", estate])
    XCTAssertTrue(
      newRules(try json(withEstate)).contains("template/missing-default"),
      "RUNBOOK.md ships with golden-service v1.0.0: \(withEstate.stdout)")
    XCTAssertFalse(withEstate.stderr.contains("none is taken"), withEstate.stderr)
    // A mistyped estate is refused, not read as an empty one that turns template/* off.
    let typo = try CLI.run(arguments + ["--estate", estate + "-typo"])
    XCTAssertEqual(typo.status, 2, typo.stdout)
    XCTAssertTrue(typo.stderr.contains("-typo: no such file or folder"), typo.stderr)

    // A namesake elsewhere in the estate (another org's orders-service) is not the checked repository's copy.
    try Materializer.run(["clone", "-q", orders, estate + "/labs/orders-service"])
    let beside = try CLI.run(arguments + ["--estate", estate])
    XCTAssertTrue(newRules(try json(beside)).contains("template/missing-default"), beside.stdout)
    XCTAssertFalse(beside.stderr.contains("none is taken"), "the one at the same place is its copy: \(beside.stderr)")
    let ci = folder.path + "/ci/orders-service"
    try Materializer.run(["clone", "-q", "--branch", "drop-runbook", orders, ci])
    let fromClone = try CLI.run(
      ["check", "--base", "origin/main", ci, "--format", "json", "--estate", estate])
    XCTAssertTrue(newRules(try json(fromClone)).contains("template/missing-default"), fromClone.stdout)
    XCTAssertTrue(fromClone.stderr.contains("2 estate repositories are named 'orders-service'"), fromClone.stderr)
  }

  func testMissingMergeBaseSaysWhichFetchFixesIt() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)
    let clone = folder.path + "/ci-clone"
    try Materializer.run(["clone", "-q", "--depth", "1", "--branch", "feature", "file://" + repo.path, clone])
    try Materializer.run(["-C", clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"])
    let run = try CLI.run(["check", "--base", "origin/main", clone])
    XCTAssertEqual(run.status, 2)
    XCTAssertTrue(run.stderr.contains("fetch-depth: 0"), run.stderr)
    let unknown = try CLI.run(["check", "--base", "origin/nope", clone])
    XCTAssertEqual(unknown.status, 2)
    XCTAssertTrue(unknown.stderr.contains("git fetch origin nope"), unknown.stderr)
    // An all-hex name is an abbreviated commit or a branch: both fetches are offered.
    // A merge commit fetched with depth 2 (GitHub's pull-request ref): its first parent is at the shallow boundary,
    // and is the merge base.
    let merge = folder.path + "/merge-clone"
    try Materializer.run(["clone", "-q", "--depth", "2", "--branch", "feature-merged", "file://" + repo.path, merge])
    let atBoundary = try CLI.run(["check", "--base", "HEAD^1", merge, "--format", "json"])
    XCTAssertNotEqual(atBoundary.status, 2, atBoundary.stderr)
    XCTAssertEqual(
      (try json(atBoundary)["check"] as? [String: Any])?["merge_base"] as? String,
      try Materializer.run(["-C", merge, "rev-parse", "HEAD^1"]))
    let empty = folder.path + "/empty"
    try Materializer.run(["init", "-q", empty])
    let unreadable = try CLI.run(["check", "--base", "main", empty])
    XCTAssertEqual(
      unreadable.status, 3, "a repository with nothing to read is exit 3, as in scan: \(unreadable.stderr)")
    XCTAssertTrue(unreadable.stderr.contains("empty"), unreadable.stderr)
    let hexName = try CLI.run(["check", "--base", "cafe", clone])
    XCTAssertEqual(hexName.status, 2)
    XCTAssertTrue(hexName.stderr.contains("git fetch origin cafe:refs/remotes/origin/cafe"), hexName.stderr)
    XCTAssertTrue(hexName.stderr.contains("fetch the branch that holds it"), hexName.stderr)
    let fullID = try CLI.run(["check", "--base", String(repeating: "ab", count: 20), clone])
    XCTAssertEqual(fullID.status, 2)
    XCTAssertFalse(fullID.stderr.contains("git fetch origin"), "a full commit id is no branch: \(fullID.stderr)")
  }

  func testUnrelatedHistoriesAndNonCommitBasesAreNamedWithoutAFetchThatCannotHelp() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - message: main starts
            files:
              README.md: "# svc\\n"
          - message: a branch with its own root
            branch: pages
            orphan: true
            files:
              index.html: "<p>hi</p>\\n"
        head: main
        """)
    let unrelated = try CLI.run(["check", "--base", "main", "--head", "pages", repo.path])
    XCTAssertEqual(unrelated.status, 2)
    XCTAssertTrue(unrelated.stderr.contains("share no history"), unrelated.stderr)
    XCTAssertFalse(
      unrelated.stderr.contains("fetch-depth"), "a complete clone needs no deeper fetch: \(unrelated.stderr)")
    for base in ["HEAD^{tree}", "HEAD:README.md", ":/no commit says this"] {
      let run = try CLI.run(["check", "--base", base, repo.path])
      XCTAssertEqual(run.status, 2, base)
      XCTAssertTrue(run.stderr.contains("cannot resolve base '\(base)'"), run.stderr)
      XCTAssertFalse(run.stderr.contains("git fetch"), "\(base) is no branch to fetch: \(run.stderr)")
      XCTAssertFalse(run.stderr.contains(".."), run.stderr)
      XCTAssertFalse(run.stderr.contains("libgit2 error"), "a code is no reason: \(run.stderr)")
    }
  }

  func testADamagedHistoryIsNamedNotCalledUnrelated() throws {
    let folder = TemporaryFolder()
    let history = "commits:\n  - files: {a: one}\n  - files: {a: two}\n  - files: {a: three}\n"
    // The root commit's object emptied: the merge base walk and the base itself do not read.
    let damaged = try folder.repository("damaged", yaml: history)
    let root = try XCTUnwrap(try Materializer.unpackObjects(gitDir: damaged.path + "/.git", revision: "HEAD~2"))
    try Data().write(to: URL(fileURLWithPath: root))
    let check = try CLI.run(["check", "--base", "HEAD~1", damaged.path])
    XCTAssertEqual(check.status, 3, check.stderr)
    XCTAssertTrue(check.stderr.contains("cannot find the merge base of HEAD~1 and HEAD"), check.stderr)
    let damagedBase = try CLI.run(["check", "--base", "HEAD~2", damaged.path])
    XCTAssertEqual(damagedBase.status, 3, "the base is there but does not read: \(damagedBase.stderr)")
    XCTAssertTrue(damagedBase.stderr.contains("the file is empty"), damagedBase.stderr)

    // HEAD~1 stored with HEAD's content: a history that comes back to a commit it passed.
    let circle = try folder.repository("circle", yaml: history)
    let gitDir = circle.path + "/.git"
    let parent = try XCTUnwrap(try Materializer.unpackObjects(gitDir: gitDir, revision: "HEAD~1"))
    let head = try XCTUnwrap(try Materializer.unpackObjects(gitDir: gitDir, revision: "HEAD"))
    try FileManager.default.removeItem(atPath: parent)
    try FileManager.default.copyItem(atPath: head, toPath: parent)
    let circular = try CLI.run(["check", "--base", "HEAD~2", circle.path])
    XCTAssertEqual(circular.status, 3, circular.stderr)
    XCTAssertTrue(circular.stderr.contains("is its own ancestor"), circular.stderr)
  }

  func testBaselinesSuppressWhatTheyHoldAndReportWhatTheyNoLongerMatch() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)
    let baseline = folder.path + "/baseline.json"
    XCTAssertEqual(try CLI.run(["baseline", "write", repo.path, "--output", baseline]).status, 0)
    let clean = try CLI.run(["scan", repo.path, "--baseline", baseline, "--fail-on", "note"])
    XCTAssertEqual(clean.status, 0, clean.stdout)
    // At the feature branch the dead pattern is fixed and main's workflow is absent: two entries no longer match.
    let later = try CLI.run(["scan", repo.path, "--rev", "feature", "--baseline", baseline, "--format", "json"])
    let document = try json(later)
    XCTAssertEqual(newRules(document), ["pins/image-unpinned", "pins/module-unpinned"])
    let stale = (document["baseline"] as? [String: Any])?["no_longer_matched"] as? [[String: Any]]
    XCTAssertEqual(stale?.count, 2)
    XCTAssertTrue(later.stderr.contains("no longer match"), later.stderr)
    // A file that is JSON but not plumb's would hold nothing and suppress nothing: refused, not ignored.
    for (name, text) in [
      ("other.json", "{\"x\": 1}\n"), ("list.json", "[]\n"),
      ("typed.json", "{\"repositories\": [{\"name\": 5, \"findings\": \"x\"}]}\n"),
    ] {
      try text.write(toFile: folder.path + "/" + name, atomically: true, encoding: .utf8)
      let refused = try CLI.run(["scan", repo.path, "--baseline", folder.path + "/" + name])
      XCTAssertEqual(refused.status, 2, name)
      XCTAssertTrue(refused.stderr.contains("not plumb JSON output"), refused.stderr)
    }
    let lines = folder.path + "/baseline.jsonl"
    let jsonl = try CLI.run(["scan", repo.path, "--format", "jsonl", "--output", lines])
    XCTAssertEqual(jsonl.status, 1, jsonl.stderr)
    XCTAssertEqual(try CLI.run(["scan", repo.path, "--baseline", lines, "--fail-on", "note"]).status, 0)
    // A pull request whose new findings the baseline holds: none shown, and the summary says where they went.
    let accepted = folder.path + "/feature-baseline.json"
    try Materializer.run(["-C", repo.path, "checkout", "-q", "feature"])
    XCTAssertEqual(try CLI.run(["baseline", "write", repo.path, "--output", accepted]).status, 0)
    let held = try CLI.run(["check", "--base", "main", "--head", "feature", repo.path, "--baseline", accepted])
    XCTAssertEqual(held.status, 0, held.stdout)
    XCTAssertTrue(held.stdout.contains("3 new (3 held by the baseline, not shown)"), held.stdout)
    let heldJSON = try json(
      try CLI.run([
        "check", "--base", "main", "--head", "feature", repo.path, "--baseline", accepted, "--format", "json",
      ])
    )
    XCTAssertEqual((heldJSON["check"] as? [String: Any])?["baselined"] as? Int, 3)
    XCTAssertEqual(newRules(heldJSON), [])
  }

  /// Every `plumb …` line of the CI examples runs against a clone as CI would make it.
  func testCIExamplesRun() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: history)
    let clone = folder.path + "/clone"
    try Materializer.run(["clone", "-q", "--branch", "feature", "file://" + repo.path, clone])
    let environment = [
      "GITHUB_BASE_REF": "main", "GITHUB_REPOSITORY": "acme/svc", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
      "CI_PROJECT_URL": "https://gitlab.acme.test/acme/svc", "GITHUB_STEP_SUMMARY": folder.path + "/summary.md",
    ]
    var ran = 0
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
      let text = try String(contentsOfFile: projectRoot() + "/docs/ci/" + file, encoding: .utf8)
      for line in Self.plumbLines(in: try XCTUnwrap(try Yams.load(yaml: text))) {
        var words = Self.shellWords(line, environment: environment)
        XCTAssertEqual(words.removeFirst(), "plumb")
        let run = try CLI.run(words, in: clone)
        XCTAssertTrue([0, 1].contains(run.status), "\(file): `\(line)` exited \(run.status): \(run.stderr)")
        ran += 1
      }
    }
    XCTAssertGreaterThanOrEqual(ran, 7)
    let sarif = try String(contentsOfFile: clone + "/plumb.sarif", encoding: .utf8)
    XCTAssertTrue(sarif.contains("\"version\": \"2.1.0\""))
    XCTAssertTrue(FileManager.default.fileExists(atPath: clone + "/gl-code-quality-report.json"))
  }

  /// `run:` and `script:` entries, split into lines, keeping those that call plumb (up to `||`, `>>`).
  static func plumbLines(in node: Any) -> [String] {
    var lines: [String] = []
    func visit(_ value: Any, key: String?) {
      if let map = value as? [String: Any] {
        for (k, v) in map { visit(v, key: k) }
      } else if let list = value as? [Any] {
        for item in list { visit(item, key: key) }
      } else if let text = value as? String, key == "run" || key == "script" {
        for raw in text.split(separator: "\n") {
          var line = raw.trimmingCharacters(in: .whitespaces)
          guard line.hasPrefix("plumb ") else { continue }
          for cut in [" || ", " >> "] {
            if let range = line.range(of: cut) { line = String(line[..<range.lowerBound]) }
          }
          lines.append(line)
        }
      }
    }
    visit(node, key: nil)
    return lines
  }

  /// Splits a shell line on spaces, honouring double quotes and expanding `$NAME`.
  static func shellWords(_ line: String, environment: [String: String]) -> [String] {
    var expanded = line
    for (name, value) in environment.sorted(by: { $0.key.count > $1.key.count }) {
      expanded = expanded.replacingOccurrences(of: "$" + name, with: value)
    }
    var words: [String] = []
    var current = ""
    var quoted = false
    for character in expanded {
      if character == "\"" {
        quoted.toggle()
      } else if character == " " && !quoted {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }
}
