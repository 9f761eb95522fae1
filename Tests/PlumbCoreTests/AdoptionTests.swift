import Estate
import FixtureKit
import Foundation
import GitKit
import Reports
import XCTest

@testable import PlumbCore

/// `plumb adoption` over real repositories with dated histories.
final class AdoptionTests: XCTestCase {
  /// Runs adoption over repositories with the default pack (or a config) and returns the estate.
  func adopt(
    _ paths: [String], config: String? = nil, since: String = "2026-01-01", through today: String = "2026-06-15",
    every cadence: AdoptionCadence = .month
  ) throws -> EstateAdoption {
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: config, file: "plumb.yml")
    let locations = paths.map { RepositoryLocation(path: $0) }
    let options = ScanOptions(
      policy: policy, today: today, knowledge: KnowledgeBuilder.build(locations, registryIndex: [:]),
      attribution: false)
    let end = try XCTUnwrap(CivilDate(iso: today))
    let periods = AdoptionPeriod.series(since: try XCTUnwrap(CivilDate(iso: since)), through: end, every: cadence)
    let run = AdoptionRun(scanner: RepositoryScanner(options: options, loader: loader), periods: periods, today: end)
    return EstateAdoption(periods: periods, repositories: locations.map(run.repository), levels: policy.levels)
  }

  func label(_ estate: EstateAdoption, _ index: Int?) -> String? { index.map { estate.periods[$0].label } }

  func testPeriodsFollowTheCalendar() throws {
    let since = try XCTUnwrap(CivilDate(iso: "2025-12-31"))
    let today = try XCTUnwrap(CivilDate(iso: "2026-03-02"))
    let months = AdoptionPeriod.series(since: since, through: today, every: .month)
    XCTAssertEqual(months.map(\.label), ["2025-12", "2026-01", "2026-02", "2026-03"])
    XCTAssertEqual(months[2].start.description, "2026-02-01")
    XCTAssertEqual(months[2].end.description, "2026-02-28")
    let quarters = AdoptionPeriod.series(since: since, through: today, every: .quarter)
    XCTAssertEqual(quarters.map(\.label), ["2025-Q4", "2026-Q1"])
    XCTAssertEqual(quarters[1].end.description, "2026-03-31")
    // 2025-12-31 is a Wednesday in ISO week 2026-W01 (the week of 2026-01-01, a Thursday).
    let weeks = AdoptionPeriod.series(since: since, through: today, every: .week)
    XCTAssertEqual(weeks.first?.label, "2026-W01")
    XCTAssertEqual(weeks.first?.start.description, "2025-12-29")
    XCTAssertEqual(weeks.last?.label, "2026-W10")
    XCTAssertEqual(weeks.last?.start.description, "2026-03-02")
    XCTAssertEqual(CivilDate(iso: "2026-03-31")?.adding(months: -1).description, "2026-02-28")
    XCTAssertNil(CivilDate(iso: "2026-02-30"))
    XCTAssertNil(CivilDate(iso: "2026-1-01"))
  }

  func testCodeOwnersAddedInMarchIsAdoptedInMarch() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "payments",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one}}
          - {date: 2026-02-15, files: {README.md: two}}
          - {date: 2026-03-05, files: {CODEOWNERS: "* @acme/payments\\n"}}
          - {date: 2026-04-20, files: {README.md: three}}
        """)
    let estate = try adopt([made.path])
    let repository = try XCTUnwrap(estate.repositories.first)
    XCTAssertNil(repository.error)
    XCTAssertEqual(estate.periods.map(\.label), ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])
    XCTAssertEqual(repository.points.map { $0?.passing[.ownership] }, [false, false, true, true, true, true])
    XCTAssertEqual(label(estate, repository.adopted[.ownership]), "2026-03")
    XCTAssertEqual(label(estate, repository.adopted[.versioning]), "2026-01", "no tags: passing from the start")
    XCTAssertEqual(repository.points[0]?.findings[.ownership], 1)
    XCTAssertTrue(repository.regressions.isEmpty)
    // Each period is judged at its last commit: March's is the commit that added CODEOWNERS.
    let march = try Repository(at: made.path).resolveCommit("HEAD~1")
    XCTAssertEqual(repository.points[2]?.commit, march.hex)
    XCTAssertEqual(repository.points[5]?.commit, repository.head)
  }

  func testRegressionAndReAdoption() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "billing",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one, CODEOWNERS: "* @acme/billing\\n"}}
          - {date: 2026-04-02, delete: [CODEOWNERS]}
          - {date: 2026-05-20, files: {.github/CODEOWNERS: "* @acme/billing\\n"}}
        """)
    let estate = try adopt([made.path])
    let repository = try XCTUnwrap(estate.repositories.first)
    XCTAssertEqual(repository.points.map { $0?.passing[.ownership] }, [true, true, true, false, true, true])
    XCTAssertEqual(repository.regressions.map(\.category), [.ownership])
    XCTAssertEqual(repository.regressions.map { estate.periods[$0.period].label }, ["2026-04"])
    XCTAssertEqual(label(estate, repository.adopted[.ownership]), "2026-05", "adopted again after the regression")
    XCTAssertEqual(estate.regressions, 1)
  }

  func testAWaiverExpiringInAQuietStretchEndsItsCategorysPassInThatPeriod() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "quiet", yaml: "commits:\n  - {date: 2026-01-10, files: {README.md: one}}\n")
    let config = """
      waivers:
        - rule: ownership/codeowners-missing
          owner: team-a
          expires: 2026-03-15
          reason: CODEOWNERS comes with the reorg
      """
    let estate = try adopt([made.path], config: config)
    let repository = try XCTUnwrap(estate.repositories.first)
    // One commit for six periods: only the calendar changes, and March's end is past the expiry.
    XCTAssertEqual(Set(repository.points.map { $0?.commit }).count, 1)
    XCTAssertEqual(repository.points.map { $0?.passing[.ownership] }, [true, true, false, false, false, false])
    XCTAssertEqual(repository.regressions.map { estate.periods[$0.period].label }, ["2026-03"])
    let unwaived = try adopt([made.path])
    XCTAssertEqual(
      unwaived.repositories.first?.points.map { $0?.passing[.ownership] }, Array(repeating: false, count: 6))
  }

  func testTheStreamedJSONDocumentEqualsTheWholeOne() throws {
    let folder = TemporaryFolder()
    let one = try folder.repository(
      "one",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one}}
          - {date: 2026-03-05, files: {CODEOWNERS: "* @acme/one\\n"}, tags: [{name: v1.0.0, message: r}]}
        """)
    let two = try folder.repository(
      "two", yaml: "commits:\n  - {date: 2026-02-20, files: {Dockerfile: \"FROM x\\n\"}}\n")
    let report = AdoptionReport(
      estate: try adopt([one.path, two.path, folder.path + "/missing"]),
      run: RunInfo(policyHash: "abc", pack: "default", revision: nil), since: "2026-01-01", every: .month,
      generated: "2026-06-15", rules: [.ownership: ["ownership/codeowners-missing"]])
    var streamed: [UInt8] = []
    report.writeJSON(indent: 2) { streamed += $0 }
    XCTAssertEqual(String(decoding: streamed, as: UTF8.self), report.json().serialized(indent: 2) + "\n")
    XCTAssertEqual(report.estate.repositories.count, 3)
  }

  func testRepositoryCreatedMidWindowIsNotCountedBeforeItExists() throws {
    let folder = TemporaryFolder()
    let old = try folder.repository(
      "old", yaml: "commits:\n  - {date: 2026-01-03, files: {README.md: x, CODEOWNERS: \"* @a\\n\"}}")
    let young = try folder.repository("young", yaml: "commits:\n  - {date: 2026-04-10, files: {README.md: x}}")
    let estate = try adopt([old.path, young.path])
    let series = estate.series
    XCTAssertEqual(series.map(\.repositories), [1, 1, 1, 2, 2, 2])
    XCTAssertEqual(series.map { $0.share(.ownership) }, [1, 1, 1, 0.5, 0.5, 0.5])
    XCTAssertEqual(estate.repositories[1].points.map { $0 == nil }, [true, true, true, false, false, false])
    XCTAssertNil(estate.repositories[1].adopted[.ownership])
    XCTAssertEqual(estate.adopted[.ownership], 1)
    XCTAssertEqual(label(estate, estate.repositories[1].adopted[.runbooks]), "2026-04", "adopted when it appeared")
    let january = try XCTUnwrap(try adopt([young.path]).series.first)
    XCTAssertEqual(january.repositories, 0)
    XCTAssertNil(january.share(.ownership), "no repository yet: no share")
  }

  /// Reuse must not change answers: every period equals a fresh scan of that period's commit.
  func testRulesAreReusedWhenWhatTheyReadDidNotChange() throws {
    let folder = TemporaryFolder()
    var commits = "commits:\n"
    commits += "  - date: 2026-01-05\n    files:\n"
    commits += "      CODEOWNERS: \"/src/ @acme/a\\n/nothing/ @acme/b\\n\"\n"
    commits += "      RUNBOOK.md: \"# Runbook\\n## Rollback\\nx\\n\"\n      Dockerfile: \"FROM ubuntu:latest\\n\"\n"
    commits += "      main.tf: \"module \\\"vpc\\\" {\\n  source = \\\"terraform-aws-modules/vpc/aws\\\"\\n}\\n\"\n"
    for month in 2...6 {
      commits += "  - {date: 2026-0\(month)-11, files: {src/app.go: \"package main // \(month)\\n\"}}\n"
    }
    let made = try folder.repository("svc", yaml: commits)
    let still = try folder.repository("still", yaml: "commits:\n  - {date: 2026-01-02, files: {README.md: x}}")
    let estate = try adopt([made.path, still.path])
    let policy = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: nil, file: "plumb.yml")
    let treeRules = RuleRegistry.all.filter { !$0.runsAfterWaivers && policy.isEnabled($0.id) }.count
    let changing = estate.repositories[0]
    let unchanged = estate.repositories[1]
    XCTAssertEqual(unchanged.ruleEvaluations, treeRules, "one commit for six periods: every rule runs once")
    XCTAssertLessThan(changing.ruleEvaluations, 6 * treeRules)
    XCTAssertGreaterThan(changing.ruleEvaluations, treeRules, "rules that list files ran again")
    try assertSameAsFreshScans(estate, repository: 0, path: made.path, policy: policy)
    // January: both patterns match nothing and files are unowned; from February src/ exists.
    XCTAssertEqual(changing.points.map { $0?.findings[.ownership] }, [3, 2, 2, 2, 2, 2])
    XCTAssertEqual(changing.points.last??.passing[.pinning], false)
  }

  /// CODEOWNERS match rows carried from one period to the next (same CODEOWNERS, files added and removed)
  /// and recomputed when CODEOWNERS changes give what fresh scans give.
  func testCarriedCodeOwnersMatchesAgreeWithFreshScans() throws {
    let folder = TemporaryFolder()
    let commits = """
      commits:
        - {date: 2026-01-05, files: {CODEOWNERS: "/src/ @acme/a\\n*.md @acme/docs\\n", src/a.go: x, lib/b.go: x}}
        - {date: 2026-02-03, files: {lib/c.go: x, docs/d.md: x}}
        - {date: 2026-03-03, delete: [lib/b.go], files: {src/e.go: x}}
        - {date: 2026-04-07, files: {CODEOWNERS: "/src/ @acme/a\\n/lib/ @acme/b\\n", tools/f.sh: x}}
        - {date: 2026-05-04, files: {lib/g.go: x}}
        - {date: 2026-06-01, delete: [CODEOWNERS], files: {.github/CODEOWNERS: "/src/ @acme/a\\n/lib/ @acme/b\\n"}}
      """
    let made = try folder.repository("svc", yaml: commits)
    let estate = try adopt([made.path])
    let policy = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: nil, file: "plumb.yml")
    try assertSameAsFreshScans(estate, repository: 0, path: made.path, policy: policy)
    XCTAssertEqual(estate.repositories[0].points.map { $0?.passing[.ownership] }, Array(repeating: false, count: 6))
  }

  /// Every period equals a scan of that period's commit from scratch (for repositories without tags).
  func assertSameAsFreshScans(
    _ estate: EstateAdoption, repository: Int, path: String, policy: Policy, line: UInt = #line
  ) throws {
    let loader = PolicyLoader(catalog: sharedCatalog)
    for (index, point) in estate.repositories[repository].points.enumerated() {
      guard let point else { continue }
      let options = ScanOptions(
        revision: point.commit, policy: policy, today: estate.periods[index].end.description, attribution: false)
      let fresh = RepositoryScanner(options: options, loader: loader).scan(RepositoryLocation(path: path))
      XCTAssertEqual(
        AdoptionPoint(commit: point.commit, findings: fresh.findings), point, "period \(index)", line: line)
    }
  }

  /// runbook/stale walks back from each period's commit; the walks share steps read from the chain.
  func testStaleRunbookFollowsEachPeriodsHistory() throws {
    let folder = TemporaryFolder()
    var commits = "commits:\n  - {date: 2026-01-03, files: {Dockerfile: \"FROM a:1\\n\", RUNBOOK.md: \"# R\\n\"}}\n"
    for day in stride(from: 5, through: 28, by: 3) {
      commits += "  - {date: 2026-01-\(day), files: {src/a\(day).go: x}}\n"
    }
    commits += "  - {date: 2026-02-10, delete: [src/a5.go], files: {lib/b.go: x}}\n"
    commits += "  - {date: 2026-03-02, files: {RUNBOOK.md: \"# R\\n## Rollback\\n\"}}\n"
    commits += "  - {date: 2026-04-20, files: {src/late.go: x}}\n"
    let made = try folder.repository("svc", yaml: commits)
    let config = "rules:\n  runbook/stale: {max-days: 5, max-commits: 2}\n"
    let estate = try adopt([made.path], config: config)
    let policy = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: config, file: "plumb.yml")
    try assertSameAsFreshScans(estate, repository: 0, path: made.path, policy: policy)
    let stale = estate.repositories[0].points.map { point in
      point.map { $0.findings[.runbooks] ?? 0 }
    }
    // January and February: three missing sections and stale; from March it has Rollback and is fresh again.
    XCTAssertEqual(stale, [4, 4, 2, 2, 2, 2])
  }

  /// The demo estate (templates, tags, waivers, a bare mirror): adoption's reused runs give the answers a fresh
  /// scan gives, at every period of the repositories without tags and at the last period of every repository.
  func testDemoEstateAgreesWithFreshScans() throws {
    let root = projectRoot()
    let folder = TemporaryFolder("adoption-demo")
    try materializeDemoEstate(into: folder)
    let config = try String(contentsOfFile: root + "/fixtures/demo.plumb.yml", encoding: .utf8)
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: config, file: "demo.plumb.yml")
    let locations = Discovery.repositories(in: [folder.path]).found
    let knowledge = KnowledgeBuilder.build(locations, registryIndex: [:])
    let today = try XCTUnwrap(CivilDate(iso: "2026-11-21"))
    let periods = AdoptionPeriod.series(
      since: try XCTUnwrap(CivilDate(iso: "2025-05-01")), through: today, every: .month)
    let options = ScanOptions(policy: policy, today: today.description, knowledge: knowledge, attribution: false)
    let run = AdoptionRun(scanner: RepositoryScanner(options: options, loader: loader), periods: periods, today: today)
    var compared = 0
    for location in locations {
      let adoption = run.repository(location)
      guard adoption.error == nil else { continue }
      let tagged = !(try Repository(at: location.path).tags().isEmpty)
      for (index, point) in adoption.points.enumerated() {
        guard let point, !tagged || index == periods.count - 1 else { continue }
        var fresh = options
        fresh.revision = point.commit
        fresh.today = min(periods[index].end, today).description
        let publishedBy = min(periods[index].cutoff, today.adding(days: 1).startSeconds) - 1
        fresh.knowledge = knowledge.asOf(publishedBy, clock: ReleaseClock())
        let scanned = RepositoryScanner(options: fresh, loader: loader).scan(location)
        XCTAssertEqual(
          AdoptionPoint(commit: point.commit, findings: scanned.findings), point, "\(location.name) \(index)")
        compared += 1
      }
    }
    XCTAssertGreaterThan(compared, 20)
  }

  func testTemplateDriftIsJudgedAgainstTheReleasesOfItsPeriod() throws {
    let folder = TemporaryFolder()
    let golden = try folder.repository("golden-service", yaml: TemplateTests.goldenService)
    let billing = try TemplateTests.consumer(
      folder, version: "v1.0.0", then: "  - {date: 2026-06-01, files: {README.md: \"# billing\\n\"}}")
    let estate = try adopt([billing.path, golden.path])
    let repository = try XCTUnwrap(estate.repositories.first { $0.name == "billing" })
    // v1.1.0 (February) is one release and a month ahead: within limits. v2.0.0 (May) makes two behind.
    // Billing's commit stays the same until June: the May point is a re-run, not April's findings reused.
    XCTAssertEqual(repository.points.map { $0?.findings[.templates] }, [0, 0, 0, 0, 1, 1])
    XCTAssertEqual(repository.points[3]?.commit, repository.points[4]?.commit)
  }

  func testModulePinsAreJudgedAgainstTheReleasesOfTheirPeriod() throws {
    let folder = TemporaryFolder()
    let modules = try folder.repository(
      "network-modules",
      yaml: """
        commits:
          - date: 2026-01-02
            files: {main.tf: "variable \\"cidr\\" {}\\n"}
            tags: [{name: v1.0.0, message: first}]
          - date: 2026-03-10
            files: {main.tf: "variable \\"cidr\\" {}\\nvariable \\"name\\" {}\\n"}
            tags: [{name: v1.1.0, message: second}]
        """)
    let consumer = try folder.repository(
      "payments",
      yaml: """
        commits:
          - date: 2026-01-05
            files:
              CODEOWNERS: "* @acme/payments\\n"
              infra/main.tf: "module \\"net\\" {\\n  source = \\"git::https://example.test/acme/network-modules.git?ref=v1.0.0\\"\\n}\\n"
          - {date: 2026-06-01, files: {README.md: "# payments\\n"}}
        """)
    let estate = try adopt([consumer.path, modules.path])
    let repository = try XCTUnwrap(estate.repositories.first { $0.name == "payments" })
    // v1.1.0 came out in March: the pin is outdated from then on, though payments did not change until June.
    XCTAssertEqual(repository.points.map { $0?.findings[.pinning] }, [0, 0, 1, 1, 1, 1])
    XCTAssertEqual(repository.points[1]?.commit, repository.points[2]?.commit)
  }

  func testTagRulesSeeOnlyTagsThatExistedAtThePeriod() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "lib",
      yaml: """
        commits:
          - {date: 2026-01-10, files: {README.md: one, CODEOWNERS: "* @a\\n"}}
          - {date: 2026-02-10, files: {README.md: two}, tags: [{name: v1.0.0, message: first}]}
          - {date: 2026-03-10, files: {README.md: three}, tags: [v1.1.0]}
          - {date: 2026-03-12, branch: side, files: {README.md: side}, tags: [{name: v9.0.0, message: side}]}
          - {date: 2026-04-10, branch: main, files: {README.md: four}}
        """)
    // Tagged today (after the window): no period may see it.
    try Materializer.run([
      "-C", made.path, "-c", "user.name=Rel", "-c", "user.email=rel@acme.test", "tag", "-a", "-m", "late", "v1.2.0",
      "main",
    ])
    let estate = try adopt([made.path])
    let repository = try XCTUnwrap(estate.repositories.first)
    // v1.1.0 is lightweight (a warning) from March; v9.0.0 is never on the period's history.
    XCTAssertEqual(repository.points.map { $0?.passing[.versioning] }, [true, true, false, false, false, false])
    XCTAssertEqual(repository.points.map { $0?.findings[.versioning] }, [0, 0, 1, 1, 1, 1])
    XCTAssertEqual(repository.regressions.map { estate.periods[$0.period].label }, ["2026-03"])
    let scanned = try scan(made.path)
    XCTAssertEqual(scanned.findings(of: "tags/not-on-default-branch").count, 1, "a HEAD scan sees every tag")
  }

  /// A patch is judged against the greatest lower version of its own component, whatever the order of release.
  func testPatchReleasesFollowVersionsNotReleaseOrder() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "mono",
      yaml: """
        commits:
          - {date: "2026-01-01T00:00:00Z", files: {a: "1"}, tags: [{name: v1.4.2, message: r}]}
          - {date: "2026-01-02T00:00:00Z", files: {a: "2"}, tags: [{name: v2.0.0, message: r}]}
          - {date: "2026-01-03T00:00:00Z", files: {a: "3"}, tags: [{name: v1.4.3, message: r}]}
          - {date: "2026-01-04T00:00:00Z", files: {a: "4"}, tags: [{name: api/v2.0.1, message: r}]}
          - {date: "2026-01-05T00:00:00Z", files: {a: "5"}, tags: [{name: api/v2.0.2, message: r}]}
          - {date: "2026-01-06T00:00:00Z", files: {a: "6"}, tags: [{name: v1.3.9, message: r}]}
          - {date: "2026-01-07T00:00:00Z", files: {a: "7"}, tags: [{name: v2.0.1, message: r}]}
        """)
    let delivery = try XCTUnwrap(try adopt([made.path], through: "2026-01-31").repositories.first?.delivery)
    XCTAssertEqual(delivery.releases, 7)
    // v1.4.3 follows v1.4.2 though v2.0.0 came between; api/v2.0.2 follows api/v2.0.1 (not v2.0.0's line);
    // v2.0.1 follows v2.0.0. v1.4.2, v2.0.0 (a major), api/v2.0.1 (its first) and v1.3.9 (the lowest) are not.
    XCTAssertEqual(delivery.patchReleases, 3)
  }

  /// Tags and dates chosen so every figure can be worked out by hand (see the comments).
  func testDeliveryFiguresFromTags() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "api",
      yaml: """
        commits:
          - {date: "2026-01-01T00:00:00Z", files: {a: "1"}}
          - {date: "2026-01-08T00:00:00Z", files: {a: "2"}}
          - {date: "2026-01-10T00:00:00Z", files: {a: "3"}, tags: [{name: v1.0.0, message: r}]}
          - {date: "2026-01-20T00:00:00Z", files: {a: "4"}}
          - {date: "2026-01-25T00:00:00Z", branch: hotfix, files: {a: "4h"}, tags: [{name: v1.0.1, message: r}]}
          - {date: "2026-02-01T00:00:00Z", branch: main, files: {a: "5"}, tags: [{name: v1.1.0, message: r}]}
          - {date: "2026-02-10T00:00:00Z", files: {a: "6"}, tags: [{name: v1.1.1, message: r}, nightly-7]}
          - {date: "2026-02-20T00:00:00Z", files: {a: "7"}, tags: [{name: v1.2.0-rc.1, message: r}]}
          - {date: "2026-03-01T00:00:00Z", files: {a: "8"}}
        """)
    let estate = try adopt([made.path], through: "2026-03-31")
    let delivery = try XCTUnwrap(estate.repositories.first?.delivery)
    // Semver releases only (not nightly-7, not the release candidate).
    XCTAssertEqual(delivery.releases, 4)
    // v1.0.1 (hotfix, off the default branch) and v1.1.1 bump a patch; v1.0.0 is first, v1.1.0 a minor.
    XCTAssertEqual(delivery.patchReleases, 2)
    XCTAssertEqual(delivery.patchShare, 0.5)
    // Days to the first release containing each first-parent commit: 01-01 → v1.0.0 9, 01-08 → 2,
    // 01-10 → 0, 01-20 → the hotfix v1.0.1 (01-25) 5, 02-01 → 0, 02-10 → 0. Sorted 0 0 0 2 5 9.
    XCTAssertEqual(delivery.leadTimes, [0, 0, 0, 2, 5, 9])
    XCTAssertEqual(delivery.leadTimeMedian, 1.0)
    XCTAssertEqual(try XCTUnwrap(delivery.leadTimeP90), 7.0, accuracy: 1e-9, "between 5 and 9, half way")
    XCTAssertEqual(delivery.unreleasedCommits, 2, "02-20 (a release candidate is no release) and 03-01")
    XCTAssertEqual(delivery.lastRelease, "v1.1.1")
    XCTAssertEqual(delivery.daysSinceLastRelease, 50, "02-10 to the end of 03-31")
    // 4 releases over 90 days (2026-01-01 to the end of 2026-03-31).
    XCTAssertEqual(delivery.releasesPerMonth, 4 / (90 / 30.436875), accuracy: 1e-9)
    // The estate pools commits and sums counts.
    let quiet = try folder.repository("quiet", yaml: "commits:\n  - {date: 2026-01-05, files: {a: x}}")
    let both = try adopt([made.path, quiet.path], through: "2026-03-31").delivery
    XCTAssertEqual(both.releases, 4)
    XCTAssertEqual(both.unreleasedCommits, 3)
    XCTAssertEqual(both.leadTimes, [0, 0, 0, 2, 5, 9])
    XCTAssertEqual(both.daysSinceLastRelease, 50, "the median over repositories that released")
    XCTAssertEqual(both.lastRelease, "api v1.1.1")
    // An even count of releasing repositories: the median falls between 50 and 45 days (02-15 to 03-31's end).
    let web = try folder.repository(
      "web", yaml: "commits:\n  - {date: 2026-02-15, files: {a: x}, tags: [{name: v2.0.0, message: r}]}\n")
    let three = try adopt([made.path, quiet.path, web.path], through: "2026-03-31")
    XCTAssertEqual(three.delivery.daysSinceLastRelease, 47.5)
    let report = AdoptionReport(
      estate: three, run: RunInfo(policyHash: "h", pack: "default", revision: nil), since: "2026-01-01", every: .month,
      generated: "2026-03-31", rules: [:])
    let json = report.json().serialized()
    XCTAssertTrue(json.contains("\"days_since_last_release\":47.5"), json)
    XCTAssertTrue(json.contains("\"days_since_last_release\":45,"), "a repository's days stay whole: \(json)")
  }

  func testMaturityLevelsAndDistribution() throws {
    let folder = TemporaryFolder()
    let gold = try folder.repository("gold", yaml: "files: {CODEOWNERS: \"* @a\\n\", README.md: x}")
    let bronze = try folder.repository(
      "bronze", yaml: "files: {CODEOWNERS: \"* @a\\n\", README.md: x}\ntags: [{name: release-candidate, message: r}]")
    let none = try folder.repository("none", yaml: "files: {README.md: x}")
    let estate = try adopt([gold.path, bronze.path, none.path], since: "2026-01-01", through: "2026-01-31")
    XCTAssertEqual(estate.levels.map(\.name), ["bronze", "silver", "gold"])
    XCTAssertEqual(estate.repositories.map(\.maturity), ["gold", "bronze", nil])
    XCTAssertEqual(
      estate.maturity.map { "\($0.level)=\($0.repositories)" }, ["none=1", "bronze=1", "silver=0", "gold=1"])
    // Silver needs bronze: failing a bronze rule caps the level even when silver's rules pass.
    let levels = estate.levels
    XCTAssertEqual(MaturityLevels.level(failingRules: ["runbook/missing"], levels: levels), nil)
    XCTAssertEqual(MaturityLevels.level(failingRules: ["tags/not-semver"], levels: levels), "bronze")
    XCTAssertEqual(MaturityLevels.level(failingRules: ["tags/lightweight"], levels: levels), "silver")
  }

  func testPackLevelsMustNameKnownRules() throws {
    var packs = Dictionary(uniqueKeysWithValues: sharedCatalog.packNames.map { ($0, sharedCatalog.packText($0)!) })
    packs["default"]! += "\n  - {name: platinum, rules: [ownership/no-such-rule]}\n"
    let catalog = RuleCatalog(directory: sharedCatalog.directory, rules: sharedCatalog.rules, packs: packs)
    XCTAssertThrowsError(try PolicyLoader(catalog: catalog).estatePolicy(configText: nil, file: "plumb.yml")) {
      error in
      let message = (error as? ConfigError)?.description ?? "\(error)"
      XCTAssertTrue(message.contains("rules/packs/default.yml"), message)
      XCTAssertTrue(message.contains("unknown rule 'ownership/no-such-rule'"), message)
    }
    packs["default"] = sharedCatalog.packText("default")! + "\n  - {name: bronze, rules: [runbook/missing]}\n"
    let twice = RuleCatalog(directory: sharedCatalog.directory, rules: sharedCatalog.rules, packs: packs)
    XCTAssertThrowsError(try PolicyLoader(catalog: twice).estatePolicy(configText: nil, file: "plumb.yml"))
    let minimal = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: "extends: minimal", file: "p")
    XCTAssertEqual(minimal.levels.map(\.name), ["bronze", "silver"])
    let repositoryLevels = PolicyLoader(catalog: sharedCatalog).repositoryPolicy(
      "levels: []\n", file: ".plumb.yml", estate: minimal)
    XCTAssertEqual(repositoryLevels.0.levels, minimal.levels, "a repository cannot change the levels")
    XCTAssertFalse(repositoryLevels.1.isEmpty)
  }

  func testUnreadableRepositoryIsAnErrorAndOthersAreStillReported() throws {
    let folder = TemporaryFolder()
    let ok = try folder.repository("ok", yaml: "files: {README.md: x}")
    let empty = try folder.repository("empty", yaml: "commits: []")
    let estate = try adopt([ok.path, empty.path])
    XCTAssertNil(estate.repositories[0].error)
    XCTAssertNotNil(estate.repositories[1].error)
    XCTAssertEqual(estate.series.last?.repositories, 1)
    XCTAssertEqual(estate.maturity.reduce(0) { $0 + $1.repositories }, 1)
  }
}
