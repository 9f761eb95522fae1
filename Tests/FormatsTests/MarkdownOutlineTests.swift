import XCTest

@testable import Formats

final class MarkdownOutlineTests: XCTestCase {
  func testATXAndSetextHeadingsSkipCode() {
    let outline = MarkdownOutline.parse(
      """
      # Title #
      Intro
      ## Rollback procedure
      ```sh
      # not a heading
      ```
          # indented code, not a heading
      Alerts
      ======
      Escalation
      ----------
      #nospace
      ####### seven
      """)
    XCTAssertEqual(outline.headings.map(\.text), ["Title", "Rollback procedure", "Alerts", "Escalation"])
    XCTAssertEqual(outline.headings.map(\.line), [1, 3, 8, 10])
    XCTAssertEqual(outline.headings.map(\.level), [1, 2, 1, 2])
  }

  func testLinksWithLinesAndColumns() {
    let outline = MarkdownOutline.parse(
      """
      See [a](docs/a.md) and ![img](img/x.png "title").
      `[not](code.md)` but [b](<with space.md>)
      [ref]: ../scripts/run.sh
      """)
    XCTAssertEqual(outline.links.map(\.target), ["docs/a.md", "img/x.png", "with space.md", "../scripts/run.sh"])
    XCTAssertEqual(outline.links.map(\.line), [1, 1, 2, 3])
    XCTAssertEqual(outline.links.first?.column, 9)
  }

  func testLinkTargetsCloseAtTheirMatchingParenthesis() {
    let outline = MarkdownOutline.parse("[a](x(y)z) then [b]((open [c](d.md) and [e](f.md\n")
    XCTAssertEqual(outline.links.map(\.target), ["x(y)z", "d.md"], "an unclosed target is no link; later ones are")
    // A line of 20,000 unclosed targets: read once, not once per target.
    let hostile = MarkdownOutline.parse("# R\n" + String(repeating: "[x](", count: 20_000) + "\n[ok](ok.md)\n")
    XCTAssertEqual(hostile.links.map(\.target), ["ok.md"])
  }

  func testCRLFAndEmptyInput() {
    XCTAssertEqual(MarkdownOutline.parse("").headings, [])
    XCTAssertEqual(MarkdownOutline.parse("# A\r\n## B\r\n").headings.map(\.text), ["A", "B"])
  }
}
