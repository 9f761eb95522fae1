import FixtureKit
import XCTest

@testable import PlumbCore

final class PolicyTests: XCTestCase {
  let loader = PolicyLoader(catalog: sharedCatalog)

  func assertConfigError(
    _ text: String, line: Int?, contains fragment: String, file: StaticString = #filePath, at: UInt = #line
  ) {
    XCTAssertThrowsError(try loader.estatePolicy(configText: text, file: "plumb.yml"), file: file, line: at) { error in
      guard let error = error as? ConfigError else {
        return XCTFail("not a ConfigError: \(error)", file: file, line: at)
      }
      XCTAssertEqual(error.file, "plumb.yml", file: file, line: at)
      XCTAssertEqual(error.line, line, "\(error)", file: file, line: at)
      XCTAssertTrue(error.message.contains(fragment), "\(error.message)", file: file, line: at)
    }
  }

  func testSeverityParametersOffAndLocked() throws {
    let policy = try loader.estatePolicy(
      configText: """
        extends: strict
        rules:
          ownership/unowned-files: {severity: note, ignore: ["vendor/**"], locked: true}
          runbook/missing-section: {sections: [rollback, dashboards]}
          waiver/unused: off
        service: {catalog-types: [service], markers: [Procfile]}
        runbook: {locations: [OPERATIONS.md]}
        """, file: "plumb.yml")
    XCTAssertEqual(policy.pack, "strict")
    XCTAssertEqual(policy.rules["ownership/unowned-files"]?.severity, .note)
    XCTAssertEqual(policy.rules["ownership/unowned-files"]?.locked, true)
    XCTAssertEqual(policy.rules["ownership/unowned-files"]?.strings("ignore"), ["vendor/**"])
    XCTAssertEqual(policy.rules["runbook/missing-section"]?.strings("sections"), ["rollback", "dashboards"])
    XCTAssertEqual(policy.rules["runbook/missing-section"]?.severity, .error, "strict pack's severity is kept")
    XCTAssertFalse(policy.isEnabled("waiver/unused"))
    XCTAssertEqual(policy.service.markers, ["Procfile"])
    XCTAssertEqual(policy.runbook.locations, ["OPERATIONS.md"])
    XCTAssertNotEqual(policy.hash, try loader.estatePolicy(configText: nil, file: "x").hash)
    XCTAssertEqual(
      policy.hash,
      try loader.estatePolicy(
        configText:
          "extends: strict\nrules:\n  ownership/unowned-files: {severity: note, ignore: [\"vendor/**\"], locked: true}\n  runbook/missing-section: {sections: [rollback, dashboards]}\n  waiver/unused: off\nservice: {catalog-types: [service], markers: [Procfile]}\nrunbook: {locations: [OPERATIONS.md]}\n",
        file: "y"
      ).hash)
  }

  func testInvalidConfigsNameFileLineAndReason() {
    assertConfigError("extends: nope\n", line: 1, contains: "unknown pack 'nope'")
    assertConfigError("rules:\n  ownership/typo: off\n", line: 2, contains: "unknown rule 'ownership/typo'")
    assertConfigError(
      "rules:\n  runbook/missing-section: {sectoins: [a]}\n", line: 2, contains: "unknown parameter 'sectoins'")
    assertConfigError("rules:\n  runbook/missing: loud\n", line: 2, contains: "expected off, on, error")
    assertConfigError("colour: blue\n", line: 1, contains: "unknown key 'colour'")
    assertConfigError("rules: [\n", line: 2, contains: "not valid YAML")
    assertConfigError(
      "waivers:\n  - rule: runbook/missing\n    expires: 2027-01-01\n", line: 2, contains: "needs an owner")
    assertConfigError("waivers:\n  - rule: runbook/missing\n    owner: me\n", line: 2, contains: "needs an expiry date")
    assertConfigError(
      "waivers:\n  - rule: runbook/missing\n    owner: me\n    expires: soon\n", line: 4, contains: "YYYY-MM-DD")
  }

