import Formats
import Foundation
import XCTest

final class CodeOwnersParserTests: XCTestCase {
  private func invalidOwner(_ owner: String) -> String {
    "invalid owner \"\(owner)\": expected @user, @org/team or an email address"
  }

  private let negation = "negation (!) is not supported in CODEOWNERS"
  private let characterRanges = "character ranges ([...]) are not supported in CODEOWNERS"

  // MARK: - Lines, comments and rule fields

  func testBlankLinesAndCommentsProduceNothing() {
    let file = CodeOwnersFile.parse("\n# comment\n   # indented comment\n\t\n\n")
    XCTAssertEqual(file.rules, [])
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.sections, [CodeOwnersSection(name: "", line: 0)])
  }

  func testEmptyInput() {
    let file = CodeOwnersFile.parse("")
    XCTAssertTrue(file.rules.isEmpty)
    XCTAssertTrue(file.errors.isEmpty)
    XCTAssertEqual(file.sections.count, 1)
  }

  func testRuleFields() {
    let file = CodeOwnersFile.parse("# header\n  *.js   @js-owner @org/team\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.count, 1)
    let rule = file.rules[0]
    XCTAssertEqual(rule.pattern, "*.js")
    XCTAssertEqual(rule.owners, ["@js-owner", "@org/team"])
    XCTAssertEqual(rule.line, 2)
    XCTAssertEqual(rule.column, 3)
    XCTAssertEqual(rule.sectionIndex, 0)
    XCTAssertFalse(rule.usesDefaultOwners)
  }

  func testRulesKeepFileOrder() {
    let file = CodeOwnersFile.parse("* @a\n*.js @b\n/docs/ @c\n")
    XCTAssertEqual(file.rules.map(\.pattern), ["*", "*.js", "/docs/"])
    XCTAssertEqual(file.rules.map(\.line), [1, 2, 3])
  }

  func testPatternWithoutOwnersIsValid() {
    let file = CodeOwnersFile.parse("/apps/github\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.count, 1)
    XCTAssertEqual(file.rules[0].pattern, "/apps/github")
    XCTAssertEqual(file.rules[0].owners, [])
  }

  func testTrailingComment() {
    let file = CodeOwnersFile.parse(
      "*.js    @js-owner #This is an inline comment.\n*.go @a # @b is commented out\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.map(\.owners), [["@js-owner"], ["@a"]])
  }

  func testHashInsidePatternIsNotAComment() {
    let file = CodeOwnersFile.parse("foo#bar @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "foo#bar")
    XCTAssertEqual(file.rules.first?.owners, ["@a"])
  }

  func testCommentRightAfterPatternLeavesNoOwners() {
    let file = CodeOwnersFile.parse("/vendor/ # nobody owns vendored code\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "/vendor/")
    XCTAssertEqual(file.rules.first?.owners, [])
  }

  func testEscapedHashStartsAPattern() {
    let file = CodeOwnersFile.parse("\\#foo @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "#foo")
    XCTAssertEqual(file.rules.first?.column, 1)
    XCTAssertTrue(file.rules.first?.matches("#foo") ?? false)
  }

  func testEscapedSpaceStaysInPattern() {
    let file = CodeOwnersFile.parse("docs/my\\ file.txt @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "docs/my file.txt")
    XCTAssertEqual(file.rules.first?.owners, ["@a"])
    XCTAssertTrue(file.rules.first?.matches("docs/my file.txt") ?? false)
  }

  func testTabsSeparateTokens() {
    let file = CodeOwnersFile.parse("\t*.js\t@a\t\t@b\t\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.owners, ["@a", "@b"])
    XCTAssertEqual(file.rules.first?.column, 2)
  }

  func testCaretPatternIsNotAHeader() {
    let file = CodeOwnersFile.parse("^notes.txt @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "^notes.txt")
    XCTAssertEqual(file.sections.count, 1)
  }

  // MARK: - Owners

  func testValidOwnerForms() {
    let text = """
      a @octocat @user-name @gitlab_user @first.last
      b @octo-org/octocats @org/team_name
      c @group/subgroup/deeper
      d docs@example.com first.last+tag@mail.example.co.uk
      e @@developer @@developers @@maintainer @@Owners
      """
    let file = CodeOwnersFile.parse(text)
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.count, 5)
    XCTAssertEqual(file.rules[3].owners, ["docs@example.com", "first.last+tag@mail.example.co.uk"])
    XCTAssertEqual(file.rules[4].owners, ["@@developer", "@@developers", "@@maintainer", "@@Owners"])
  }

  func testOwnerWithoutAtSign() {
    let file = CodeOwnersFile.parse("*.js octocat\n")
    XCTAssertEqual(file.rules, [])
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 1, column: 6, message: invalidOwner("octocat"))])
  }

  func testBareAtSign() {
    let file = CodeOwnersFile.parse("* @ok @\n")
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 1, column: 7, message: invalidOwner("@"))])
    XCTAssertEqual(file.rules, [])
  }

  func testTeamWithoutName() {
    let file = CodeOwnersFile.parse("/src/ @org/\n")
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 1, column: 7, message: invalidOwner("@org/"))])
  }

  func testIncompleteEmails() {
    let file = CodeOwnersFile.parse("a foo@\nb foo@localhost\nc @foo@example.com\nd foo@-bad.com\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(line: 1, column: 3, message: invalidOwner("foo@")),
        CodeOwnersSyntaxError(line: 2, column: 3, message: invalidOwner("foo@localhost")),
        CodeOwnersSyntaxError(line: 3, column: 3, message: invalidOwner("@foo@example.com")),
        CodeOwnersSyntaxError(line: 4, column: 3, message: invalidOwner("foo@-bad.com")),
      ])
    XCTAssertEqual(file.rules, [])
  }

  func testInvalidRole() {
    let file = CodeOwnersFile.parse("* @@reporter\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(
          line: 1, column: 3,
          message: "invalid role \"@@reporter\": expected @@developer, @@maintainer or @@owner")
      ])
  }

  func testEveryBadOwnerOnALineIsReportedAndTheLineDropped() {
    let file = CodeOwnersFile.parse("* @good bad1 @ok bad2\n/next @b\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(line: 1, column: 9, message: invalidOwner("bad1")),
        CodeOwnersSyntaxError(line: 1, column: 18, message: invalidOwner("bad2")),
      ])
    XCTAssertEqual(file.rules.map(\.pattern), ["/next"])
    XCTAssertEqual(file.rules.first?.line, 2)
  }

  func testHugeOwnerTokenMessageIsTruncated() {
    let owner = String(repeating: "x", count: 10_000)
    let file = CodeOwnersFile.parse("* \(owner)\n")
    XCTAssertEqual(file.errors.count, 1)
    XCTAssertLessThan(file.errors[0].message.count, 200)
    XCTAssertTrue(file.errors[0].message.contains("…"))
  }

  // MARK: - Pattern errors

  func testNegationIsRejected() {
    let file = CodeOwnersFile.parse("* @a\n  !docs/ @b\n")
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 2, column: 3, message: negation)])
    XCTAssertEqual(file.rules.count, 1)
  }

  func testEscapedExclamationIsALiteral() {
    let file = CodeOwnersFile.parse("\\!important.txt @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "!important.txt")
    XCTAssertTrue(file.rules.first?.matches("!important.txt") ?? false)
  }

  func testCharacterRangeIsRejected() {
    let file = CodeOwnersFile.parse("*.[ch] @a\nsrc/foo] @b\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(line: 1, column: 3, message: characterRanges),
        CodeOwnersSyntaxError(line: 2, column: 8, message: characterRanges),
      ])
    XCTAssertEqual(file.rules, [])
  }

  func testCharacterRangeAtLineStartIsReportedAsRange() {
    let file = CodeOwnersFile.parse("[Mm]akefile @a\n")
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 1, column: 1, message: characterRanges)])
    XCTAssertEqual(file.sections.count, 1)
  }

  func testEscapedBracketsAreLiterals() {
    let file = CodeOwnersFile.parse("docs/\\[draft\\].md @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.pattern, "docs/[draft].md")
    XCTAssertTrue(file.rules.first?.matches("docs/[draft].md") ?? false)
    XCTAssertFalse(file.rules.first?.matches("docs/d.md") ?? true)
  }

  func testColumnsCountUnicodeScalarsNotBytes() {
    let file = CodeOwnersFile.parse("é/[x] @a\n")
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 1, column: 3, message: characterRanges)])
  }

  func testPatternAndOwnerErrorsOnOneLine() {
    let file = CodeOwnersFile.parse("!a[b] nobody\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(line: 1, column: 1, message: negation),
        CodeOwnersSyntaxError(line: 1, column: 7, message: invalidOwner("nobody")),
      ])
  }

  func testParsingContinuesAfterErrors() {
    let file = CodeOwnersFile.parse("* @a\nbad owner\n*.js @b\n[Broken\n*.go @c\n")
    XCTAssertEqual(file.rules.map(\.pattern), ["*", "*.js", "*.go"])
    XCTAssertEqual(file.errors.map(\.line), [2, 4])
    XCTAssertEqual(file.rules.map(\.sectionIndex), [0, 0, 0])
  }

  // MARK: - Section headers

  func testSectionHeaders() {
    let text = """
      * @everyone
      [Documentation]
      docs/ @docs-team
      ^[Optional Review]
      *.md @writers
      [Backend][2] @backend @org/db
      *.rb
      """
    let file = CodeOwnersFile.parse(text)
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(
      file.sections,
      [
        CodeOwnersSection(name: "", line: 0),
        CodeOwnersSection(name: "Documentation", line: 2),
        CodeOwnersSection(name: "Optional Review", optional: true, line: 4),
        CodeOwnersSection(name: "Backend", approvals: 2, defaultOwners: ["@backend", "@org/db"], line: 6),
      ])
    XCTAssertEqual(file.rules.map(\.sectionIndex), [0, 1, 2, 3])
  }

  func testDefaultOwnersApplyToRulesWithoutOwners() {
    let file = CodeOwnersFile.parse("[Backend] @backend\n*.rb\n*.go @go-team\n")
    XCTAssertEqual(file.rules[0].owners, ["@backend"])
    XCTAssertTrue(file.rules[0].usesDefaultOwners)
    XCTAssertEqual(file.rules[1].owners, ["@go-team"])
    XCTAssertFalse(file.rules[1].usesDefaultOwners)
  }

  func testRuleWithoutOwnersInSectionWithoutDefaultsHasNoOwners() {
    let file = CodeOwnersFile.parse("[Docs]\n/docs/generated/\n")
    XCTAssertEqual(file.rules.first?.owners, [])
    XCTAssertEqual(file.rules.first?.usesDefaultOwners, false)
  }

  func testSameNameSectionsMergeCaseInsensitively() {
    let file = CodeOwnersFile.parse("[Docs] @a\n*.md\n[Other]\n*.rb @b\n[DOCS] @c\n*.txt\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.sections.map(\.name), ["", "Docs", "Other"])
    XCTAssertEqual(file.sections[1].defaultOwners, ["@a", "@c"])
    XCTAssertEqual(file.sections[1].line, 1)
    XCTAssertEqual(file.rules.map(\.sectionIndex), [1, 2, 1])
    // Default owners follow the header the rule is written under.
    XCTAssertEqual(file.rules[2].owners, ["@c"])
  }

  func testDuplicateDefaultOwnersAreCollapsed() {
    let file = CodeOwnersFile.parse("[Docs] @a @b @a\n*.md\n")
    XCTAssertEqual(file.sections[1].defaultOwners, ["@a", "@b"])
    XCTAssertEqual(file.rules[0].owners, ["@a", "@b"])
  }

  func testHeaderTrailingCommentAndWhitespace() {
    let file = CodeOwnersFile.parse("  [ Docs ]   @a   # reviewers\r\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.sections.last, CodeOwnersSection(name: "Docs", defaultOwners: ["@a"], line: 1))
  }

  func testHeaderMissingClosingBracket() {
    let file = CodeOwnersFile.parse("[Section @a\n")
    XCTAssertEqual(
      file.errors, [CodeOwnersSyntaxError(line: 1, column: 1, message: "unbalanced section header: missing ']'")])
    XCTAssertEqual(file.sections.count, 1)
  }

  func testOptionalHeaderMissingClosingBracket() {
    let file = CodeOwnersFile.parse("* @a\n^[Sec\n")
    XCTAssertEqual(
      file.errors, [CodeOwnersSyntaxError(line: 2, column: 2, message: "unbalanced section header: missing ']'")])
  }

  func testHeaderExtraClosingBracket() {
    let file = CodeOwnersFile.parse("[Section]]\n")
    XCTAssertEqual(
      file.errors,
      [CodeOwnersSyntaxError(line: 1, column: 10, message: "unbalanced section header: unexpected ']'")])
  }

  func testHeaderNestedOpeningBracket() {
    let file = CodeOwnersFile.parse("[Sec[tion]\n")
    XCTAssertEqual(
      file.errors,
      [CodeOwnersSyntaxError(line: 1, column: 5, message: "unbalanced section header: unexpected '['")])
  }

  func testEmptySectionName() {
    let file = CodeOwnersFile.parse("[]\n[   ] @a\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(line: 1, column: 1, message: "empty section name"),
        CodeOwnersSyntaxError(line: 2, column: 1, message: "empty section name"),
      ])
  }

  func testInvalidApprovalCounts() {
    let file = CodeOwnersFile.parse("[Section][x]\n[Section][0]\n[Section][]\n[Section][2\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(
          line: 1, column: 11, message: "invalid approval count \"x\": expected a positive integer"),
        CodeOwnersSyntaxError(
          line: 2, column: 11, message: "invalid approval count \"0\": expected a positive integer"),
        CodeOwnersSyntaxError(
          line: 3, column: 10, message: "invalid approval count \"\": expected a positive integer"),
        CodeOwnersSyntaxError(line: 4, column: 10, message: "unbalanced section header: missing ']'"),
      ])
    XCTAssertEqual(file.sections.count, 1)
  }

  func testHeaderGluedToOwner() {
    let file = CodeOwnersFile.parse("[Docs]@a\n")
    XCTAssertEqual(
      file.errors,
      [
        CodeOwnersSyntaxError(
          line: 1, column: 7, message: "missing whitespace between section header and owners")
      ])
  }

  func testHeaderWithInvalidDefaultOwnerStillOpensSection() {
    let file = CodeOwnersFile.parse("[Docs] @a docs/\n*.md\n")
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 1, column: 11, message: invalidOwner("docs/"))])
    XCTAssertEqual(file.sections.map(\.name), ["", "Docs"])
    XCTAssertEqual(file.rules.first?.owners, ["@a"])
    XCTAssertEqual(file.rules.first?.sectionIndex, 1)
  }

  // MARK: - Input safety

  func testCRLFLineEndings() {
    let file = CodeOwnersFile.parse("* @a\r\n*.js @b @c\r\n/apps/github\r\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.map(\.owners), [["@a"], ["@b", "@c"], []])
    XCTAssertEqual(file.rules.map(\.pattern), ["*", "*.js", "/apps/github"])
  }

  func testCRLFAfterTrailingBackslash() {
    let file = CodeOwnersFile.parse("dir\\\r\n* @a\r\n")
    XCTAssertEqual(file.rules.map(\.pattern), ["dir\\", "*"])
  }

  func testByteOrderMark() {
    let file = CodeOwnersFile.parse("\u{FEFF}*.js @a\n!x @b\n")
    XCTAssertEqual(file.rules.first?.pattern, "*.js")
    XCTAssertEqual(file.rules.first?.column, 1)
    XCTAssertEqual(file.errors, [CodeOwnersSyntaxError(line: 2, column: 1, message: negation)])
  }

  func testByteOrderMarkBeforeComment() {
    let file = CodeOwnersFile.parse("\u{FEFF}# comment\n* @a\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.count, 1)
  }

  func testExtremelyLongLine() {
    let pattern = String(repeating: "ab", count: 500_000)
    let owners = Array(repeating: "@o", count: 10_000).joined(separator: " ")
    let file = CodeOwnersFile.parse("\(pattern) \(owners)\n")
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.first?.owners.count, 10_000)
    XCTAssertEqual(file.rules.first?.pattern.utf8.count, 1_000_000)
  }

  func testManyErrorsOnOneLongLineStayLinear() {
    let owners = Array(repeating: "x", count: 50_000).joined(separator: " ")
    let file = CodeOwnersFile.parse("* \(owners)\n")
    XCTAssertEqual(file.errors.count, 50_000)
    XCTAssertEqual(file.errors.last?.column, 3 + 2 * 49_999)
  }

  func testHundredThousandLines() {
    let block = "# comment\n" + (1...9).map { "/dir\($0)/*.swift @team\($0)\n" }.joined()
    let text = "[Main] @main\n" + String(repeating: block, count: 10_000)
    let start = Date()
    let file = CodeOwnersFile.parse(text)
    XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    XCTAssertEqual(file.rules.count, 90_000)
    XCTAssertEqual(file.errors, [])
    XCTAssertEqual(file.rules.last?.line, 100_001)
    XCTAssertEqual(file.owners(of: "dir4/a.swift").owners, ["@team4"])
    XCTAssertEqual(file.owners(of: "dir4/a.swift").decidingRules, [89_994])
    XCTAssertEqual(file.owners(of: "other/a.swift").owners, [])
  }

  func testParsingIsDeterministic() {
    let text = "[A] @a\n*.md\n^[B][3]\n/src/ @b x@y.io\n"
    XCTAssertEqual(CodeOwnersFile.parse(text), CodeOwnersFile.parse(text))
    XCTAssertNotEqual(CodeOwnersFile.parse(text), CodeOwnersFile.parse(text + "*.c @c\n"))
  }

  func testSyntaxErrorDescription() {
    let error = CodeOwnersSyntaxError(line: 3, column: 7, message: "boom")
    XCTAssertEqual(error.description, "3:7: boom")
  }
}
