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
    assertConfigError(
      "waivers:\n  - rule: runbook/missing\n    owner: me\n    expires: 2027-02-30\n", line: 4, contains: "YYYY-MM-DD")
    XCTAssertNoThrow(
      try loader.estatePolicy(
        configText: "waivers:\n  - rule: runbook/missing\n    owner: me\n    expires: 2028-02-29\n", file: "p"))
  }

  func testAFindingKeepsItsMessageToALine() throws {
    let folder = TemporaryFolder()
    let source = String(repeating: "x", count: 50_000)
    let repo = try folder.repository(
      "svc", yaml: "files: {main.tf: \"module \\\"m\\\" {\\n  source = \\\"\(source)\\\"\\n}\\n\"}")
    let finding = try XCTUnwrap(try scan(repo.path).findings(of: "pins/module-unpinned").first)
    XCTAssertLessThan(finding.message.count, 2_100)
    XCTAssertTrue(finding.message.hasSuffix("… (message cut)"), String(finding.message.suffix(40)))
  }

  func testParameterValuesAreCheckedNotQuietlyReplacedByDefaults() throws {
    let wrong: [(String, String)] = [
      (
        "pins/action-unpinned: {pin: bogus}",
        "pin takes any, ref, hash, or a mapping of patterns to those, not \"bogus\""
      ),
      ("pins/action-unpinned: {pin: HASH}", "not \"HASH\""),
      ("pins/image-unpinned: {pin: {ubuntu: bogus}}", "pin takes any, ref, hash"),
      ("pins/module-loose-constraint: {constraint: bogus}", "constraint takes one of any, bounded, pessimistic, exact"),
      ("pins/module-loose-constraint: {constraint: {x: exact}}", "constraint takes one of"),
      ("runbook/missing-section: {sections: 5}", "sections takes a list of strings, not 5"),
      ("runbook/missing-section: {sections: [rollback, [x]]}", "sections takes a list of strings"),
      ("runbook/stale: {max-days: abc}", "max-days takes a whole number, 0 or more, not \"abc\""),
      ("runbook/stale: {max-commits: -1}", "max-commits takes a whole number"),
    ]
    for (setting, message) in wrong {
      assertConfigError("rules:\n  \(setting)\n", line: 2, contains: message)
    }
    let policy = try loader.estatePolicy(
      configText:
        "rules:\n  runbook/missing-section: {sections: dashboards}\n  pins/action-unpinned: {pin: {\"actions/*\": ref}}\n",
      file: "plumb.yml")
    XCTAssertEqual(policy.rules["runbook/missing-section"]?.strings("sections"), ["dashboards"], "one word is a list")
    XCTAssertEqual(
      PinPolicy(policy.rules["pins/action-unpinned"]?.parameters["pin"], default: .hash).level(for: "actions/checkout"),
      .ref)
    for pack in sharedCatalog.packNames {
      XCTAssertNoThrow(try loader.pack(pack, file: "plumb.yml", line: nil), "pack \(pack) passes its own checks")
    }
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

    let locked = try loader.estatePolicy(
      configText: """
        rules:
          runbook/missing-section: {locked: true}
          runbook/stale: {locked: true, max-days: 90}
          pins/action-unpinned: {locked: true, pin: ref}
          ownership/unowned-files: {locked: true}
        """, file: "plumb.yml")
    let (tighter, none) = loader.repositoryPolicy(
      """
      rules:
        runbook/missing-section: {sections: [rollback, escalation, alerts, dashboards]}
        runbook/stale: {max-days: 30, ignore: [docs]}
        pins/action-unpinned: {pin: {"acme/*": hash}}
        ownership/unowned-files: {max-listed: 5}
      """, file: ".plumb.yml", estate: locked)
    XCTAssertEqual(none, [], "every change makes a locked rule stricter")
    XCTAssertEqual(tighter.rules["runbook/missing-section"]?.strings("sections").count, 4)
    XCTAssertEqual(tighter.rules["runbook/stale"]?.int("max-days"), 30)
    XCTAssertEqual(tighter.rules["pins/action-unpinned"]?.parameters["pin"], .object([("acme/*", "hash")]))
    XCTAssertEqual(tighter.rules["ownership/unowned-files"]?.int("max-listed"), 5)
    let looser = [
      "runbook/missing-section: {sections: [rollback]}", "runbook/stale: {max-days: 365}",
      "runbook/stale: {ignore: [docs, src]}", "pins/action-unpinned: {pin: any}",
      "pins/action-unpinned: {pin: {\"acme/*\": any}}", "ownership/unowned-files: {ignore: [\"vendor/**\"]}",
    ]
    for setting in looser {
      let (kept, refused) = loader.repositoryPolicy("rules:\n  \(setting)\n", file: ".plumb.yml", estate: locked)
      XCTAssertEqual(kept, locked, setting)
      XCTAssertTrue(refused.first?.message.contains("stricter, not looser") ?? false, "\(setting): \(refused)")
    }

    let (unchanged, invalid) = loader.repositoryPolicy("extends: minimal\n", file: ".plumb.yml", estate: estate)
    XCTAssertEqual(unchanged, estate, "an invalid repository config leaves the estate policy in force")
    XCTAssertTrue(invalid.first?.message.contains("unknown key 'extends'") ?? false)
  }

  func testARepositoryCannotWaiveALockedRule() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository(
      "svc",
      yaml: """
        files:
          Dockerfile: "FROM ubuntu\\n"
          main.tf: "module \\"vpc\\" {\\n  source = \\"acme/vpc/aws\\"\\n}\\n"
          .plumb.yml: |
            waivers:
              - rule: pins/module-unpinned
                owner: team-svc
                expires: 2099-01-01
              - rule: "pins/*"
                owner: team-svc
                expires: 2099-01-01
        """)
    let unlocked = try scan(repo.path)
    XCTAssertEqual(unlocked.findings(of: "pins/module-unpinned"), [])
    XCTAssertEqual(unlocked.findings(of: "pins/image-unpinned"), [])
    let locked = try scan(repo.path, config: "rules:\n  pins/module-unpinned: {locked: true}\n")
    XCTAssertEqual(locked.findings(of: "pins/module-unpinned").count, 1, "neither waiver silences a locked rule")
    XCTAssertEqual(locked.findings(of: "pins/image-unpinned"), [], "the pattern waiver still covers the rest")
    let refused = locked.findings(of: "repo/parse-error").map(\.message)
    XCTAssertEqual(refused.count, 1, "\(refused)")
    XCTAssertTrue(refused.first?.contains("only the estate config can waive it") ?? false, "\(refused)")
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
    XCTAssertEqual(try scan(elsewhere.path, config: config, today: "2027-04-01").findings(of: "waiver/expired"), [])
  }

  func testAnExpiredEstateWaiverNamingTheRepositoryIsReportedEvenWhenItCoversNothing() throws {
    let folder = TemporaryFolder()
    let repo = try folder.repository("svc", yaml: "files: {CODEOWNERS: \"* @acme/a\\n\"}")
    let config = """
      waivers:
        - rule: ownership/codeowners-missing
          repositories: [svc]
          owner: team-infra
          expires: 2027-03-31
      """
    let expired = try scan(repo.path, config: config, today: "2027-04-01")
    XCTAssertEqual(expired.findings(of: "waiver/expired").map(\.evidence["matched"]), [0])
    XCTAssertEqual(expired.findings(of: "waiver/unused"), [], "expired, not unused: one finding says it")
    let other = try folder.repository("api", yaml: "files: {CODEOWNERS: \"* @acme/a\\n\"}")
    XCTAssertEqual(try scan(other.path, config: config, today: "2027-04-01").findings(of: "waiver/expired"), [])
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
