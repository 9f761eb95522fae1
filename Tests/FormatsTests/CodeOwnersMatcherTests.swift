import Formats
import Foundation
import XCTest

final class CodeOwnersMatcherTests: XCTestCase {
  /// The example file from GitHub's "About code owners" documentation.
  private let gitHubExample = """
    # This is a comment.
    # Each line is a file pattern followed by one or more owners.
    *       @global-owner1 @global-owner2
    *.js    @js-owner #This is an inline comment.
    *.go docs@example.com
    *.txt @octo-org/octocats
    /build/logs/ @doctocat
    docs/* docs@example.com
    apps/ @octocat
    /docs/ @doctocat
    /scripts/ @doctocat @octocat
    **/logs @octocat
    /apps/ @octocat
    /apps/github
    """

  private func rule(_ pattern: String) -> CodeOwnersRule {
    let file = CodeOwnersFile.parse("\(pattern) @owner")
    XCTAssertEqual(file.errors, [], "pattern \(pattern)")
    return file.rules[0]
  }

  private func assertMatches(
    _ pattern: String, _ matching: [String], not nonMatching: [String], file: StaticString = #filePath,
    line: UInt = #line
  ) {
    let compiled = rule(pattern)
    for path in matching {
      XCTAssertTrue(compiled.matches(path), "\(pattern) should match \(path)", file: file, line: line)
    }
    for path in nonMatching {
      XCTAssertFalse(compiled.matches(path), "\(pattern) should not match \(path)", file: file, line: line)
    }
  }

  // MARK: - GitHub documentation examples

