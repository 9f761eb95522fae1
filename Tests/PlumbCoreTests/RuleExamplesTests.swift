import FixtureKit
import Foundation
import XCTest
import Yams

@testable import PlumbCore

/// Every example of every rule file is a test: triggering examples must fire where the ↓ markers
/// say, non-triggering ones must not fire at all.
final class RuleExamplesTests: XCTestCase {
  func testEveryRuleExample() throws {
    let folder = TemporaryFolder("examples")
    var ran = 0
    for doc in sharedCatalog.rules {
      guard let root = try Yams.compose(yaml: doc.text)?.mapping, let examples = root["examples"]?.mapping else {
        XCTFail("\(doc.file): no examples")
        continue
      }
      let triggering = examples["triggering"]?.sequence ?? []
      let quiet = examples["non-triggering"]?.sequence ?? []
      XCTAssertFalse(triggering.isEmpty, "\(doc.id) needs at least one triggering example")
      XCTAssertFalse(quiet.isEmpty, "\(doc.id) needs at least one non-triggering example")
      for (index, example) in (triggering.map { ($0, true) } + quiet.map { ($0, false) }).enumerated() {
        try run(doc: doc, example: example.0, mustTrigger: example.1, folder: folder, index: index)
        ran += 1
      }
    }
    XCTAssertGreaterThan(ran, 2 * sharedCatalog.rules.count)
  }

  func run(doc: RuleDoc, example: Node, mustTrigger: Bool, folder: TemporaryFolder, index: Int) throws {
    guard let map = example.mapping, let repositoryNode = map["repository"] else {
      return XCTFail("\(doc.id) example \(index): needs a repository")
    }
    let label = "\(doc.id) — \(map["name"]?.string ?? "example \(index)")"
    let spec = try RepositorySpec.parse(node: repositoryNode)
    let base = folder.path + "/\(doc.id.replacingOccurrences(of: "/", with: "_"))-\(index)"
    let made = try Materializer.materialize(spec, at: base)
    // `estate:` names other repositories (a template, a module) materialised beside the scanned one.
    var estate: [RepositoryLocation] = []
    for entry in map["estate"]?.sequence ?? [] {
      guard let name = entry.mapping?["name"]?.string, let other = entry.mapping?["repository"] else {
        return XCTFail("\(label): an estate entry needs a name and a repository")
      }
      let neighbour = try Materializer.materialize(try RepositorySpec.parse(node: other), at: base + "-estate/" + name)
      estate.append(RepositoryLocation(path: neighbour.path))
    }
    let config = try map["config"].map { try Yams.serialize(node: $0) }
    // `recorded-tags` stands for what a previous run wrote to the store: tag → object id, where
    // `commit:N` names the Nth commit of the example (so a spec can say "it used to point at the first").
    var recorded: [String: String]? = nil
    if let tags = map["recorded-tags"]?.mapping {
      recorded = [:]
      for (key, value) in tags {
        guard let name = key.string, let target = value.string else { continue }
        if target.hasPrefix("commit:"), let number = Int(target.dropFirst(7)) {
          recorded?[name] = try Materializer.run(["-C", made.path, "rev-list", "--reverse", "HEAD"])
            .split(separator: "\n").map(String.init)[number - 1]
        } else {
          recorded?[name] = target
        }
      }
    }
    let result = try scan(
      made.path, config: config, estate: estate.isEmpty ? [] : [RepositoryLocation(path: made.path)] + estate,
      recordedTags: recorded)
    XCTAssertEqual(result.status, .ok, "\(label): \(result.error ?? "")")
    let findings = result.findings(of: doc.id)
    guard mustTrigger else {
      return XCTAssertEqual(findings.map(\.message), [], "\(label): must not trigger")
    }
    XCTAssertFalse(findings.isEmpty, "\(label): must trigger; all findings: \(result.findings.map(\.rule))")
    let expected = Set(made.markers.map { "\($0.path):\($0.line)" })
    if !expected.isEmpty {
      let actual = Set(findings.compactMap { finding in finding.line.map { "\(finding.path ?? ""):\($0)" } })
      XCTAssertEqual(actual, expected, "\(label): findings must point at the ↓ markers (\(findings.map(\.message)))")
    }
    if let expect = map["expect"]?.mapping {
      if let path = expect["path"]?.string { XCTAssertEqual(Set(findings.map { $0.path ?? "" }), [path], label) }
      if let count = expect["count"]?.int { XCTAssertEqual(findings.count, count, label) }
      if let summary = expect["commit"]?.string {
        XCTAssertEqual(
          findings.map { $0.commit?.summary ?? "" }, findings.map { _ in summary }, "\(label): attribution")
      }
    }
    for finding in findings {
      XCTAssertEqual(finding.severity, doc.severity, "\(label): default severity")
      XCTAssertEqual(finding.fingerprint.count, 32, label)
      if !doc.id.hasPrefix("waiver/") || finding.line != nil {
        XCTAssertEqual(finding.commit?.sha.count, 40, "\(label): every finding is tied to a commit")
      }
    }
  }
}
