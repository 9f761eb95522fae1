import Estate
import FixtureKit
import Formats
import Foundation
import GitKit
import XCTest

@testable import PlumbCore

/// `template/*` on real estates: a template repository with releases, and consumers that record it.
final class TemplateTests: XCTestCase {
  /// A copier template: v1.0.0, an untagged commit adding renovate.json, v1.1.0, then v2.0.0 in May.
  static let goldenService = """
    commits:
      - message: Golden service
        date: 2026-01-01
        files:
          copier.yml: "_subdirectory: template\\nproject_name: {type: str}\\nteam: {type: str}\\n"
          template/Dockerfile.jinja: "FROM python:3.12\\n"
          template/.github/workflows/ci.yml: "on: push\\n"
          template/CODEOWNERS.jinja: "* @acme/{{ team }}\\n"
          "template/{{ project_name }}/__init__.py": ""
        tags: [{name: v1.0.0, message: First release}]
      - message: Add renovate
        date: 2026-01-15
        files: {template/renovate.json: "{}\\n"}
      - message: Golden v1.1.0
        date: 2026-02-01
        files: {template/Makefile: "all:\\n"}
        tags: [{name: v1.1.0, message: release}]
      - message: Golden v2.0.0
        date: 2026-05-01
        files: {template/Dockerfile.jinja: "FROM python:3.13\\n"}
        tags: [{name: v2.0.0, message: release}]
    """

  /// A consumer generated at `version` holding every file v1.0.0 ships, then the extra commits given.
  static func consumer(_ folder: TemporaryFolder, version: String, then more: String = "") throws
    -> RepositoryLocation
  {
    let made = try folder.repository(
      "billing",
      yaml: """
        commits:
          - message: Generate from golden-service
            date: 2026-01-02
            files:
              .copier-answers.yml: "_commit: \(version)\\n_src_path: gh:acme/golden-service\\nproject_name: billing\\nteam: billing\\n"
              Dockerfile: "FROM python:3.12\\n"
              .github/workflows/ci.yml: "on: push\\n"
              CODEOWNERS: "* @acme/billing\\n"
              billing/__init__.py: ""
        \(more)
        """)
    return RepositoryLocation(path: made.path)
  }

  func estate(_ folder: TemporaryFolder, consumer: RepositoryLocation) throws -> [RepositoryLocation] {
    let golden = try folder.repository("golden-service", yaml: Self.goldenService)
    return [consumer, RepositoryLocation(path: golden.path)]
  }

  func testCopierTagIsBehindInReleasesAndDays() throws {
    let folder = TemporaryFolder()
    let billing = try Self.consumer(folder, version: "v1.0.0")
    let result = try scan(billing.path, estate: try estate(folder, consumer: billing))
    let drift = result.findings(of: "template/drift")
    XCTAssertEqual(drift.count, 1)
    XCTAssertEqual(drift.first?.path, ".copier-answers.yml")
    XCTAssertEqual(drift.first?.line, 1)
    XCTAssertEqual(drift.first?.evidence["releases_behind"], 2)
    XCTAssertEqual(drift.first?.evidence["days_behind"], 120, "2026-01-01 to 2026-05-01")
    XCTAssertEqual(drift.first?.evidence["missing_releases"], JSONValue(["v2.0.0", "v1.1.0"]))
    XCTAssertEqual(
      drift.first?.message,
      ".copier-answers.yml records template golden-service at v1.0.0; the newest release is v2.0.0 (2 releases and 120 days behind)"
    )
    // Every file v1.0.0 ships is there; files added in later releases are not expected yet.
    XCTAssertEqual(result.findings(of: "template/missing-default").map(\.message), [])
  }

  func testTheEstateAsOfADateKnowsOnlyTheReleasesPublishedByThen() throws {
    let folder = TemporaryFolder()
    let billing = try Self.consumer(folder, version: "v1.0.0")
    let knowledge = KnowledgeBuilder.build(try estate(folder, consumer: billing), registryIndex: [:])
    let march = CivilDate(iso: "2026-03-01")!.startSeconds
    let clock = ReleaseClock()
    let then = knowledge.asOf(march, clock: clock)
    let reference = try TemplateReference.parseAnswers(
      "_commit: v1.0.0\n_src_path: gh:acme/golden-service\n", file: ".copier-answers.yml")
    XCTAssertEqual(then.template(for: reference)?.releases.map(\.tag), ["v1.1.0", "v1.0.0"])
    XCTAssertEqual(knowledge.template(for: reference)?.releases.map(\.tag), ["v2.0.0", "v1.1.0", "v1.0.0"])
    let source = ModuleSource.parse("git::https://example.test/acme/golden-service.git?ref=v1.0.0")
    XCTAssertEqual(then.newestRelease(for: source)?.description, "1.1.0")
    XCTAssertEqual(then.releases(for: source).map(\.description), ["1.1.0", "1.0.0"])
    XCTAssertEqual(knowledge.newestRelease(for: source)?.description, "2.0.0")
    // The clock knows the dates looked up: nothing was published in March, v2.0.0 was in May.
    XCTAssertFalse(clock.published(between: march, and: CivilDate(iso: "2026-04-01")!.startSeconds))
    XCTAssertTrue(clock.published(between: march, and: CivilDate(iso: "2026-06-01")!.startSeconds))
  }