  func testGitHubExampleFileParsesCleanly() {
    let file = CodeOwnersFile.parse(gitHubExample)
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.count, 12)
  }

  func testGitHubExampleDefaultOwners() {
    let file = CodeOwnersFile.parse(gitHubExample)
    XCTAssertEqual(file.owners(of: "README.md").owners, ["@global-owner1", "@global-owner2"])
    XCTAssertEqual(file.owners(of: "README.md").decidingRules, [0])
  }

  func testGitHubExampleLanguageRules() {
    let file = CodeOwnersFile.parse(gitHubExample)
    XCTAssertEqual(file.owners(of: "src/app/main.js").owners, ["@js-owner"])
    XCTAssertEqual(file.owners(of: "cmd/tool/main.go").owners, ["docs@example.com"])
    XCTAssertEqual(file.owners(of: "notes/todo.txt").owners, ["@octo-org/octocats"])
  }

  func testGitHubExampleLaterRulesOverride() {
    let file = CodeOwnersFile.parse(gitHubExample)
    // `**/logs` comes after `/build/logs/`, so it wins there.
    XCTAssertEqual(file.owners(of: "build/logs/today.log").owners, ["@octocat"])
    XCTAssertEqual(file.owners(of: "deeply/nested/logs/x.js").owners, ["@octocat"])
    XCTAssertEqual(file.owners(of: "docs/build-app/troubleshooting.md").owners, ["@doctocat"])
    XCTAssertEqual(file.owners(of: "scripts/deploy.sh").owners, ["@doctocat", "@octocat"])
    XCTAssertEqual(file.owners(of: "lib/apps/widget.rb").owners, ["@octocat"])
  }

  func testGitHubExampleEmptyOwnersUnown() {
    let file = CodeOwnersFile.parse(gitHubExample)
    XCTAssertEqual(file.owners(of: "apps/web/index.html").owners, ["@octocat"])
    let decision = file.owners(of: "apps/github/README.md")
    XCTAssertEqual(decision.owners, [])
    XCTAssertFalse(decision.isOwned)
    XCTAssertEqual(decision.decidingRules, [11])
    XCTAssertEqual(file.rules[11].pattern, "/apps/github")
  }

  func testStarMatchesEveryFile() {
    assertMatches("*", ["a", "README.md", "a/b/c.txt", ".github/CODEOWNERS"], not: [""])
  }

  func testExtensionAtAnyDepth() {
    assertMatches(
      "*.js", ["a.js", "x/y/z.js", ".js", "lib.js/inner.txt"], not: ["a.jsx", "js", "a.js.map", "x/a.ts"])
  }

  func testGoAndTxtExtensions() {
    assertMatches("*.go", ["main.go", "pkg/a/b.go"], not: ["main.gox", "go"])
    assertMatches("*.txt", ["a.txt", "docs/a.txt"], not: ["a.txt.bak"])
  }

  func testAnchoredDirectoryBuildLogs() {
    assertMatches(
      "/build/logs/", ["build/logs/a.log", "build/logs/x/y/z.log"],
      not: ["build/logs", "src/build/logs/a.log", "build/logsx/a", "build/a.log"])
  }

  func testDocsStarMatchesOnlyDirectChildren() {
    assertMatches(
      "docs/*", ["docs/getting-started.md", "docs/.hidden"],
      not: ["docs/build-app/troubleshooting.md", "docs", "src/docs/a.md", "docsx/a.md"])
  }

  func testUnanchoredDirectoryApps() {
    assertMatches("apps/", ["apps/a.txt", "x/apps/b/c.txt", "a/b/apps/c"], not: ["apps", "myapps/a", "x/apps"])
  }

  func testAnchoredDirectoryDocs() {
    assertMatches("/docs/", ["docs/a.md", "docs/a/b/c.md"], not: ["x/docs/a.md", "docs", "documents/a"])
  }

  func testAnchoredDirectoryScripts() {
    assertMatches("/scripts/", ["scripts/deploy.sh", "scripts/ci/run.sh"], not: ["tools/scripts/a.sh"])
  }

  func testDoubleStarLogs() {
    assertMatches(
      "**/logs", ["logs", "logs/a", "build/logs/a", "scripts/logs/a", "deeply/nested/logs/x/y"],
      not: ["logsx/a", "a/mylogs/b", "a/logs.txt"])
  }

  // MARK: - gitignore semantics

  func testBareNameMatchesFileOrDirectoryAnywhere() {
    assertMatches("docs", ["docs", "docs/a.md", "x/docs", "x/docs/y/z"], not: ["docsx", "x/mydocs/a"])
  }

  func testLeadingSlashWithoutTrailingSlash() {
    assertMatches("/scripts", ["scripts", "scripts/a/b"], not: ["x/scripts", "scripts.sh"])
  }

  func testMiddleSlashAnchors() {
    assertMatches("src/lib", ["src/lib", "src/lib/a.c"], not: ["x/src/lib", "x/src/lib/a.c"])
  }

  func testTrailingSlashMatchesOnlyDirectories() {
    assertMatches("logs/", ["logs/a", "x/logs/b"], not: ["logs", "x/logs"])
  }

  func testStarDoesNotCrossSlashes() {
    assertMatches("/src/*.js", ["src/a.js", "src/b.js/inner"], not: ["src/x/a.js", "a.js"])
    assertMatches("/src/a*", ["src/a", "src/abc"], not: ["src/x/a"])
  }

  func testQuestionMarkMatchesOneCharacter() {
    assertMatches("file?.txt", ["file1.txt", "a/fileX.txt", "fileé.txt"], not: ["file.txt", "file10.txt"])
    assertMatches("/a?b", ["a-b"], not: ["a/b", "ab"])
    assertMatches("x?y", ["xay", "d/xéy"], not: ["xaay", "xy"])
    assertMatches("x*y", ["xy", "xaay", "d/xéy"], not: ["xya", "ay"])
  }

  func testDoubleStarInTheMiddle() {
    assertMatches("a/**/b", ["a/b", "a/x/b", "a/x/y/b", "a/x/b/c"], not: ["b", "x/a/b", "a/bc", "ab"])
  }

  func testTrailingDoubleStarMatchesEverythingInside() {
    assertMatches("/docs/**", ["docs/a", "docs/a/b/c"], not: ["docs", "x/docs/a"])
    assertMatches("docs/**", ["docs/a"], not: ["docs"])
  }

  func testDoubleStarWithFileSuffix() {
    assertMatches("/src/**/*.test.js", ["src/a.test.js", "src/x/y/a.test.js"], not: ["a.test.js", "src/a.js"])
  }

  func testRootPatternsMatchEverything() {
    for pattern in ["/", "/**", "**"] {
      assertMatches(pattern, ["a", "a/b", "x/y/z.md"], not: [""])
    }
  }

  func testTrailingDoubleStarDirectoryOnly() {
    assertMatches("**/", ["a/b", "a/b/c"], not: ["a"])
  }

  func testStarSlashMatchesFilesInsideAnyDirectory() {
    assertMatches("*/", ["a/b", "x/y/z"], not: ["README.md"])
  }

  func testRootStarMatchesOnlyRootFiles() {
    assertMatches("/*", ["README.md", ".gitignore"], not: ["docs/a.md"])
  }

  func testMatchingIsCaseSensitive() {
    assertMatches("*.JS", ["A.JS"], not: ["a.js"])
    assertMatches("/Docs/", ["Docs/a"], not: ["docs/a", "DOCS/a"])
  }

  func testEscapedWildcardsAreLiteral() {
    assertMatches("\\*.md", ["*.md", "x/*.md"], not: ["a.md"])
    assertMatches("what\\?", ["what?"], not: ["whatx"])
  }

  func testNonASCIIPaths() {
    assertMatches("/données/", ["données/a.csv"], not: ["donnees/a.csv"])
    assertMatches("*.md", ["文档/说明.md"], not: ["文档/说明.txt"])
  }

  func testPathNormalisation() {
    let docs = rule("/docs/")
    XCTAssertTrue(docs.matches("/docs/a.md"))
    XCTAssertTrue(docs.matches("./docs/a.md"))
    XCTAssertTrue(docs.matches("docs//a.md"))
    XCTAssertFalse(docs.matches(""))
  }

  func testRedundantSlashesInPattern() {
    assertMatches("//docs//api/", ["docs/api/a"], not: ["x/docs/api/a"])
  }

  // MARK: - Last match wins and decisions

  func testLastMatchWins() {
    let file = CodeOwnersFile.parse("*.js @first\n/src/ @second\n*.js @third\n")
    XCTAssertEqual(file.owners(of: "src/a.js").owners, ["@third"])
    XCTAssertEqual(file.owners(of: "src/a.js").decidingRules, [2])
    XCTAssertEqual(file.owners(of: "src/a.rb").owners, ["@second"])
    XCTAssertEqual(file.owners(of: "a.js").owners, ["@third"])
  }

  func testUnmatchedPathIsNotOwned() {
    let file = CodeOwnersFile.parse("/src/ @a\n")
    let decision = file.owners(of: "docs/readme.md")
    XCTAssertEqual(decision, CodeOwnersDecision(owners: [], decidingRules: []))
    XCTAssertFalse(decision.isOwned)
  }

  func testEmptyFileOwnsNothing() {
    XCTAssertEqual(CodeOwnersFile.parse("").owners(of: "a"), CodeOwnersDecision(owners: [], decidingRules: []))
  }

  func testInvalidLinesDoNotTakePart() {
    let file = CodeOwnersFile.parse("* @a\n*.js nobody\n")
    XCTAssertEqual(file.owners(of: "x.js").owners, ["@a"])
  }

  func testWinningRules() {
    let file = CodeOwnersFile.parse("* @a\n*.md @b\n[S]\n/docs/ @c\n")
    XCTAssertEqual(file.winningRules(for: "docs/x.md"), [1, 2])
    XCTAssertEqual(file.winningRules(for: "x.c"), [0])
  }

  // MARK: - GitLab sections

  private let gitLabExample = """
    * @default-owner
    [Docs]
    *.md @docs-team
    /docs/internal/
    [Backend] @backend
    *.rb
    /app/ @app-owner
    ^[Review][2]
    *.md @reviewers @docs-team
    """

  func testSectionsUnionOwners() {
    let file = CodeOwnersFile.parse(gitLabExample)
    XCTAssertEqual(file.errors, [])
    let decision = file.owners(of: "app/README.md")
    XCTAssertEqual(decision.owners, ["@default-owner", "@docs-team", "@app-owner", "@reviewers"])
    XCTAssertEqual(decision.decidingRules, [0, 1, 4, 5])
  }

  func testSectionDefaultOwnersApply() {
    let file = CodeOwnersFile.parse(gitLabExample)
    XCTAssertEqual(file.owners(of: "lib/model.rb").owners, ["@default-owner", "@backend"])
    XCTAssertEqual(file.owners(of: "app/model.rb").owners, ["@default-owner", "@app-owner"])
  }

  func testLastMatchIsScopedToSection() {
    let file = CodeOwnersFile.parse(gitLabExample)
    // `/docs/internal/` un-owns only within [Docs]; [Review] still matches.
    let decision = file.owners(of: "docs/internal/plan.md")
    XCTAssertEqual(decision.owners, ["@default-owner", "@reviewers", "@docs-team"])
    XCTAssertEqual(decision.decidingRules, [0, 2, 5])
  }

  func testPathOutsideAllSectionsFallsBackToDefaultSection() {
    let file = CodeOwnersFile.parse(gitLabExample)
    XCTAssertEqual(file.owners(of: "Makefile").owners, ["@default-owner"])
  }

  func testMergedSectionsShareLastMatch() {
    let file = CodeOwnersFile.parse("[Docs]\n*.md @a\n[Other]\n*.md @o\n[docs]\n/guide/ @b\n")
    XCTAssertEqual(file.owners(of: "guide/x.md").owners, ["@b", "@o"])
    XCTAssertEqual(file.owners(of: "guide/x.md").decidingRules, [2, 1])
    XCTAssertEqual(file.owners(of: "x.md").owners, ["@a", "@o"])
  }

  func testLargeOwnerUnionIsDeduplicatedInOrder() {
    let first = (0..<40).map { "@user\($0)" }
    let second = (20..<60).map { "@user\($0)" }
    let text = "[A]\n* \(first.joined(separator: " "))\n[B]\n* \(second.joined(separator: " "))\n"
    let owners = CodeOwnersFile.parse(text).owners(of: "x").owners
    XCTAssertEqual(owners, (0..<60).map { "@user\($0)" })
  }

  func testRoleAndGroupOwnersInDecision() {
    let file = CodeOwnersFile.parse(
      "[Security] @@maintainer\n/config/\n[Platform]\n/config/ @gitlab-org/platform/infra\n")
    XCTAssertEqual(file.owners(of: "config/app.yml").owners, ["@@maintainer", "@gitlab-org/platform/infra"])
  }

  func testGitLabRootPattern() {
    let file = CodeOwnersFile.parse("[All]\n/ @everyone\n")
    XCTAssertEqual(file.owners(of: "any/path/at/all.txt").owners, ["@everyone"])
  }

  // MARK: - matchTable

  func testMatchTable() {
    let file = CodeOwnersFile.parse("* @a\n*.js @b\n/never/ @c\nsrc/*.js @d\nsrc/ @e\n")
    let table = file.matchTable(paths: ["README.md", "src/a.js", "lib/b.js", "src/x/c.js"])
    XCTAssertEqual(table, [[0], [0, 1, 3, 4], [0, 1], [0, 1, 4]])
  }

  func testMatchTableFindsUnusedAndShadowedRules() {
    let file = CodeOwnersFile.parse("* @a\n*.js @b\n/never/ @c\nsrc/*.js @d\nsrc/ @e\n")
    let paths = ["README.md", "src/a.js", "lib/b.js"]
    let table = file.matchTable(paths: paths)
    let used = Set(table.flatMap { $0 })
    XCTAssertEqual(file.rules.indices.filter { !used.contains($0) }, [2])
    let winners = Set(paths.flatMap { file.winningRules(for: $0) })
    let shadowed = file.rules.indices.filter { used.contains($0) && !winners.contains($0) }
    XCTAssertEqual(shadowed, [3])
  }

  func testMatchTableEmptyInputs() {
    let file = CodeOwnersFile.parse("* @a\n")
    XCTAssertEqual(file.matchTable(paths: []), [])
    XCTAssertEqual(CodeOwnersFile.parse("").matchTable(paths: ["a", "b"]), [[], []])
  }

  // MARK: - Rule API

  func testPublicRuleInitialiserAndPatternReassignment() {
    var rule = CodeOwnersRule(pattern: "\\#notes/", owners: ["@a"])
    XCTAssertEqual(rule.pattern, "#notes/")
    XCTAssertTrue(rule.matches("#notes/a.txt"))
    rule.pattern = "*.md"
    XCTAssertTrue(rule.matches("x/y.md"))
    XCTAssertFalse(rule.matches("#notes/a.txt"))
  }

  // MARK: - Deep paths and pathological patterns

  func testDeepPathsBeyondSixtyFourComponents() {
    for depth in [60, 61, 62, 63, 200] {
      let dirs = (0..<depth).map { "d\($0)" }.joined(separator: "/")
      let path = dirs + "/logs/file.txt"
      XCTAssertTrue(rule("**/logs").matches(path), "depth \(depth)")
      XCTAssertTrue(rule("/d0/").matches(path), "depth \(depth)")
      XCTAssertFalse(rule("/d1/").matches(path), "depth \(depth)")
      XCTAssertTrue(rule("*.txt").matches(path), "depth \(depth)")
      XCTAssertFalse(rule("d0/*").matches(path), "depth \(depth)")
      XCTAssertTrue(rule("/d0/**/file.txt").matches(path), "depth \(depth)")
      XCTAssertFalse(rule("logs/").matches(dirs + "/logs"), "depth \(depth)")
      XCTAssertTrue(rule("*").matches(path), "depth \(depth)")
    }
  }

  func testRepeatedDoubleStarsAreNotExponential() {
    let pattern = rule("a/**/**/**/**/**/**/**/b")
    let deep = "a/" + Array(repeating: "x", count: 5_000).joined(separator: "/")
    let start = Date()
    XCTAssertFalse(pattern.matches(deep + "/c"))
    XCTAssertTrue(pattern.matches(deep + "/b"))
    XCTAssertTrue(pattern.matches(deep + "/b/c"))
    let interleaved = rule("a/**/x/**/x/**/x/**/x/**/b")
    XCTAssertFalse(interleaved.matches(deep + "/c"))
    XCTAssertTrue(interleaved.matches(deep + "/b"))
    let shallow = "a/" + Array(repeating: "x", count: 60).joined(separator: "/")
    XCTAssertFalse(pattern.matches(shallow + "/c"))
    XCTAssertTrue(pattern.matches(shallow + "/b"))
    XCTAssertLessThan(Date().timeIntervalSince(start), 1)
  }

  func testManyStarsAgainstLongNamesAreNotExponential() {
    let pattern = rule("*a*a*a*a*a*a*b")
    let start = Date()
    XCTAssertFalse(pattern.matches(String(repeating: "a", count: 100_000)))
    XCTAssertTrue(pattern.matches(String(repeating: "a", count: 10_000) + "b"))
    let deep = Array(repeating: String(repeating: "a", count: 20), count: 2_000).joined(separator: "/")
    XCTAssertFalse(pattern.matches(deep))
    XCTAssertLessThan(Date().timeIntervalSince(start), 1)
  }

  func testMatchTablePerformance() {
    var text = "* @everyone\n"
    for index in 0..<199 {
      switch index % 4 {
      case 0: text += "/module\(index)/ @team\(index)\n"
      case 1: text += "*.ext\(index) @team\(index)\n"
      case 2: text += "**/generated\(index)/** @team\(index)\n"
      default: text += "src/*/file\(index)?.swift @team\(index)\n"
      }
    }
    let file = CodeOwnersFile.parse(text)
    XCTAssertEqual(file.rules.count, 200)
    let paths = (0..<2_000).map { "src/module\($0 % 50)/sub\($0 % 7)/deeper/file\($0 % 10).swift" }
    let start = Date()
    let table = file.matchTable(paths: paths)
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertEqual(table.count, 2_000)
    XCTAssertTrue(table.allSatisfy { $0.first == 0 })
    // Debug builds are far slower than release; release stays well under 50 ms.
    XCTAssertLessThan(elapsed, 2)
  }

  // MARK: - Differential check against a naive reference

  func testAgreesWithNaiveReferenceOnRandomPatterns() {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(bound))
    }
    let pieces = ["a", "b", "*", "?", "/", "**", "ab"]
    let names = ["a", "b", "ab", "ba", "aa", "bab"]
    var checked = 0
    for _ in 0..<1_000 {
      let pattern = (0..<(1 + next(7))).map { _ in pieces[next(pieces.count)] }.joined()
      let rule = CodeOwnersRule(pattern: pattern, owners: [])
      for _ in 0..<16 {
        let path = (0..<(1 + next(5))).map { _ in names[next(names.count)] }.joined(separator: "/")
        XCTAssertEqual(
          rule.matches(path), NaiveCodeOwnersPattern(pattern).matches(path), "\(pattern) vs \(path)")
        checked += 1
      }
    }
    XCTAssertEqual(checked, 16_000)
  }

  /// Whole files, where rules anchored at a literal first folder are only tried on paths under it: the table and
  /// the winners must be what matching every rule alone gives.
  func testMatchTableAndWinnersAgreeWithEveryRuleMatchedAlone() {
    var seed: UInt64 = 0x2545_F491_4F6C_DD1D
    func next(_ bound: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(bound))
    }
    let pieces = ["a", "b", "*", "?", "/", "**", "ab", "\\*"]
    let names = ["a", "b", "ab", "ba", "*", ".", ""]
    for _ in 0..<200 {
      var lines: [String] = []
      for _ in 0..<(1 + next(12)) {
        if next(8) == 0 { lines.append("[Section \(next(3))]") }
        let pattern = (0..<(1 + next(6))).map { _ in pieces[next(pieces.count)] }.joined()
        lines.append((next(2) == 0 ? "/" : "") + pattern + " @o\(next(4))")
      }
      let file = CodeOwnersFile.parse(lines.joined(separator: "\n"))
      let paths = (0..<24).map { _ in (0..<(1 + next(4))).map { _ in names[next(names.count)] }.joined(separator: "/") }
      let table = file.matchTable(paths: paths)
      for (path, row) in zip(paths, table) {
        let alone = file.rules.indices.filter { file.rules[$0].matches(path) }
        XCTAssertEqual(row, alone, "\(lines) on \(path)")
        // The last matching rule of each section wins.
        let sections = Set(alone.map { file.rules[$0].sectionIndex })
        let winners = sections.sorted().compactMap { section in alone.last { file.rules[$0].sectionIndex == section } }
        XCTAssertEqual(file.winningRules(for: path), winners, "\(lines) on \(path)")
      }
    }
  }
}

