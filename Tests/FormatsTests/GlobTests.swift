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

  func testCharacterClassesOnlyWhereGitignoreSyntaxIsAsked() {
    let classes = [
      "*.py[co]": ["a.pyc", "a.pyo"], "file[0-9].md": ["file7.md"], "[!_]*": ["main.py"], "[]x]": ["]", "x"],
    ]
    for (pattern, names) in classes {
      for name in names {
        XCTAssertTrue(Glob.matchesName(pattern, name, characterClasses: true), "\(pattern) \(name)")
        XCTAssertFalse(Glob.matchesName(pattern, name), "CODEOWNERS has no classes: \(pattern) \(name)")
      }
    }
    XCTAssertFalse(Glob.matchesName("*.py[co]", "a.py", characterClasses: true))
    XCTAssertFalse(Glob.matchesName("*.py[co]", "a.pyx", characterClasses: true))
    XCTAssertFalse(Glob.matchesName("[!_]*", "_private", characterClasses: true))
    XCTAssertFalse(Glob.matchesName("file[0-9].md", "filex.md", characterClasses: true))
    XCTAssertTrue(Glob.matchesName("a[b", "a[b", characterClasses: true), "an unclosed class is a literal [")
    XCTAssertTrue(Glob("a/[bc]/d").matches("a/[bc]/d"), "literal in CODEOWNERS")
    XCTAssertTrue(Glob("a/[bc]/d", characterClasses: true).matches("a/c/d"))
    XCTAssertTrue(Glob.matchesName("*b", "*ab"), "a star in the text is no special character")
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

final class GlobPrefixTests: XCTestCase {
  /// The literal-prefix shortcut must never change an answer, only skip work.
  func testLiteralPrefixAgreesWithFullMatching() {
    let patterns = ["docs/runbooks/**", "a/b/*.md", "src/**/test", "x/?/y", "lib", "docs/run*/**", "a/[bc]/d"]
    let paths = [
      "docs/runbooks/a.md", "docs/runbooks", "docs/runbook", "docs", "a/b/c.md", "a/bb/c.md", "src/test",
      "src/a/b/test", "srcx/test", "x/1/y", "x/12/y", "lib", "libs", "docs/running/a", "a/b/d", "a/c/d",
    ]
    for pattern in patterns {
      let glob = Glob(pattern)
      let segments = glob.segments
      for path in paths {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        XCTAssertEqual(
          glob.matches(path), Glob.match(segments[...], parts[...], characterClasses: false), "\(pattern) vs \(path)")
      }
    }
  }
}