  func testHostileConfigsAreRefusedNotExpanded() {
    // A "billion laughs" of aliases must be refused by the node budget, not walked for ever.
    var levels = ["&a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in 1...9 {
      levels.append("&a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
    }
    let yaml = "rules:\n  runbook/missing-section: {sections: [\(levels.joined(separator: ", "))]}\n"
    assertConfigError(yaml, line: nil, contains: "too large or too deeply aliased")
    let nested =
      "rules:\n  runbook/missing-section: {sections: " + String(repeating: "[", count: 5000)
      + String(repeating: "]", count: 5000) + "}\n"
    XCTAssertThrowsError(try loader.estatePolicy(configText: nested, file: "plumb.yml"))
    let huge = "rules:\n" + String(repeating: "# padding\n", count: 120_000)
    assertConfigError(huge, line: nil, contains: "larger than 1 MiB")
  }

  func testRepositoryConfigCanTightenButNotUnlock() throws {
    let estate = try loader.estatePolicy(
      configText: "rules:\n  runbook/missing: {locked: true}\n  ownership/unowned-files: warning\n", file: "plumb.yml")
    let (merged, problems) = loader.repositoryPolicy(
      "rules:\n  runbook/missing: off\n  ownership/unowned-files: error\n", file: ".plumb.yml", estate: estate)
    XCTAssertTrue(merged.isEnabled("runbook/missing"), "a locked rule stays on")
    XCTAssertEqual(merged.rules["ownership/unowned-files"]?.severity, .error)
    XCTAssertEqual(problems.count, 1)
    XCTAssertEqual(problems.first?.line, 2)
    XCTAssertTrue(problems.first?.message.contains("locked") ?? false)

    let (unchanged, invalid) = loader.repositoryPolicy("extends: minimal\n", file: ".plumb.yml", estate: estate)
    XCTAssertEqual(unchanged, estate, "an invalid repository config leaves the estate policy in force")
    XCTAssertTrue(invalid.first?.message.contains("unknown key 'extends'") ?? false)
  }

  func testWaiversSuppressUntilTheyExpire() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("billing-core", yaml: "files: {README.md: hi}")
    let config = """
      waivers:
        - rule: ownership/codeowners-missing
          repositories: ["billing-*"]
          owner: team-infra
          expires: 2027-03-31
      """
    let before = try scan(repo.path, config: config, today: "2027-03-31")
    XCTAssertEqual(before.findings(of: "ownership/codeowners-missing").count, 0)
    XCTAssertEqual(before.findings(of: "waiver/expired").count, 0)
    let after = try scan(repo.path, config: config, today: "2027-04-01")
    XCTAssertEqual(after.findings(of: "ownership/codeowners-missing").count, 1)
    let expired = try XCTUnwrap(after.findings(of: "waiver/expired").first)
    XCTAssertTrue(expired.message.contains("team-infra"))
    XCTAssertEqual(expired.evidence["owner"], "team-infra")
    let elsewhere = try folder.repository("payments", yaml: "files: {README.md: hi}")
    XCTAssertEqual(try scan(elsewhere.path, config: config).findings(of: "ownership/codeowners-missing").count, 1)
  }

  func testWaiverPathsMatchFindingPaths() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        files:
          CODEOWNERS: "* @acme/a\\n/gone/ @acme/b\\n/legacy/old/ @acme/c\\n"
          legacy/old/x.txt: "x"
        """)
    let config = """
      waivers:
        - rule: "ownership/*"
          paths: ["CODEOWNERS"]
          owner: team-a
          expires: 2099-01-01
      """
    XCTAssertEqual(try scan(repo.path).findings(of: "ownership/pattern-matches-nothing").count, 1)
    XCTAssertEqual(try scan(repo.path, config: config).findings(of: "ownership/pattern-matches-nothing").count, 0)
  }
}

/// JSON read back keeps key order and every value, so cached and sharded results serialise byte for byte.
final class JSONParserTests: XCTestCase {
  func testRoundTripKeepsOrderAndEscapes() throws {
    let value: JSONValue = .object([
      ("zeta", 1), ("alpha", .array([.null, true, false, .double(1.5), -3])),
      ("text", .string("quote \" backslash \\ tab \t newline \n bell \u{7} é 😀")),
      ("nested", .object([("b", .object([])), ("a", .array([]))])),
    ])
    for indent in [nil, 2] {
      let text = value.serialized(indent: indent)
      XCTAssertEqual(try JSONParser.parse(text), value)
      XCTAssertEqual(try JSONParser.parse(text).serialized(indent: indent), text)
    }
    XCTAssertEqual(try JSONParser.parse(#""\ud83d\ude00 \u00e9 \/""#), .string("😀 é /"))
  }

  func testBadInputIsAnErrorNotACrash() {
    for text in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "01x", "[1] 2", "\"\\x\"", "{\"a\":}"] {
      XCTAssertThrowsError(try JSONParser.parse(text), text)
    }
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    XCTAssertThrowsError(try JSONParser.parse(deep), "depth is bounded")
  }
}