/// Straightforward recursive restatement of the matching rules, for differential testing only.
private struct NaiveCodeOwnersPattern {
  var segments: [String] = []
  var everything = false
  var directoryOnly = false
  var ownsNested = true

  init(_ pattern: String) {
    var body = Substring(pattern)
    while body.hasSuffix("/") {
      body = body.dropLast()
      directoryOnly = true
    }
    if body.isEmpty {
      everything = true
      return
    }
    let anchored = body.contains("/")
    segments = body.split(separator: "/").map(String.init)
    if !anchored { segments.insert("**", at: 0) }
    ownsNested = directoryOnly || segments.last != "*"
  }

  func matches(_ path: String) -> Bool {
    let parts = path.split(separator: "/").map(String.init)
    if parts.isEmpty { return false }
    if everything { return true }
    return (1...parts.count).contains { consumed in
      let allowed = consumed == parts.count ? !directoryOnly : ownsNested
      return allowed && match(0, Array(parts[0..<consumed]))
    }
  }

  private func match(_ index: Int, _ parts: [String]) -> Bool {
    if index == segments.count { return parts.isEmpty }
    let segment = segments[index]
    if segment == "**" {
      let minimum = index == segments.count - 1 ? 1 : 0
      return (minimum...max(minimum, parts.count)).contains { skip in
        skip <= parts.count && match(index + 1, Array(parts.dropFirst(skip)))
      }
    }
    guard let first = parts.first else { return false }
    return glob(Array(segment), Array(first)) && match(index + 1, Array(parts.dropFirst()))
  }

  private func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
    guard let head = pattern.first else { return text.isEmpty }
    if head == "*" {
      return glob(Array(pattern.dropFirst()), text) || (!text.isEmpty && glob(pattern, Array(text.dropFirst())))
    }
    guard let character = text.first, head == "?" || head == character else { return false }
    return glob(Array(pattern.dropFirst()), Array(text.dropFirst()))
  }
}
