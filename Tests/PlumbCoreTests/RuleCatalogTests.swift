import FixtureKit
import Foundation
import XCTest
import Yams

@testable import PlumbCore

final class RuleCatalogTests: XCTestCase {
  func testEveryRuleInCodeHasAFileAndEveryFileARule() {
    let documented = Set(sharedCatalog.rules.map(\.id))
    let implemented = Set(RuleRegistry.ids)
    XCTAssertEqual(implemented.subtracting(documented), [], "rules in code with no file in rules/")
    XCTAssertEqual(documented.subtracting(implemented), [], "files in rules/ with no rule in code")
    XCTAssertEqual(RuleRegistry.ids.count, implemented.count, "duplicate rule ids in the registry")
  }

  func testRuleFilesLiveWhereTheirIdSays() {
    for rule in sharedCatalog.rules {
      XCTAssertEqual(rule.file, rule.id + ".yml", "one rule, one file, named after its id")
      XCTAssertFalse(rule.summary.isEmpty, rule.id)
      XCTAssertFalse(rule.rationale.isEmpty, rule.id)
    }
  }

  func testHeadersAreReadAsTheDefaultYAMLResolverReadsThem() throws {
    var typedDefaults = 0
    for rule in sharedCatalog.rules {
      let map = try XCTUnwrap(try Yams.compose(yaml: rule.text)?.mapping, rule.id)
      XCTAssertEqual(map["id"]?.string, rule.id)
      XCTAssertEqual(map["severity"]?.string, rule.severity.rawValue, rule.id)
      XCTAssertEqual(map["summary"]?.string ?? "", rule.summary, rule.id)
      var walker = NodeWalker(file: rule.file)
      for (key, value) in map["parameters"]?.mapping ?? [:] {
        let name = try XCTUnwrap(key.string)
        let expected = try walker.json(value.mapping?["default"] ?? Node("null"))
        XCTAssertEqual(rule.parameters[name], expected, "\(rule.id): \(name)")
        if case .string = expected {} else { typedDefaults += 1 }
      }
      XCTAssertEqual(rule.parameters.count, map["parameters"]?.mapping?.count ?? 0, rule.id)
    }
    XCTAssertGreaterThan(typedDefaults, 3, "numbers, booleans and lists among the defaults are compared too")
  }

  func testDefaultsAreTypedAsTheDefaultYAMLResolverTypesThem() throws {
    let scalars = [
      "yes", "No", "on", "OFF", "true", "0", "-3", "+4", "007", "08", "0x1F", "0b101", "1_000", "1:30", "1.5", ".5",
      "-.inf", ".nan", "~", "null", "NULL", "2026-01-01", "=", "<<", "bounded", "v1.2", "9223372036854775808",
      "'quoted 5'", "[1, yes, x]", "{a: 1, b: off}",
    ]
    for scalar in scalars {
      let yaml = "default: \(scalar)\n"
      let fast = try XCTUnwrap(try Yams.compose(yaml: yaml, .basic)?.mapping?["default"])
      let slow = try XCTUnwrap(try Yams.compose(yaml: yaml)?.mapping?["default"])
      var walker = NodeWalker(file: "test")
      XCTAssertEqual(try RuleCatalog.defaultValue(fast, walker: &walker), try walker.json(slow), scalar)
    }
  }

  func testEveryPackNamesEveryRuleAndLoads() throws {
    let loader = PolicyLoader(catalog: sharedCatalog)
    XCTAssertEqual(sharedCatalog.packNames, ["default", "minimal", "strict"])
    for name in sharedCatalog.packNames {
      let text = try XCTUnwrap(sharedCatalog.packText(name))
      for id in RuleRegistry.ids { XCTAssertTrue(text.contains(id + ":"), "pack \(name) does not name \(id)") }
      let pack = try loader.pack(name, file: "test", line: nil)
      // Maturity levels: lowest first, each rule of a level on in its pack (an off rule could never fail it).
      XCTAssertFalse(pack.levels.isEmpty, "pack \(name) has no maturity levels")
      XCTAssertEqual(Set(pack.levels.map(\.name)).count, pack.levels.count, "pack \(name) repeats a level")
      for level in pack.levels {
        for id in level.rules { XCTAssertTrue(pack.isEnabled(id), "pack \(name) level \(level.name): \(id) is off") }
      }
      let listed = pack.levels.flatMap(\.rules)
      XCTAssertEqual(Set(listed).count, listed.count, "pack \(name) lists a rule in two levels")
    }
    XCTAssertEqual(
      try loader.pack("default", file: "test", line: nil).levels.map(\.name), ["bronze", "silver", "gold"])
    let strict = try loader.pack("strict", file: "test", line: nil)
    XCTAssertEqual(strict.rules["runbook/missing-section"]?.severity, .error)
    let minimal = try loader.pack("minimal", file: "test", line: nil)
    XCTAssertFalse(minimal.isEnabled("ownership/unowned-files"))
    XCTAssertTrue(minimal.isEnabled("ownership/codeowners-missing"))
  }

  func testStarterConfigIsValidAndMentionsEveryRule() throws {
    let text = StarterConfig.text(catalog: sharedCatalog)
    for id in RuleRegistry.ids { XCTAssertTrue(text.contains(id), id) }
    let policy = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: text, file: "plumb.yml")
    XCTAssertEqual(policy.pack, "default")
    XCTAssertTrue(policy.isEnabled("runbook/missing"))
  }

  /// SARIF help links point at README anchors: every rule needs its heading there.
  func testReadmeHasAHeadingPerRule() throws {
    let readme = try String(contentsOfFile: projectRoot() + "/README.md", encoding: .utf8)
    for id in RuleRegistry.ids { XCTAssertTrue(readme.contains("\n### \(id)\n"), "README lacks a heading for \(id)") }
  }
}