  func testDescribeOutputResolvesToItsCommit() throws {
    let folder = TemporaryFolder()
    let golden = try folder.repository("golden-service", yaml: Self.goldenService)
    let renovate = try Repository(at: golden.path).resolveCommit("v1.1.0~1").hex
    let billing = try Self.consumer(folder, version: "v1.0.0-1-g" + renovate.prefix(7))
    let result = try scan(billing.path, estate: [billing, RepositoryLocation(path: golden.path)])
    // The recorded commit already ships renovate.json, so its absence is a finding.
    XCTAssertEqual(result.findings(of: "template/missing-default").map(\.path), ["renovate.json"])
    let drift = try XCTUnwrap(result.findings(of: "template/drift").first)
    XCTAssertEqual(drift.evidence["releases_behind"], 2, "v1.0.0 is contained; v1.1.0 and v2.0.0 are not")
    XCTAssertEqual(drift.evidence["days_behind"], 106, "the commit's date, 2026-01-15, to 2026-05-01")
  }

  func testCruftRecordsAFullCommitIDAndCookiecutterNames() throws {
    let folder = TemporaryFolder()
    let template = try folder.repository(
      "py-template",
      yaml: """
        files:
          cookiecutter.json: '{"project_slug": "demo"}'
          hooks/post_gen_project.py: "print()\\n"
          "{{cookiecutter.project_slug}}/setup.cfg": "[metadata]\\n"
          "{{cookiecutter.project_slug}}/{{ cookiecutter.project_slug }}/__init__.py": ""
          "{{cookiecutter.project_slug}}/{% if cookiecutter.docker %}Dockerfile{% endif %}": "FROM x\\n"
        tags: [v0.3.0]
        """)
    let sha = try Repository(at: template.path).resolveCommit("v0.3.0").hex
    let billing = try folder.repository(
      "billing",
      yaml: """
        files:
          .cruft.json: |
            {
              "template": "https://github.com/acme/py-template",
              "commit": "\(sha)",
              "checkout": null,
              "context": {"cookiecutter": {"project_slug": "billing", "_template": "x"}},
              "directory": null
            }
          setup.cfg: "[metadata]\\n"
        """)
    let result = try scan(billing.path, estate: [RepositoryLocation(path: billing.path), .init(path: template.path)])
    XCTAssertEqual(result.findings(of: "template/missing-default").map(\.path), ["billing/__init__.py"])
    XCTAssertEqual(result.findings(of: "template/missing-default").first?.evidence["layout"], "cookiecutter")
    XCTAssertEqual(result.findings(of: "template/drift").count, 0, "on the only release")
  }

  func testATemplateOutsideTheEstateGivesNoFinding() throws {
    let folder = TemporaryFolder()
    let billing = try Self.consumer(folder, version: "v1.0.0", then: "  - {message: Drop owners, delete: [CODEOWNERS]}")
    let result = try scan(billing.path, estate: [billing])
    XCTAssertEqual(result.findings.filter { $0.rule.hasPrefix("template/") }.map(\.message), [])
  }

  func testMayDeleteAllowsADeletion() throws {
    let folder = TemporaryFolder()
    let billing = try Self.consumer(folder, version: "v1.0.0", then: "  - {message: Drop owners, delete: [CODEOWNERS]}")
    let estate = try estate(folder, consumer: billing)
    let flagged = try scan(billing.path, estate: estate).findings(of: "template/missing-default")
    XCTAssertEqual(flagged.map(\.path), ["CODEOWNERS"])
    XCTAssertEqual(flagged.first?.evidence["version"], "v1.0.0")
    let allowed = try scan(
      billing.path, config: "rules: {template/missing-default: {may-delete: [CODEOWNERS]}}", estate: estate)
    XCTAssertEqual(allowed.findings(of: "template/missing-default").count, 0)
  }

