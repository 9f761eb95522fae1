import Estate
import FixtureKit
import Formats
import Foundation
import Reports
import XCTest

@testable import PlumbCore

/// Pins judged against the rest of the estate: the module's own repository answers what a ref is.
final class PinsTests: XCTestCase {
  /// A module repository with release tags and a branch, and a consumer that uses it three ways.
  func makeEstate(_ folder: TemporaryFolder) throws -> [RepositoryLocation] {
    try folder.repository(
      "tf-modules",
      yaml: """
        commits:
          - files: {rds/main.tf: "variable \\"name\\" {}\\n"}
            tags: [v1.0.0, {name: v1.4.0, message: release}]
          - branch: feature-x
            files: {rds/extra.tf: "# wip\\n"}
          - branch: main
            files: {rds/main.tf: "variable \\"name\\" {}\\nvariable \\"size\\" {}\\n"}
            tags: [{name: v2.1.0, message: release}]
        """)
    try Materializer.run([
      "-C", folder.path + "/tf-modules", "remote", "add", "origin", "https://git.acme.test/platform/tf-modules.git",
    ])
    try folder.repository(
      "payments",
      yaml: """
        files:
          infra/main.tf: |
            module "db" {
              source = "git::https://git.acme.test/platform/tf-modules.git//rds?ref=v1.4.0"
            }
            module "cache" {
              source = "git::ssh://git@git.acme.test/platform/tf-modules.git//rds?ref=feature-x"
            }
            module "typo" {
              source = "git::https://git.acme.test/platform/tf-modules.git//rds?ref=v1.4.1"
            }
            module "newest" {
              source = "git::https://git.acme.test/platform/tf-modules.git//rds?ref=refs/tags/v2.1.0"
            }
            module "local" {
              source = "./modules/app"
            }
          Dockerfile: "FROM alpine:3.20\\nFROM ubuntu\\n"
          .github/workflows/ci.yml: "on: push\\njobs:\\n  b:\\n    runs-on: x\\n    steps:\\n      - uses: actions/checkout@v4\\n"
        """)
    return Discovery.repositories(in: [folder.path]).found
  }

  func testRefsAreResolvedAgainstTheModuleRepositoryInTheEstate() throws {
    let folder = TemporaryFolder()
    let estate = try makeEstate(folder)
    let consumer = try XCTUnwrap(estate.first { $0.name == "payments" })
    let result = try scan(consumer.path, estate: estate)
    let branch = result.findings(of: "pins/module-branch-ref")
    XCTAssertEqual(branch.count, 2, branch.map(\.message).joined(separator: "\n"))
    XCTAssertTrue(branch.contains { $0.message.contains("feature-x, which is a branch of tf-modules") })
    XCTAssertTrue(branch.contains { $0.message.contains("v1.4.1, which is no tag of tf-modules") })
    let outdated = result.findings(of: "pins/module-outdated")
    XCTAssertEqual(outdated.map(\.line), [2], "only the v1.4.0 pin is behind v2.1.0")
    XCTAssertEqual(outdated.first?.evidence["majors_behind"], 1)
    XCTAssertEqual(result.findings(of: "pins/module-unpinned").count, 0)

    // Without the module repository in the estate, a version-like ref counts as pinned and a word as a branch.
    let alone = try scan(consumer.path)
    XCTAssertEqual(alone.findings(of: "pins/module-branch-ref").count, 1)
    XCTAssertEqual(alone.findings(of: "pins/module-outdated").count, 0)
  }

  func testARegistryIndexMayDateVersionsAndAdoptionSeesOnlyThoseOutByThen() throws {
    let text = """
      terraform-aws-modules/vpc/aws: [5.1.2, {version: 5.8.1, published: 2026-02-10}, {version: "6.0.0", published: 2026-05-04}]
      app.terraform.io/acme/network/aws: ["2.1.0"]
      """
    let (versions, published) = try RegistryIndex.parseWithDates(text, file: "registry-index.yml")
    XCTAssertEqual(
      versions["registry.terraform.io/terraform-aws-modules/vpc/aws"]?.map(\.description), ["5.1.2", "5.8.1", "6.0.0"])
    XCTAssertEqual(published["registry.terraform.io/terraform-aws-modules/vpc/aws"]?.count, 2)
    XCTAssertEqual(try RegistryIndex.parse(text, file: "registry-index.yml"), versions)
    XCTAssertThrowsError(try RegistryIndex.parse("a/b/c: [{version: 1.0.0, published: soon}]\n", file: "r.yml")) {
      XCTAssertTrue("\($0)".contains("'soon' is not a day"), "\($0)")
    }

    let knowledge = EstateKnowledge(repositories: [], registryIndex: versions, registryPublished: published)
    let source = ModuleSource.parse("terraform-aws-modules/vpc/aws")
    let clock = ReleaseClock()
    let march = knowledge.asOf(CivilDate(iso: "2026-03-01")!.startSeconds, clock: clock)
    XCTAssertEqual(march.newestRelease(for: source)?.description, "5.8.1")
    XCTAssertEqual(march.releases(for: source).map(\.description), ["5.1.2", "5.8.1"], "an undated version counts")
    XCTAssertEqual(knowledge.newestRelease(for: source)?.description, "6.0.0")
    XCTAssertTrue(
      clock.published(
        between: CivilDate(iso: "2026-04-30")!.startSeconds, and: CivilDate(iso: "2026-05-31")!.startSeconds))
    XCTAssertFalse(
      clock.published(
        between: CivilDate(iso: "2026-03-01")!.startSeconds, and: CivilDate(iso: "2026-04-30")!.startSeconds))
  }

