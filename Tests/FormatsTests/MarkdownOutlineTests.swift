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

  func testCRLFAndEmptyInput() {
    XCTAssertEqual(MarkdownOutline.parse("").headings, [])
    XCTAssertEqual(MarkdownOutline.parse("# A\r\n## B\r\n").headings.map(\.text), ["A", "B"])
  }
}