  func testFindingsAreTiedToTheCommitsThatCausedThem() throws {
    let folder = TemporaryFolder()
    let billing = try Self.consumer(
      folder, version: "v1.0.0",
      then: """
          - {message: Drop the CI workflow, date: 2026-02-03, delete: [.github/workflows/ci.yml]}
          - message: Update golden-service to v1.1.0
            date: 2026-02-04
            files: {.copier-answers.yml: "_commit: v1.1.0\\n_src_path: gh:acme/golden-service\\nproject_name: billing\\nteam: billing\\n", renovate.json: "{}\\n", Makefile: "all:\\n"}
          - {message: Unrelated, date: 2026-02-05, files: {NOTES.md: "notes\\n"}}
        """)
    let result = try scan(
      billing.path, config: "rules: {template/drift: {max-releases-behind: 0}}",
      estate: try estate(folder, consumer: billing))
    let missing = result.findings(of: "template/missing-default")
    XCTAssertEqual(missing.map(\.path), [".github/workflows/ci.yml"])
    XCTAssertEqual(missing.first?.commit?.summary, "Drop the CI workflow")
    let drift = result.findings(of: "template/drift")
    XCTAssertEqual(drift.first?.evidence["releases_behind"], 1)
    XCTAssertEqual(drift.first?.commit?.summary, "Update golden-service to v1.1.0", "the commit that wrote _commit")
  }

  func testAnUnknownVersionIsReportedOnceAsDrift() throws {
    let folder = TemporaryFolder()
    let billing = try Self.consumer(folder, version: "v9.9.9", then: "  - {message: Drop owners, delete: [CODEOWNERS]}")
    let result = try scan(billing.path, estate: try estate(folder, consumer: billing))
    let drift = result.findings(of: "template/drift")
    XCTAssertEqual(
      drift.map(\.message),
      [
        ".copier-answers.yml records version v9.9.9 of template golden-service, which golden-service has no tag or commit for"
      ])
    XCTAssertEqual(drift.first?.severity, .note)
    XCTAssertEqual(result.findings(of: "template/missing-default").count, 0, "no version to read default files from")
  }