  func testInventoryAndRollup() async throws {
    let folder = TemporaryFolder()
    let estate = try makeEstate(folder)
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: nil, file: "plumb.yml")
    let knowledge = KnowledgeBuilder.build(estate, registryIndex: [:])
    let cache = ParseCache()
    let repositories = await EstateScan.map(estate, jobs: 2) { location in
      PinInventoryReport.repositoryPins(location, revision: nil, policy: policy, knowledge: knowledge, cache: cache)
    }
    let report = PinInventoryReport(repositories, knowledge: knowledge)
    XCTAssertEqual(report.rows.filter { $0.pin.kind == .module }.count, 5)
    XCTAssertEqual(report.rows.filter { $0.pin.kind == .image }.count, 2)
    XCTAssertEqual(report.rows.filter { $0.pin.kind == .action }.count, 1)
    let local = try XCTUnwrap(report.rows.first { $0.pin.name == "local" })
    XCTAssertEqual(local.status, ["local"])
    let cache2 = try XCTUnwrap(report.rows.first { $0.pin.name == "cache" })
    XCTAssertEqual(cache2.status, ["branch-ref"])
    let rds = try XCTUnwrap(report.rollups.first { $0.source == "git.acme.test/platform/tf-modules//rds" })
    XCTAssertEqual(rds.newest, "2.1.0")
    XCTAssertEqual(rds.consumers, ["payments"])
    XCTAssertEqual(rds.consumersBehindMajor, ["payments"])
    XCTAssertEqual(rds.versions.map(\.pins).reduce(0, +), 4)

    let csv = PinsReport.csv(report)
    XCTAssertTrue(csv.hasPrefix("kind,source,version,ref,status,repository,path,line\n"))
    XCTAssertEqual(csv.split(separator: "\n").count, 1 + report.rows.count)
    XCTAssertTrue(PinsReport.markdown(report).contains("| module | git.acme.test/platform/tf-modules//rds |"))
    let json = PinsReport.json(report)
    XCTAssertEqual(json["pins"]?.arrayValue?.count, report.rows.count)
    XCTAssertTrue(PinsReport.table(report).contains("behind a major"))
  }

  /// The roll-up's "behind a major" is the release each constraint gets, as pins/module-outdated judges it, and
  /// drift is not counted as a pin breaking policy.
  func testRollupJudgesConstraintsByTheReleaseTheyGet() async throws {
    let folder = TemporaryFolder()
    let constraints = ["tilde": "~> 2.0", "atleast": ">= 1.0", "newest": "3.0.1", "exact": "2.5.0"]
    var estate: [RepositoryLocation] = []
    for (name, constraint) in constraints.sorted(by: { $0.key < $1.key }) {
      let terraform =
        "module \\\"net\\\" {\\n  source  = \\\"acme/net/aws\\\"\\n  version = \\\"\(constraint)\\\"\\n}\\n"
      let made = try folder.repository(name, yaml: "commits:\n  - files: {main.tf: \"\(terraform)\"}\n")
      estate.append(RepositoryLocation(path: made.path))
    }
    let index = try RegistryIndex.parse("acme/net/aws: [1.0.0, 2.5.0, 3.0.1]\n", file: "registry-index.yml")
    let knowledge = EstateKnowledge(repositories: [], registryIndex: index)
    let policy = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: nil, file: "plumb.yml")
    let cache = ParseCache()
    let repositories = await EstateScan.map(estate, jobs: 2) { location in
      PinInventoryReport.repositoryPins(location, revision: nil, policy: policy, knowledge: knowledge, cache: cache)
    }
    let report = PinInventoryReport(repositories, knowledge: knowledge)
    XCTAssertEqual(report.rows.count, 4)
    let rollup = try XCTUnwrap(report.rollups.first)
    XCTAssertEqual(rollup.newest, "3.0.1")
    XCTAssertEqual(rollup.consumersBehindMajor, ["exact", "tilde"], ">= 1.0 gets 3.0.1")
    let outdated = report.rows.filter { $0.status.contains("outdated") }.map(\.repository).sorted()
    XCTAssertEqual(outdated, ["exact", "tilde"], "the rule and the roll-up agree")
    // ">= 1.0" is loose by the default policy (a problem); 2.5.0, behind but exact, is drift and no problem.
    XCTAssertTrue(
      PinsReport.markdown(report).contains(
        "4 pins in 4 repositories, 1 not pinned as policy says, 2 behind the newest"),
      PinsReport.markdown(report))
  }

  func testHCLSyntaxErrorsAreParseErrorsAndTheRestIsScanned() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "broken",
      yaml: """
        files:
          bad.tf: "module \\"x\\" {\\n  source = \\"a/b/c\\"\\n"
          good.tf: "module \\"vpc\\" {\\n  source = \\"terraform-aws-modules/vpc/aws\\"\\n}\\n"
          .github/workflows/ci.yml: "jobs: [\\n"
        """)
    let result = try scan(repo.path)
    let parseErrors = result.findings(of: "repo/parse-error")
    XCTAssertEqual(Set(parseErrors.compactMap(\.path)), ["bad.tf", ".github/workflows/ci.yml"])
    XCTAssertNotNil(parseErrors.first { $0.path == "bad.tf" }?.line)
    XCTAssertEqual(result.findings(of: "pins/module-unpinned").map(\.path), ["good.tf"])
  }
}
