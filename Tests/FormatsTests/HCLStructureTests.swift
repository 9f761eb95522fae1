import Formats
import XCTest

final class HCLStructureTests: XCTestCase {
  private func parse(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> HCLBody {
    do {
      return try HCLParser.parse(source)
    } catch {
      XCTFail("unexpected syntax error \(error)", file: file, line: line)
      throw error
    }
  }

  private func syntaxError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> HCLSyntaxError? {
    do {
      _ = try HCLParser.parse(source)
      XCTFail("expected a syntax error", file: file, line: line)
      return nil
    } catch {
      return error
    }
  }

  private func render(_ e: HCLExpression) -> String { HCLTestRenderer.render(e) }

  func testEmptyAndBlankFiles() throws {
    let empty = try parse("")
    XCTAssertTrue(empty.items.isEmpty)
    XCTAssertEqual(empty.range.start, HCLPosition(line: 1, column: 1, byte: 0))
    XCTAssertEqual(empty.range.end, HCLPosition(line: 1, column: 1, byte: 0))
    let blank = try parse("\n\n  # only a comment\n\n")
    XCTAssertTrue(blank.items.isEmpty)
    XCTAssertEqual(blank.range.end.line, 5)
  }

  func testAttributesAndBlocksKeepSourceOrder() throws {
    let body = try parse(
      """
      a = 1
      block "x" {
        inner = true
      }
      b = "two"
      other {}
      """)
    XCTAssertEqual(body.items.count, 4)
    guard case .attribute(let a) = body.items[0], case .block(let block) = body.items[1],
      case .attribute(let b) = body.items[2], case .block(let other) = body.items[3]
    else {
      return XCTFail("unexpected item kinds")
    }
    XCTAssertEqual(a.name, "a")
    XCTAssertEqual(block.type, "block")
    XCTAssertEqual(block.labelValues, ["x"])
    XCTAssertEqual(block.body.attribute(named: "inner")?.expression.literalValue, .bool(true))
    XCTAssertEqual(b.expression.stringValue, "two")
    XCTAssertEqual(other.type, "other")
    XCTAssertTrue(other.body.items.isEmpty)
    XCTAssertEqual(body.attributes.map(\.name), ["a", "b"])
    XCTAssertEqual(body.blocks.map(\.type), ["block", "other"])
  }

  func testBlockLabelsQuotedAndIdentifier() throws {
    let body = try parse(
      """
      resource "aws_instance" web {
      }
      service "with \\"escape\\"" "caf\\u00e9" {
      }
      """)
    let resource = body.blocks[0]
    XCTAssertEqual(resource.labels.map(\.value), ["aws_instance", "web"])
    XCTAssertEqual(resource.labels.map(\.isQuoted), [true, false])
    XCTAssertEqual(
      resource.labels[0].range,
      HCLRange(start: HCLPosition(line: 1, column: 10, byte: 9), end: HCLPosition(line: 1, column: 24, byte: 23)))
    XCTAssertEqual(body.blocks[1].labelValues, ["with \"escape\"", "café"])
  }

  func testAttributeAndBlockLookupHelpers() throws {
    let body = try parse(
      """
      variable "a" {}
      variable "b" {}
      output "o" {}
      name = "n"
      """)
    XCTAssertEqual(body.blocks(ofType: "variable").map(\.labelValues), [["a"], ["b"]])
    XCTAssertEqual(body.blocks(ofType: "module").count, 0)
    XCTAssertEqual(body.attribute(named: "name")?.expression.stringValue, "n")
    XCTAssertNil(body.attribute(named: "missing"))
  }

  func testSingleLineBlocks() throws {
    let body = try parse(
      """
      empty {}
      one { a = 1 }
      labeled "x" { b = [1, 2] }
      """)
    XCTAssertEqual(body.blocks.count, 3)
    XCTAssertTrue(body.blocks[0].body.items.isEmpty)
    XCTAssertEqual(body.blocks[1].body.attributes.map(\.name), ["a"])
    XCTAssertEqual(render(body.blocks[2].body.attributes[0].expression), "[1, 2]")
  }

  func testSingleLineBlockRestrictions() {
    XCTAssertTrue(syntaxError("b { x = 1 y = 2 }")?.message.contains("single-line block") ?? false)
    XCTAssertTrue(
      syntaxError("terraform { required_providers { aws = {} } }")?.message.contains("single-line block") ?? false)
  }

  func testNestedBlocks() throws {
    let body = try parse(
      """
      outer {
        middle "m" {
          inner {
            deep = "yes"
          }
        }
      }
      """)
    let deep = body.blocks[0].body.blocks[0].body.blocks[0].body.attribute(named: "deep")
    XCTAssertEqual(deep?.expression.stringValue, "yes")
    XCTAssertEqual(body.blocks[0].body.blocks[0].labelValues, ["m"])
  }

  func testIdentifiersMayContainDashes() throws {
    let body = try parse(
      """
      kebab-case-name = some-var.attr-name
      block-type label-name {
      }
      minus = a - b
      """)
    XCTAssertEqual(body.attributes[0].name, "kebab-case-name")
    XCTAssertEqual(render(body.attributes[0].expression), "some-var.attr-name")
    XCTAssertEqual(body.blocks[0].type, "block-type")
    XCTAssertEqual(body.blocks[0].labelValues, ["label-name"])
    XCTAssertEqual(render(body.attributes[1].expression), "(a - b)")
  }

  func testUnicodeIdentifiers() throws {
    let body = try parse("naïve_名前 = ünïcode.wert\n_private = 1\n")
    XCTAssertEqual(body.attributes.map(\.name), ["naïve_名前", "_private"])
    XCTAssertEqual(body.attributes[0].expression.traversal?.attributePath, ["ünïcode", "wert"])
    XCTAssertEqual(body.attributes[0].expression.range.start.column, 12)
    XCTAssertEqual(body.attributes[0].expression.range.end.column, 24)
    XCTAssertNotNil(syntaxError("名前 = ☃\n"))
  }

  func testCommentsEverywhere() throws {
    let body = try parse(
      """
      # hash comment
      // slash comment
      /* block
         comment */
      a = 1 # trailing
      b = /* inline */ 2 // trailing
      resource /* between */ "t" /* labels */ "n" { # after brace
        list = [
          1, # first
          // alone
          2, /* second */
        ]
        obj = {
          k = "v" # comment ends the element
          /* before */ j = "w"
        }
      } // after block
      c = 3
      # final comment without newline
      """)
    XCTAssertEqual(body.attributes.map(\.name), ["a", "b", "c"])
    XCTAssertEqual(body.blocks[0].labelValues, ["t", "n"])
    XCTAssertEqual(render(body.blocks[0].body.attribute(named: "list")!.expression), "[1, 2]")
    XCTAssertEqual(render(body.blocks[0].body.attribute(named: "obj")!.expression), #"{k="v", j="w"}"#)
  }

  func testCRLFLineEndings() throws {
    let body = try parse("a = 1\r\nb {\r\n  c = \"x\"\r\n}\r\n")
    XCTAssertEqual(body.attributes.map(\.name), ["a"])
    XCTAssertEqual(body.blocks[0].body.attribute(named: "c")?.expression.stringValue, "x")
    XCTAssertEqual(body.blocks[0].body.attribute(named: "c")?.nameRange.start.line, 3)
  }

  func testNodePositions() throws {
    let source = "a = 1\nblock \"x\" {\n  b = var.foo\n}\n"
    let body = try parse(source)
    let a = body.attributes[0]
    XCTAssertEqual(
      a.nameRange,
      HCLRange(start: HCLPosition(line: 1, column: 1, byte: 0), end: HCLPosition(line: 1, column: 2, byte: 1)))
    XCTAssertEqual(
      a.expression.range,
      HCLRange(start: HCLPosition(line: 1, column: 5, byte: 4), end: HCLPosition(line: 1, column: 6, byte: 5)))
    XCTAssertEqual(a.range.end.column, 6)
    let block = body.blocks[0]
    XCTAssertEqual(
      block.range,
      HCLRange(start: HCLPosition(line: 2, column: 1, byte: 6), end: HCLPosition(line: 4, column: 2, byte: 33)))
    XCTAssertEqual(block.body.range.start, HCLPosition(line: 2, column: 11, byte: 16))
    let b = block.body.attributes[0].expression
    XCTAssertEqual(
      b.range,
      HCLRange(start: HCLPosition(line: 3, column: 7, byte: 24), end: HCLPosition(line: 3, column: 14, byte: 31)))
    XCTAssertEqual(b.sourceText, "var.foo")
    XCTAssertEqual(b.traversal?.rootRange.end.column, 10)
    XCTAssertEqual(b.traversal?.steps.first?.range.start.column, 10)
    XCTAssertEqual(body.range.end, HCLPosition(line: 5, column: 1, byte: 34))
  }

  func testColumnsCountUnicodeScalars() throws {
    let body = try parse("x = \"é\" + y /* ü */ + z\n# ü\nw = \"日本\"\n")
    guard case .binary(_, let lhs, let z) = body.attributes[0].expression.kind,
      case .binary(_, let string, let y) = lhs.kind
    else { return XCTFail("unexpected shape") }
    XCTAssertEqual(
      string.range,
      HCLRange(start: HCLPosition(line: 1, column: 5, byte: 4), end: HCLPosition(line: 1, column: 8, byte: 8)))
    XCTAssertEqual(y.range.start, HCLPosition(line: 1, column: 11, byte: 11))
    XCTAssertEqual(z.range.start, HCLPosition(line: 1, column: 23, byte: 24))
    XCTAssertEqual(body.attributes[1].expression.range.end, HCLPosition(line: 3, column: 9, byte: 43))
  }

  func testSourceTextIsExactSlice() throws {
    let source = "value = merge(  var.a ,{ b = 1 } ) # note\nnext = \"é${ x }\""
    let body = try parse(source)
    XCTAssertEqual(body.attributes[0].expression.sourceText, "merge(  var.a ,{ b = 1 } )")
    guard case .functionCall(let call) = body.attributes[0].expression.kind else { return XCTFail() }
    XCTAssertEqual(call.arguments.map(\.sourceText), ["var.a", "{ b = 1 }"])
    XCTAssertEqual(body.attributes[1].expression.sourceText, "\"é${ x }\"")
  }

  func testDuplicateAttributeIsAnError() {
    let error = syntaxError("a = 1\nb = 2\na = 3\n")
    XCTAssertEqual(error?.line, 3)
    XCTAssertEqual(error?.column, 1)
    XCTAssertEqual(error?.message, "attribute \"a\" was already defined at line 1")
    // Same name in different bodies is fine.
    XCTAssertNoThrow(try HCLParser.parse("a = 1\nb {\n  a = 2\n}\nc {\n  a = 3\n}\n"))
  }

  func testDuplicateDetectionInLargeBodies() throws {
    var source = ""
    for i in 0..<200 { source += "attr_\(i) = \(i)\n" }
    XCTAssertEqual(try parse(source).attributes.count, 200)
    let error = syntaxError(source + "attr_57 = 1\n")
    XCTAssertEqual(error?.message, "attribute \"attr_57\" was already defined at line 58")
    XCTAssertEqual(error?.line, 201)
  }

  func testErrorExpectedEqualsOrBlockBody() {
    let error = syntaxError("resource\n")
    XCTAssertEqual(error?.line, 1)
    XCTAssertEqual(error?.column, 9)
    XCTAssertTrue(
      error?.message.hasPrefix("expected '=' or block body after identifier") ?? false, error?.message ?? "")
  }

  func testErrorMissingNewlineAfterAttribute() {
    let error = syntaxError("a = 1 b = 2\n")
    XCTAssertEqual(error?.column, 7)
    XCTAssertTrue(error?.message.contains("expected a newline after the attribute definition") ?? false)
    XCTAssertNotNil(syntaxError("b {\n  x = 1 }\n"))
  }

  func testErrorUnclosedBlockAndStrayBrace() {
    let unclosed = syntaxError("a {\n  b = 1\n")
    XCTAssertEqual(unclosed?.message, "expected '}' to close the block opened at line 1, found end of input")
    XCTAssertEqual(unclosed?.line, 3)
    let stray = syntaxError("a = 1\n}\n")
    XCTAssertEqual(stray?.line, 2)
    XCTAssertEqual(stray?.message, "unexpected '}' with no open block")
  }

  func testErrorLabelsMustBeLiteral() {
    XCTAssertTrue(
      syntaxError("resource \"${var.x}\" {}\n")?.message.contains("block labels must be literal strings") ?? false)
    XCTAssertNotNil(syntaxError("resource \"a\"\n\"b\" {}\n"))
    XCTAssertNotNil(syntaxError("resource 12 {}\n"))
  }

  func testErrorsForInvalidCharacters() {
    XCTAssertTrue(syntaxError("a = 'single'\n")?.message.contains("double quotes") ?? false)
    XCTAssertEqual(syntaxError("a = 1 & 2\n")?.column, 7)
    XCTAssertEqual(syntaxError("a = b @ c\n")?.message, "invalid character U+0040")
    XCTAssertEqual(syntaxError("a = /* never closed\n")?.message, "unterminated block comment")
  }

  func testByteInputAndEncodingErrors() throws {
    let body = try HCLParser.parse(utf8: Array("name = \"ok\"\n".utf8))
    XCTAssertEqual(body.attributes[0].expression.stringValue, "ok")
    XCTAssertThrowsError(try HCLParser.parse(utf8: [0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22])) { error in
      let e = error as? HCLSyntaxError
      XCTAssertEqual(e?.message, "invalid UTF-8 encoding")
      XCTAssertEqual(e?.column, 6)
    }
    XCTAssertThrowsError(try HCLParser.parse("\u{FEFF}a = 1\n")) { error in
      XCTAssertEqual((error as? HCLSyntaxError)?.message, "a UTF-8 byte order mark is not permitted")
    }
  }

  func testSyntaxErrorDescription() {
    let error = syntaxError("a = [1,\n")
    XCTAssertEqual(error?.description, "2:1: expected an expression, found end of input")
  }
}
