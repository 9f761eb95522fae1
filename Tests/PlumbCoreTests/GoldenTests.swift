import Estate
import FixtureKit
import Foundation
import Reports
import XCTest

@testable import PlumbCore

/// Whole repositories from `fixtures/demo/` scanned with the demo policy, compared with the JSON in
/// `fixtures/golden/`. Run with UPDATE_GOLDEN=1 to rewrite them, then review the diff.
final class GoldenTests: XCTestCase {
  func testDemoEstateMatchesGoldenOutputs() async throws {
    let root = projectRoot()
    let folder = TemporaryFolder("golden")
    try materializeDemoEstate(into: folder)
    let config = try String(contentsOfFile: root + "/fixtures/demo.plumb.yml", encoding: .utf8)
    let loader = PolicyLoader(catalog: sharedCatalog)
    let policy = try loader.estatePolicy(configText: config, file: "demo.plumb.yml")
    let locations = Discovery.repositories(in: [folder.path]).found.map {
      RepositoryLocation(path: $0.path, displayPath: "estate/" + ($0.path as NSString).lastPathComponent)
    }
    // As `plumb scan` does: what the estate knows (tags, templates) is read before any repository is judged.
    let knowledge = KnowledgeBuilder.build(locations, registryIndex: [:])
    let scanner = RepositoryScanner(
      options: ScanOptions(policy: policy, today: "2026-11-21", knowledge: knowledge), loader: loader)
    let results = await EstateScan(scanner: scanner, jobs: 2).run(locations)
    let specs = try FileManager.default.contentsOfDirectory(atPath: root + "/fixtures/demo").filter {
      $0.hasSuffix(".yml")
    }
    XCTAssertEqual(results.count, specs.count)
    for result in results {
      let actual = JSONReport.repository(result).serialized(indent: 2) + "\n"
      let goldenPath = root + "/fixtures/golden/\(result.name).json"
      if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try actual.write(toFile: goldenPath, atomically: true, encoding: .utf8)
        continue
      }
      let expected = try String(contentsOfFile: goldenPath, encoding: .utf8)
      XCTAssertEqual(actual, expected, "\(result.name) differs from \(goldenPath)")
    }
  }

  func testJSONDocumentHasTheContractShape() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("payments-api", yaml: "files: {README.md: hi}")
    let result = try scan(repo.path)
    let document = JSONReport.document([result], run: RunInfo(policyHash: "abc", pack: "default", revision: nil))
    let parsed = try JSONSerialization.jsonObject(with: Data(document.serialized(indent: 2).utf8)) as! [String: Any]
    XCTAssertEqual(parsed["schema"] as? String, "plumb/findings@1")
    XCTAssertEqual((parsed["tool"] as? [String: Any])?["name"] as? String, "plumb")
    let repositories = try XCTUnwrap(parsed["repositories"] as? [[String: Any]])
    XCTAssertEqual(Set(repositories[0].keys), ["path", "name", "head", "ref", "status", "findings"])
    XCTAssertEqual(repositories[0]["name"] as? String, "payments-api")
    XCTAssertEqual((repositories[0]["head"] as? String)?.count, 40)
    XCTAssertEqual(repositories[0]["ref"] as? String, "refs/heads/main")
    let finding = try XCTUnwrap((repositories[0]["findings"] as? [[String: Any]])?.first)
    XCTAssertEqual(
      Set(finding.keys), ["rule", "severity", "message", "path", "line", "fingerprint", "commit", "evidence"])
    let commit = try XCTUnwrap(finding["commit"] as? [String: Any])
    XCTAssertEqual(Set(commit.keys), ["sha", "author", "email", "time", "summary"])
    XCTAssertTrue(finding["path"] is NSNull)
    let summary = try XCTUnwrap(parsed["summary"] as? [String: Any])
    XCTAssertEqual(summary["repositories"] as? Int, 1)
    XCTAssertEqual((summary["by_rule"] as? [String: Int])?["ownership/codeowners-missing"], 1)
    XCTAssertEqual((summary["by_severity"] as? [String: Int])?["error"], 1)
  }

  func testFingerprintsIgnoreLinesAndCommits() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        commits:
          - files: {CODEOWNERS: "* @a\\n/gone/ @b\\n"}
          - files: {CODEOWNERS: "# moved down by a comment\\n* @a\\n/gone/ @b\\n", README.md: changed}
        """)
    let before = try scan(repo.path, revision: "HEAD~1").findings(of: "ownership/pattern-matches-nothing")
    let after = try scan(repo.path).findings(of: "ownership/pattern-matches-nothing")
    XCTAssertEqual(before.map(\.line), [2])
    XCTAssertEqual(after.map(\.line), [3])
    XCTAssertEqual(before.map(\.fingerprint), after.map(\.fingerprint))
  }

  /// The byte-level shortcuts give the fingerprints the general rule gives: whitespace runs become one
  /// space, none at the ends, and the digest is lowercase hex.
  func testFingerprintSubjectsAreNormalisedLikeSplittingOnWhitespace() {
    let subjects = [
      "", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\r\nb", "  ", "tags/v1.2.3", "é b", "a\u{00A0}b",
      "a \u{2003} b", "x\u{301} y",
    ]
    for subject in subjects {
      XCTAssertEqual(
        Fingerprint.normalized(subject), subject.split(whereSeparator: \.isWhitespace).joined(separator: " "),
        subject.debugDescription)
    }
    XCTAssertEqual(Fingerprint.hex([0x00, 0x0F, 0xA0, 0xFF]), "000fa0ff")
    XCTAssertEqual(
      Fingerprint.make(rule: "r", repository: "svc", path: nil, subject: "a  b"),
      Fingerprint.make(rule: "r", repository: "svc", path: nil, subject: "a b"))
  }
}
