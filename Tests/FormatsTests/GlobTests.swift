import XCTest

@testable import Formats

final class GlobTests: XCTestCase {
  func testSegmentsStarsAndDoubleStars() {
    XCTAssertTrue(Glob("vendor/**").matches("vendor/a/b.go"))
    XCTAssertTrue(Glob("vendor/**").matches("vendor"))
    XCTAssertFalse(Glob("vendor/*").matches("vendor/a/b.go"))
    XCTAssertTrue(Glob("docs/runbook*.md").matches("docs/runbook-payments.md"))
    XCTAssertFalse(Glob("docs/runbook*.md").matches("docs/sub/runbook.md"))
    XCTAssertTrue(Glob("**/Dockerfile").matches("svc/a/Dockerfile"))
    XCTAssertTrue(Glob("**/Dockerfile").matches("Dockerfile"))
    XCTAssertTrue(Glob("a/**/b").matches("a/b"))
    XCTAssertTrue(Glob("a/**/b").matches("a/x/y/b"))
    XCTAssertTrue(Glob("/README.md").matches("README.md"))
    XCTAssertTrue(Glob("?.txt").matches("a.txt"))
    XCTAssertFalse(Glob("?.txt").matches("ab.txt"))
  }

  func testNamesAndHostilePatterns() {
    XCTAssertTrue(Glob.matchesName("billing-*", "billing-core"))
    XCTAssertTrue(Glob.matchesName("pins/*", "pins/module-unpinned"))
    XCTAssertFalse(Glob.matchesName("billing-*", "payments"))
    let deep = Array(repeating: "a", count: 200).joined(separator: "/")
    XCTAssertFalse(Glob(Array(repeating: "**", count: 30).joined(separator: "/") + "/b").matches(deep))
    XCTAssertFalse(Glob.matchesName("*a*a*a*a*a*a*a*a*b", String(repeating: "a", count: 5000)))
  }
}
