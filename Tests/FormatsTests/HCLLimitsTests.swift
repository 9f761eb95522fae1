import Formats
import XCTest

final class HCLLimitsTests: XCTestCase {
  private func error(_ source: String, limits: HCLLimits = .default) -> HCLSyntaxError? {
    do {
      _ = try HCLParser.parse(source, limits: limits)
      return nil
    } catch {
      return error
    }
  }

  func testHundredThousandNestedBracketsFailCleanly() {
    let source = "x = " + String(repeating: "[", count: 100_000)
    let e = error(source)
    XCTAssertEqual(e?.message, "nesting depth exceeds the limit of 256")
    XCTAssertEqual(e?.line, 1)
    XCTAssertLessThan(e?.column ?? 0, 270)
  }

  func testDeepNestingOfEveryRecursiveConstruct() {
    let n = 100_000
    let cases: [(String, String)] = [
      ("braces", "x = " + String(repeating: "{a = ", count: n)),
      ("parens", "x = " + String(repeating: "(", count: n)),
      ("calls", "x = " + String(repeating: "f(", count: n)),
      ("index", "x = a" + String(repeating: "[a", count: n)),
      ("not", "x = " + String(repeating: "!", count: n) + "a"),
      ("negate", "x = " + String(repeating: "-", count: n) + "1"),
      ("conditional", "x = " + String(repeating: "a ? b : ", count: n) + "c"),
      ("interpolation", "x = " + String(repeating: "\"${", count: n)),
      ("directives", "x = \"" + String(repeating: "%{ if a }", count: n) + "\""),
      ("splats", "x = a" + String(repeating: "[*].b", count: n)),
      ("relative", "x = f()" + String(repeating: ".*[0]", count: n)),
      ("for", "x = " + String(repeating: "[for v in ", count: n)),
      ("blocks", String(repeating: "a {\n", count: n)),
      ("heredocs", "x = " + String(repeating: "<<E\n${", count: n)),
    ]
    for (name, source) in cases {
      let e = error(source)
      XCTAssertEqual(e?.message, "nesting depth exceeds the limit of 256", name)
    }
    // Operator chains are flat to read but as deep as they are long: counted apart, and allowed further.
    XCTAssertEqual(
      error("x = " + String(repeating: "1 + ", count: n) + "1")?.message,
      "more than 4096 binary operators in one value")
  }

  func testLongOperatorChainsParseUpToTheirOwnLimit() throws {
    for op in ["+", "&&", "*"] {
      let chain = "x = " + Array(repeating: "a", count: 1_001).joined(separator: " \(op) ") + "\n"
      XCTAssertNoThrow(try HCLParser.parse(chain), op)
    }
    let nested =
      "x = " + String(repeating: "(", count: 200) + Array(repeating: "1", count: 4_000).joined(separator: " + ")
      + String(repeating: ")", count: 200) + "\n"
    XCTAssertNoThrow(try HCLParser.parse(nested))
    let limits = HCLLimits(maxOperatorChain: 3)
    XCTAssertNil(error("x = 1 + 2 + 3 + 4\n", limits: limits))
    XCTAssertEqual(
      error("x = 1 + 2 + 3 + 4 + 5\n", limits: limits)?.message, "more than 3 binary operators in one value")
    XCTAssertEqual(
      error("x = (1 + (2 + (3 + (4 + 5))))\n", limits: limits)?.message,
      "more than 3 binary operators in one value", "nested chains count too")
    XCTAssertNil(error("x = 1 + 2 + 3\ny = 1 + 2 + 3\n", limits: limits), "each attribute counts its own")
  }

  func testNestingWithinTheLimitParses() throws {
    let depth = 200
    let source = "x = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
    let body = try HCLParser.parse(source)
    var e = body.attributes[0].expression
    var levels = 0
    while case .tuple(let items) = e.kind, let first = items.first {
      e = first
      levels += 1
    }
    XCTAssertEqual(levels, depth - 1)
    XCTAssertEqual(body, try HCLParser.parse(source))
    XCTAssertEqual(body.hashValue, try HCLParser.parse(source).hashValue)
  }

  func testCustomNestingLimit() {
    let limits = HCLLimits(maxNestingDepth: 10)
    XCTAssertNil(error("x = [[[[[[[[]]]]]]]]\n", limits: limits))
    XCTAssertEqual(
      error("x = [[[[[[[[[[[]]]]]]]]]]]\n", limits: limits)?.message, "nesting depth exceeds the limit of 10")
    XCTAssertNotNil(error("a {\nb {\nc {\nd {\ne {\nf {\ng {\nh {\ni {\nj {\nk {\n", limits: limits))
  }

  func testLongFlatChainsDoNotNest() throws {
    let steps = String(repeating: ".b", count: 50_000)
    let body = try HCLParser.parse("x = a" + steps + "\n")
    XCTAssertEqual(body.attributes[0].expression.traversal?.steps.count, 50_000)
    let items = Array(repeating: "\"é\"", count: 50_000).joined(separator: ", ")
    let tuple = try HCLParser.parse("x = [" + items + "]\n").attributes[0].expression
    guard case .tuple(let elements) = tuple.kind else { return XCTFail() }
    XCTAssertEqual(elements.count, 50_000)
    XCTAssertEqual(elements.last?.range.start.column, 6 + 49_999 * 5)
    XCTAssertEqual(elements.last?.range.start.byte, 5 + 49_999 * 6)
  }

  func testTwentyMegabyteInputIsRejected() {
    let big = String(repeating: "a = 1\n", count: 20 * 1024 * 1024 / 6 + 1)
    XCTAssertGreaterThan(big.utf8.count, 20 * 1024 * 1024)
    let e = error(big)
    XCTAssertEqual(e?.message, "input is \(big.utf8.count) bytes, exceeding the limit of 16777216 bytes")
    XCTAssertEqual(e?.line, 1)
    XCTAssertThrowsError(try HCLParser.parse(utf8: Array(big.utf8))) { error in
      XCTAssertTrue((error as? HCLSyntaxError)?.message.hasPrefix("input is") ?? false)
    }
    XCTAssertEqual(
      error("a = 12345\n", limits: HCLLimits(maxInputBytes: 8))?.message,
      "input is 10 bytes, exceeding the limit of 8 bytes")
  }

  func testTokenLimit() {
    let source = (0..<20).map { "a\($0) = [1, 2]\n" }.joined()
    XCTAssertNil(error(source, limits: HCLLimits(maxTokenCount: 1_000)))
    let e = error(source, limits: HCLLimits(maxTokenCount: 50))
    XCTAssertEqual(e?.message, "input has more than 50 tokens, exceeding the parser limit")
    XCTAssertEqual(e?.line, 7)
  }

  func testDefaultLimits() {
    XCTAssertEqual(HCLLimits.default.maxNestingDepth, 256)
    XCTAssertEqual(HCLLimits.default.maxInputBytes, 16 * 1024 * 1024)
    XCTAssertEqual(HCLLimits.default.maxTokenCount, 8 * 1024 * 1024)
    XCTAssertEqual(HCLLimits.default.maxOperatorChain, 4096)
  }
}