  func testATemplateRecordedThroughASymbolicLinkIsTheRepositoryTheLinkReaches() throws {
    let folder = TemporaryFolder()
    let golden = try folder.repository("templates/golden", yaml: Self.goldenService)
    let link = folder.path + "/tpl-link"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: golden.path)
    let missing = try missingDefaultsOfAV2Consumer(folder, source: link, golden: golden.path)
    XCTAssertEqual(missing.map(\.path), Self.missingAtV2, "\(missing.map(\.message))")
    XCTAssertEqual(missing.first?.evidence["template"], "golden")
  }

  /// What a consumer generated at v2.0.0 with only a Dockerfile lacks of what the template ships.
  static let missingAtV2 = [
    ".github/workflows/ci.yml", "CODEOWNERS", "Makefile", "billing/__init__.py", "renovate.json",
  ]

  /// The missing-default findings of such a consumer whose answers name the template by `source`.
  func missingDefaultsOfAV2Consumer(_ folder: TemporaryFolder, source: String, golden: String) throws -> [Finding] {
    let made = try folder.repository(
      "billing",
      yaml: """
        files:
          .copier-answers.yml: "_commit: v2.0.0\\n_src_path: \(source)\\nproject_name: billing\\n"
          Dockerfile: "FROM python:3.13\\n"
        """)
    let result = try scan(made.path, estate: [RepositoryLocation(path: made.path), .init(path: golden)])
    return result.findings(of: "template/missing-default")
  }

  func testATemplateIsFoundByItsRemoteURL() throws {
    let folder = TemporaryFolder()
    let golden = try folder.repository("golden", yaml: Self.goldenService)
    try Materializer.run([
      "-C", golden.path, "remote", "add", "origin", "https://git.acme.test/platform/golden-service.git",
    ])
    let missing = try missingDefaultsOfAV2Consumer(
      folder, source: "git@git.acme.test:platform/golden-service.git", golden: golden.path)
    XCTAssertEqual(missing.map(\.path), Self.missingAtV2)
    XCTAssertEqual(missing.first?.evidence["template"], "golden")
  }

  func testATemplateWhoseNameDiscoveryQualifiedIsFoundByTheSourcesLastParts() throws {
    let folder = TemporaryFolder()
    // Two repositories called golden-service; the template is the second in path order.
    try folder.repository("estate/acme/golden-service", yaml: "files: {README.md: \"not a template\\n\"}")
    try folder.repository("estate/labs/golden-service", yaml: Self.goldenService)
    let made = try folder.repository(
      "estate/labs/billing",
      yaml: """
        files:
          .copier-answers.yml: "_commit: v1.0.0\\n_src_path: gh:labs/golden-service\\nproject_name: billing\\n"
        """)
    let (locations, problems) = Discovery.repositories(in: [folder.path + "/estate"])
    XCTAssertEqual(locations.map(\.name), ["acme/golden-service", "billing", "labs/golden-service"])
    XCTAssertEqual(problems.count, 1)
    let drift = try scan(made.path, estate: locations).findings(of: "template/drift")
    XCTAssertEqual(drift.first?.evidence["releases_behind"], 2, "labs/golden-service, by the source's owner and name")
    let knowledge = KnowledgeBuilder.build(locations, registryIndex: [:])
    let source = ModuleSource.parse("git::https://example.test/labs/golden-service.git?ref=v1.0.0")
    XCTAssertEqual(knowledge.newestRelease(for: source)?.description, "2.0.0")
    // Lookups go by path and folder name too, so a repository moved under the same name is another estate for the cache.
    let moved = folder.path + "/estate/moved/golden-service"
    try FileManager.default.createDirectory(atPath: folder.path + "/estate/moved", withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: folder.path + "/estate/labs/golden-service", toPath: moved)
    let renamed = locations.map {
      $0.name == "labs/golden-service" ? RepositoryLocation(path: moved, name: $0.name) : $0
    }
    XCTAssertNotEqual(KnowledgeBuilder.build(renamed, registryIndex: [:]).digest, knowledge.digest)
    // A source naming neither owner still finds a repository by its folder name, as before the names were told apart.
    XCTAssertEqual(
      knowledge.repository(for: ModuleSource.parse("git::https://example.test/golden-service.git"))?.name,
      "acme/golden-service")
  }

  func testABackstageSourceTemplateComparesWithTheNewestRelease() throws {
    let folder = TemporaryFolder()
    let golden = try folder.repository("golden-service", yaml: Self.goldenService)
    let made = try folder.repository(
      "billing",
      yaml: """
        files:
          catalog-info.yaml: |
            kind: Component
            metadata:
              name: billing
              annotations:
                backstage.io/source-template: template:default/golden-service
            spec: {type: library, owner: billing}
          Dockerfile: "FROM python:3.13\\n"
          .github/workflows/ci.yml: "on: push\\n"
          renovate.json: "{}\\n"
        """)
    let result = try scan(made.path, estate: [RepositoryLocation(path: made.path), .init(path: golden.path)])
    // No answers are recorded, so only names without placeholders can be predicted.
    let missing = result.findings(of: "template/missing-default")
    XCTAssertEqual(missing.map(\.path), ["CODEOWNERS", "Makefile"])
    XCTAssertEqual(missing.first?.evidence["version"], "v2.0.0")
    XCTAssertTrue(
      missing.first?.message.hasSuffix("(v2.0.0, its newest release; catalog-info.yaml records no version)") == true,
      missing.first?.message ?? "")
    XCTAssertEqual(result.findings(of: "template/drift").count, 0, "no version recorded, no drift to measure")

    // A template without releases gives no reference when none is recorded: a branch tip is no version.
    let untagged = try folder.repository("scaffold", yaml: "files: {CODEOWNERS: \"* @acme/platform\\n\"}")
    let plain = try folder.repository(
      "orders",
      yaml: """
        files:
          catalog-info.yaml: "metadata: {annotations: {plumb.dev/template: scaffold}}\\n"
        """)
    let alone = try scan(plain.path, estate: [RepositoryLocation(path: plain.path), .init(path: untagged.path)])
    XCTAssertEqual(alone.findings.filter { $0.rule.hasPrefix("template/") }.map(\.message), [])
    let pinned = try folder.repository(
      "payments",
      yaml: """
        files:
          catalog-info.yaml: "metadata: {annotations: {plumb.dev/template: scaffold@main}}\\n"
        """)
    let branch = try scan(pinned.path, estate: [RepositoryLocation(path: pinned.path), .init(path: untagged.path)])
    XCTAssertEqual(branch.findings(of: "template/drift").first?.evidence["resolved"], false, "main is no version")
  }

  func testAnswersThatDoNotParseAreParseErrors() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "billing", yaml: #"files: {.cruft.json: "{\n  \"template\": oops\n}\n", README.md: hi}"#)
    let golden = try folder.repository("golden-service", yaml: Self.goldenService)
    let result = try scan(made.path, estate: [RepositoryLocation(path: made.path), .init(path: golden.path)])
    let problems = result.findings(of: "repo/parse-error")
    XCTAssertEqual(problems.map(\.path), [".cruft.json"])
    XCTAssertEqual(problems.first?.line, 2)
    XCTAssertEqual(result.findings.filter { $0.rule.hasPrefix("template/") }.count, 0)
  }
}
