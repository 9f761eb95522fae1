import FixtureKit
import Foundation
import XCTest

/// `plumb adoption` as users run it: formats, dates and exit codes.
final class AdoptionCommandTests: XCTestCase {
  let today = ["PLUMB_TODAY": "2026-04-15"]

  func adoption(_ arguments: [String]) throws -> CLI.Run {
    try CLI.run(["adoption"] + arguments, environment: today)
  }

  func estate() throws -> TemporaryFolder {
    let folder = TemporaryFolder()
    try folder.repository(
      "payments",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one}}
          - {date: 2026-03-05, files: {CODEOWNERS: "* @acme/payments\\n"}, tags: [{name: v1.0.0, message: r}]}
        """)
    try folder.repository("late", yaml: "commits:\n  - {date: 2026-02-20, files: {README.md: x}}")
    return folder
  }

  func testJSONFollowsTheAdoptionSchema() throws {
    let folder = try estate()
    let run = try adoption([folder.path, "--since", "2026-01-01", "--format", "json"])
    XCTAssertEqual(run.status, 0, run.stderr)
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(document["schema"] as? String, "plumb/adoption@1")
    XCTAssertEqual(
      document["categories"] as? [String], ["ownership", "runbooks", "pinning", "templates", "versioning"])
    let runInfo = try XCTUnwrap(document["run"] as? [String: Any])
    XCTAssertEqual(runInfo["every"] as? String, "month")
    XCTAssertEqual(runInfo["generated"] as? String, "2026-04-15")
    let periods = try XCTUnwrap(document["periods"] as? [[String: Any]])
    XCTAssertEqual(periods.map { $0["label"] as? String }, ["2026-01", "2026-02", "2026-03", "2026-04"])
    XCTAssertEqual(periods.last?["end"] as? String, "2026-04-30")
    let estate = try XCTUnwrap(document["estate"] as? [String: Any])
    let series = try XCTUnwrap(estate["series"] as? [[String: Any]])
    XCTAssertEqual(series.map { $0["repositories"] as? Int }, [1, 2, 2, 2], "late appears in February")
    XCTAssertEqual(series.map { ($0["share"] as? [String: Any])?["ownership"] as? Double }, [0, 0, 0.5, 0.5])
    XCTAssertEqual((estate["maturity"] as? [String: Any])?["levels"] as? [String], ["bronze", "silver", "gold"])
    let repositories = try XCTUnwrap(document["repositories"] as? [[String: Any]])
    let late = try XCTUnwrap(repositories.first { $0["name"] as? String == "late" })
    let lateSeries = try XCTUnwrap(late["series"] as? [[String: Any]])
    XCTAssertTrue(lateSeries[0]["commit"] is NSNull, "no commit before it existed")
    XCTAssertTrue(lateSeries[0]["passing"] is NSNull, "nothing judged before it existed")
    XCTAssertEqual((lateSeries[1]["passing"] as? [String: Any])?["ownership"] as? Bool, false)
    XCTAssertEqual(late["maturity"] as? String, "none", "below every level is `none`, as the distribution counts it")
    let payments = try XCTUnwrap(repositories.first { $0["name"] as? String == "payments" })
    XCTAssertEqual(payments["status"] as? String, "ok")
    XCTAssertEqual((payments["adopted"] as? [String: Any])?["ownership"] as? String, "2026-03")
    XCTAssertEqual((payments["delivery"] as? [String: Any])?["releases"] as? Int, 1)
    XCTAssertEqual((payments["delivery"] as? [String: Any])?["last_release"] as? String, "v1.0.0")
    XCTAssertEqual(payments["maturity"] as? String, "gold")
    XCTAssertTrue(payments["team"] is NSNull, "no manifest, no team")

    let manifest = folder.path + "/estate.yml"
    try "repositories:\n  - {path: payments, team: payments, tier: \"1\"}\n  - late\n".write(
      toFile: manifest, atomically: true, encoding: .utf8)
    let listed = try adoption(["--manifest", manifest, "--since", "2026-03-01", "--format", "json"])
    XCTAssertEqual(listed.status, 0, listed.stderr)
    let fromManifest = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
    let listedRepositories = try XCTUnwrap(fromManifest["repositories"] as? [[String: Any]])
    XCTAssertEqual(listedRepositories.map { $0["team"] as? String }, ["payments", nil])
    XCTAssertEqual(listedRepositories.first?["tier"] as? String, "1")
  }

  func testCSVAndMarkdown() throws {
    let folder = try estate()
    let csv = try adoption([folder.path, "--since", "2026-02-10", "--every", "quarter", "--format", "csv"])
    XCTAssertEqual(csv.status, 0, csv.stderr)
    let lines = csv.stdout.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.first, "repository,period,category,exists,passing,findings")
    XCTAssertEqual(lines.count, 1 + 2 * 2 * 5, "2 repositories × 2 quarters × 5 categories")
    XCTAssertTrue(lines.contains("payments,2026-Q1,ownership,true,true,0"), csv.stdout)
    XCTAssertTrue(lines.contains("late,2026-Q2,ownership,true,false,1"), csv.stdout)

    let weekly = try adoption([folder.path, "--since", "2026-02-09", "--every", "week", "--format", "csv"])
    XCTAssertTrue(weekly.stdout.contains("late,2026-W07,ownership,false,,\n"), "late has no commit until 02-20")
    XCTAssertTrue(weekly.stdout.contains("late,2026-W08,ownership,true,false,1\n"), weekly.stdout)

    let markdown = try adoption([folder.path, "--since", "2026-01-01"])
    XCTAssertEqual(markdown.status, 0)
    XCTAssertTrue(markdown.stdout.contains("## Adoption 2026-01 – 2026-04 (every month)"), markdown.stdout)
    XCTAssertTrue(markdown.stdout.contains("| 2026-03 | 2 | 50% (1) |"), markdown.stdout)
    XCTAssertTrue(markdown.stdout.contains("| payments | 2026-03 |"), markdown.stdout)
    XCTAssertFalse(markdown.stdout.contains("No rule is enabled"), markdown.stdout)
    XCTAssertTrue(markdown.stdout.contains("### Delivery"), markdown.stdout)
    let config = folder.path + "/no-templates.yml"
    try "rules:\n  template/missing-default: off\n  template/drift: off\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let withoutTemplates = try adoption([folder.path, "--since", "2026-01-01", "--config", config])
    XCTAssertTrue(withoutTemplates.stdout.contains("No rule is enabled for templates"), withoutTemplates.stdout)

    let output = folder.path + "/adoption.json"
    XCTAssertEqual(try adoption([folder.path, "--format", "json", "--output", output]).status, 0)
    XCTAssertTrue(try String(contentsOfFile: output, encoding: .utf8).contains("\"plumb/adoption@1\""))
  }

  func testExitCodes() throws {
    let folder = try estate()
    let badDate = try adoption([folder.path, "--since", "2026-13-01"])
    XCTAssertEqual(badDate.status, 2)
    XCTAssertTrue(badDate.stderr.contains("--since takes a date YYYY-MM-DD"), badDate.stderr)
    XCTAssertEqual(try adoption([folder.path, "--since", "2026-05-01"]).status, 2, "after today")
    XCTAssertEqual(try adoption([folder.path, "--every", "fortnight"]).status, 2)
    XCTAssertEqual(try adoption([folder.path, "--format", "sarif"]).status, 2)

    try folder.repository("empty", yaml: "commits: []")
    let run = try adoption([folder.path, "--since", "2026-01-01", "--format", "json"])
    XCTAssertEqual(run.status, 3, "an unreadable repository is exit 3")
    XCTAssertTrue(run.stderr.contains("empty"), run.stderr)
    let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let repositories = document?["repositories"] as? [[String: Any]] ?? []
    XCTAssertEqual(repositories.map { $0["status"] as? String }, ["error", "ok", "ok"])
  }

  func testAShallowCloneSaysWhereItsHistoryStarts() throws {
    let folder = TemporaryFolder()
    let full = try folder.repository(
      "full",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one}}
          - {date: 2026-02-12, files: {CODEOWNERS: "* @acme/payments\\n"}}
          - {date: 2026-03-05, files: {README.md: two}}
        """)
    let clone = folder.path + "/estate/clone"
    try Materializer.run(["clone", "-q", "--depth", "2", "file://" + full.path, clone])
    let run = try adoption([folder.path + "/estate", "--since", "2026-01-01", "--format", "json"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stderr.contains("shallow clone, history from 2026-02-12"), run.stderr)
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let repository = try XCTUnwrap((document["repositories"] as? [[String: Any]])?.first)
    XCTAssertEqual(repository["shallow_since"] as? String, "2026-02-12")
    let series = try XCTUnwrap(repository["series"] as? [[String: Any]])
    XCTAssertTrue(series[0]["passing"] is NSNull, "January is before the clone's history")
    XCTAssertEqual((repository["adopted"] as? [String: Any])?["ownership"] as? String, "2026-02")

    let markdown = try adoption([folder.path + "/estate", "--since", "2026-01-01"])
    XCTAssertTrue(markdown.stdout.contains("### Shallow clones"), markdown.stdout)
    XCTAssertTrue(markdown.stdout.contains("- clone: from 2026-02-12"), markdown.stdout)
    let whole = try adoption([full.path, "--since", "2026-01-01", "--format", "json"])
    XCTAssertFalse(whole.stderr.contains("shallow"), whole.stderr)
    XCTAssertTrue(whole.stdout.contains("\"shallow_since\": null"), whole.stdout)
  }

  func testACommitThatDoesNotReadIsNamedNotTakenForTheStartOfHistory() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "damaged",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one}}
          - {date: 2026-02-12, files: {CODEOWNERS: "* @acme/payments\\n"}}
          - {date: 2026-03-05, files: {README.md: two}}
        """)
    let commit = try XCTUnwrap(try Materializer.unpackObjects(gitDir: repo.path + "/.git", revision: "HEAD~2"))
    try Data().write(to: URL(fileURLWithPath: commit))
    let run = try adoption([repo.path, "--since", "2026-01-01", "--format", "json"])
    XCTAssertEqual(run.status, 3, "a damaged history is no shorter history: \(run.stderr)")
    XCTAssertTrue(run.stderr.contains("in its history: corrupt loose object: the file is empty"), run.stderr)
  }

  func testWhatDidNotReadAtTheLastPeriodIsNamed() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "damaged",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one, CODEOWNERS: "* @acme/payments\\n"}}
        """)
    let owners = try XCTUnwrap(try Materializer.unpackObjects(gitDir: repo.path + "/.git", revision: "HEAD:CODEOWNERS"))
    try Data("not zlib".utf8).write(to: URL(fileURLWithPath: owners))
    let run = try adoption([repo.path, "--since", "2026-01-01", "--format", "json"])
    XCTAssertEqual(run.status, 0, run.stderr)
    XCTAssertTrue(run.stderr.contains("1 file or tag did not read or parse at the last period"), run.stderr)
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let repository = try XCTUnwrap((document["repositories"] as? [[String: Any]])?.first)
    let unreadable = try XCTUnwrap(repository["unreadable"] as? [String])
    XCTAssertEqual(unreadable.count, 1)
    XCTAssertTrue(unreadable[0].hasPrefix("CODEOWNERS: "), "\(unreadable)")
  }
}
