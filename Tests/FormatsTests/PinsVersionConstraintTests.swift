import Version
import XCTest

@testable import Formats

final class PinsVersionConstraintTests: XCTestCase {
  private func constraint(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> VersionConstraint {
    do {
      return try VersionConstraint.parse(text)
    } catch {
      XCTFail("\(text): \(error.message) at \(error.column)", file: file, line: line)
      return VersionConstraint(clauses: [], raw: text)
    }
  }

  private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> VersionConstraintError? {
    do {
      let parsed = try VersionConstraint.parse(text)
      XCTFail("\(text) parsed as \(parsed.clauses.map(\.raw))", file: file, line: line)
      return nil
    } catch {
      return error
    }
  }

  // MARK: Parsing

  func testEqualsOperatorIsExact() {
    let parsed = constraint("= 1.2.0")
    XCTAssertEqual(parsed.clauses.count, 1)
    XCTAssertEqual(parsed.clauses[0].op, .equal)
    XCTAssertEqual(parsed.clauses[0].version, Version(1, 2, 0))
    XCTAssertEqual(parsed.clauses[0].componentCount, 3)
    XCTAssertEqual(parsed.clauses[0].raw, "= 1.2.0")
    XCTAssertTrue(parsed.isExact)
  }

  func testBareVersionIsExact() {
    let parsed = constraint("1.2.0")
    XCTAssertEqual(parsed.clauses[0].op, .equal)
    XCTAssertTrue(parsed.isExact)
    XCTAssertEqual(parsed.raw, "1.2.0")
  }

  func testShortVersionsFillZerosButAreNotExact() {
    let parsed = constraint("1.2")
    XCTAssertEqual(parsed.clauses[0].version, Version(1, 2, 0))
    XCTAssertEqual(parsed.clauses[0].componentCount, 2)
    XCTAssertFalse(parsed.isExact)
    XCTAssertEqual(constraint("=1").clauses[0].componentCount, 1)
  }

  func testEveryOperatorParses() {
    let cases: [(String, VersionConstraint.Operator)] = [
      ("= 1.0.0", .equal), ("!= 1.0.0", .notEqual), ("> 1.0.0", .greater), (">= 1.0.0", .greaterOrEqual),
      ("< 1.0.0", .less), ("<= 1.0.0", .lessOrEqual), ("~> 1.0.0", .pessimistic), (">=1.0.0", .greaterOrEqual),
    ]
    for (text, op) in cases {
      XCTAssertEqual(constraint(text).clauses.first?.op, op, text)
    }
  }

  func testMultipleClauses() {
    let parsed = constraint(">= 1.0, < 2.0")
    XCTAssertEqual(parsed.clauses.map(\.op), [.greaterOrEqual, .less])
    XCTAssertEqual(parsed.clauses.map(\.raw), [">= 1.0", "< 2.0"])
    XCTAssertEqual(parsed.clauses[1].version, Version(2, 0, 0))
  }

  func testTrailingCommaIsTolerated() {
    XCTAssertEqual(constraint(">= 1.0.0,").clauses.count, 1)
  }

  func testPreReleaseAndBuildMetadataParse() {
    let parsed = constraint("1.0.0-beta.1+exp.sha.5114f85")
    XCTAssertEqual(parsed.clauses[0].version.prereleaseIdentifiers, ["beta", "1"])
    XCTAssertEqual(parsed.clauses[0].version.buildMetadataIdentifiers, ["exp", "sha", "5114f85"])
  }

  // MARK: Errors

  func testVPrefixIsRejectedWithColumn() {
    let bare = error("v1.2.0")
    XCTAssertEqual(bare?.column, 1)
    XCTAssertTrue(bare?.message.contains("\"v\" prefix") == true)
    XCTAssertEqual(error(">= v1.2")?.column, 4)
    XCTAssertEqual(error(">= 1.0, < v2.0")?.column, 11)
  }

  func testUnknownOperatorsAreRejected() {
    let swapped = error("=> 1.0")
    XCTAssertEqual(swapped?.column, 1)
    XCTAssertTrue(swapped?.message.contains("did you mean \">=\"") == true)
    XCTAssertEqual(error("== 1.0")?.column, 1)
    XCTAssertEqual(error("  ^1.0")?.column, 3)
  }

  func testTooManyComponents() {
    let failure = error("1.2.3.4")
    XCTAssertEqual(failure?.column, 7)
    XCTAssertTrue(failure?.message.contains("Too many") == true)
  }

  func testEmptyAndIncompleteConstraints() {
    XCTAssertEqual(error("")?.column, 1)
    XCTAssertEqual(error("   ")?.column, 1)
    XCTAssertEqual(error(">=")?.column, 3)
    XCTAssertEqual(error("1.2.")?.column, 5)
    XCTAssertEqual(error(", 1.0")?.column, 1)
    XCTAssertEqual(error("1.0,,2.0")?.column, 5)
    XCTAssertEqual(error("1.0.0-")?.column, 7)
  }

  func testMissingCommaAndAlternatives() {
    let missing = error("1.0 2.0")
    XCTAssertEqual(missing?.column, 5)
    XCTAssertTrue(missing?.message.contains("Missing comma") == true)
    XCTAssertTrue(error("1.0 || 2.0")?.message.contains("||") == true)
    XCTAssertTrue(error("1.x")?.message.contains("Wildcards") == true)
    XCTAssertEqual(error("1.0.0garbage")?.column, 6)
    XCTAssertNotNil(error("99999999999999999999999"))
    XCTAssertEqual(error("~> 9223372036854775807.1")?.column, 4)
    XCTAssertNil(parseSemanticVersion("v9223372036854775807"))
  }

  // MARK: Terraform's semantics

  func testPessimisticWithTwoComponentsAllowsMinorUpdates() {
    let parsed = constraint("~> 5.1")
    XCTAssertTrue(parsed.allows(Version(5, 1, 0)))
    XCTAssertTrue(parsed.allows(Version(5, 9, 3)))
    XCTAssertFalse(parsed.allows(Version(6, 0, 0)))
    XCTAssertFalse(parsed.allows(Version(5, 0, 9)))
  }

  func testPessimisticWithThreeComponentsAllowsPatchUpdates() {
    let parsed = constraint("~> 1.2.3")
    XCTAssertTrue(parsed.allows(Version(1, 2, 3)))
    XCTAssertTrue(parsed.allows(Version(1, 2, 9)))
    XCTAssertFalse(parsed.allows(Version(1, 3, 0)))
    XCTAssertFalse(parsed.allows(Version(1, 2, 2)))
  }

  func testDocumentedPessimisticExample() {
    let parsed = constraint("~> 1.0.4")
    XCTAssertTrue(parsed.allows(Version(1, 0, 5)))
    XCTAssertTrue(parsed.allows(Version(1, 0, 10)))
    XCTAssertFalse(parsed.allows(Version(1, 1, 0)))
  }

  func testPessimisticWithOneComponentStaysWithinMajor() {
    let parsed = constraint("~> 1")
    XCTAssertTrue(parsed.allows(Version(1, 9, 0)))
    XCTAssertFalse(parsed.allows(Version(2, 0, 0)))
    XCTAssertTrue(parsed.hasUpperBound)
  }

  func testComparisonOperators() {
    XCTAssertTrue(constraint("> 1.0").allows(Version(1, 0, 1)))
    XCTAssertFalse(constraint("> 1.0").allows(Version(1, 0, 0)))
    XCTAssertTrue(constraint("<= 2.0").allows(Version(2, 0, 0)))
    XCTAssertFalse(constraint("< 2.0").allows(Version(2, 0, 0)))
    XCTAssertTrue(constraint(">= 1.0, < 2.0").allows(Version(1, 99, 0)))
  }

  func testNotEqualExcludesOneVersion() {
    let parsed = constraint("!= 1.5.0")
    XCTAssertFalse(parsed.allows(Version(1, 5, 0)))
    XCTAssertTrue(parsed.allows(Version(1, 4, 0)))
    XCTAssertTrue(parsed.allows(Version(9, 0, 0)))
    XCTAssertFalse(parsed.hasUpperBound)
  }

  func testPreReleaseMatchesOnlyWhenNamedExactly() {
    let beta = Version(1, 0, 0, pre: ["beta", "1"])
    XCTAssertTrue(constraint("1.0.0-beta.1").allows(beta))
    XCTAssertTrue(constraint("= 1.0.0-beta.1").allows(beta))
    XCTAssertFalse(constraint(">= 1.0.0-beta.1").allows(beta))
    XCTAssertFalse(constraint(">= 0.9.0").allows(beta))
    XCTAssertFalse(constraint("~> 1.0").allows(Version(1, 1, 0, pre: ["rc", "1"])))
    XCTAssertFalse(constraint("1.0.0").allows(beta))
  }

  func testNewestAllowed() {
    let candidates = [
      Version(1, 9, 0), Version(2, 3, 1), Version(2, 4, 0), Version(3, 0, 0), Version(2, 5, 0, pre: ["rc", "1"]),
    ]
    XCTAssertEqual(constraint("~> 2.3").newestAllowed(in: candidates), Version(2, 4, 0))
    XCTAssertEqual(constraint("~> 2.3.0").newestAllowed(in: candidates), Version(2, 3, 1))
    XCTAssertEqual(constraint(">= 1.0").newestAllowed(in: candidates), Version(3, 0, 0))
    XCTAssertNil(constraint("> 3.0.0").newestAllowed(in: candidates))
    XCTAssertEqual(constraint("2.5.0-rc.1").newestAllowed(in: candidates), Version(2, 5, 0, pre: ["rc", "1"]))
  }

  // MARK: Policies

  func testPolicyJudgements() {
    let table: [(String, [ConstraintPolicy])] = [
      ("1.2.0", [.exact, .pessimistic, .bounded, .any]),
      ("= 1.2", [.pessimistic, .bounded, .any]),
      ("~> 5.1", [.pessimistic, .bounded, .any]),
      ("~> 1.2.3", [.pessimistic, .bounded, .any]),
      (">= 1.2, < 2.0", [.pessimistic, .bounded, .any]),
      (">= 1.2.0, < 1.3.0", [.pessimistic, .bounded, .any]),
      (">= 1.0, < 3.0", [.bounded, .any]),
      ("<= 4.0.0", [.bounded, .any]),
      (">= 1.0", [.any]),
      ("!= 1.5.0", [.any]),
      ("> 1.0, != 1.5.0", [.any]),
    ]
    for (text, satisfied) in table {
      let parsed = constraint(text)
      for policy in ConstraintPolicy.allCases {
        XCTAssertEqual(parsed.satisfies(policy), satisfied.contains(policy), "\(text) / \(policy)")
      }
    }
  }

  func testHasUpperBoundPerOperator() {
    XCTAssertTrue(constraint("= 1.0.0").hasUpperBound)
    XCTAssertTrue(constraint("< 1.0.0").hasUpperBound)
    XCTAssertTrue(constraint("<= 1.0.0").hasUpperBound)
    XCTAssertTrue(constraint("~> 1.0").hasUpperBound)
    XCTAssertFalse(constraint("> 1.0.0").hasUpperBound)
    XCTAssertFalse(constraint(">= 1.0.0, != 1.2.0").hasUpperBound)
  }

  // MARK: Tags

  func testParseSemanticVersionAcceptsTags() {
    XCTAssertEqual(parseSemanticVersion("v1.2.3"), Version(1, 2, 3))
    XCTAssertEqual(parseSemanticVersion("V2"), Version(2, 0, 0))
    XCTAssertEqual(parseSemanticVersion("1.2"), Version(1, 2, 0))
    XCTAssertEqual(parseSemanticVersion("1.0.0-rc.1"), Version(1, 0, 0, pre: ["rc", "1"]))
    let built = parseSemanticVersion("v1.0.0-rc.1+build.5")
    XCTAssertEqual(built?.buildMetadataIdentifiers, ["build", "5"])
  }

  func testParseSemanticVersionRejectsOtherTags() {
    for text in ["", "v", "latest", "1.2.3.4", "1..2", "v1.2.3 ", "release-1.2", "1.2.x", "+1.2", "1.-2", "vv1"] {
      XCTAssertNil(parseSemanticVersion(text), text)
    }
  }
}
