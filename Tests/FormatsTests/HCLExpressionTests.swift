import Formats
import XCTest

final class HCLExpressionTests: XCTestCase {
  private func expr(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> HCLExpression {
    do {
      return try HCLParser.parseExpression(source)
    } catch {
      XCTFail("unexpected syntax error \(error)", file: file, line: line)
      throw error
    }
  }

  private func rendered(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    HCLTestRenderer.render(try expr(source, file: file, line: line))
  }

  /// Parses `x = <source>` as a file so newline rules of attribute context apply.
  private func attribute(_ source: String) throws -> HCLExpression {
    try HCLParser.parse("x = " + source + "\n").attributes[0].expression
  }

  private func error(_ source: String) -> HCLSyntaxError? {
    do {
      _ = try HCLParser.parse(source)
      return nil
    } catch {
      return error
    }
  }

  func testNumberLiterals() throws {
    for text in ["0", "42", "1.5", "1e10", "1.5E-3", "2e+8", "007"] {
      XCTAssertEqual(try expr(text).literalValue, .number(HCLNumber(text: text)), text)
    }
    guard case .number(let n) = try expr("1.25e2").literalValue else { return XCTFail() }
    XCTAssertEqual(n.doubleValue, 125)
    guard case .number(let i) = try expr("12").literalValue else { return XCTFail() }
    XCTAssertEqual(i.intValue, 12)
    // A trailing dot is not part of the number: `1.` then attribute access fails.
    XCTAssertThrowsError(try HCLParser.parseExpression("1."))
  }

  func testBoolNullAndKeywordsAsNames() throws {
    XCTAssertEqual(try expr("true").literalValue, .bool(true))
    XCTAssertEqual(try expr("false").literalValue, .bool(false))
    XCTAssertEqual(try expr("null").literalValue, .null)
    XCTAssertEqual(try rendered("truthy"), "truthy")
    XCTAssertEqual(try rendered("a.true.null"), "a.true.null")
  }

  func testOperatorPrecedenceFollowsSpecLevels() throws {
    XCTAssertEqual(try rendered("1 + 2 * 3 - 4 / 2 % 5"), "((1 + (2 * 3)) - ((4 / 2) % 5))")
    XCTAssertEqual(try rendered("a || b && c == d"), "(a || (b && (c == d)))")
    XCTAssertEqual(try rendered("a == b != c"), "((a == b) != c)")
    XCTAssertEqual(try rendered("a < b == c >= d"), "((a < b) == (c >= d))")
    XCTAssertEqual(try rendered("a <= b && b > c || !d"), "(((a <= b) && (b > c)) || (!d))")
    XCTAssertEqual(try rendered("!a && -b > c"), "((!a) && ((-b) > c))")
    XCTAssertEqual(try rendered("-a.b[0] * 2"), "((-a.b[0]) * 2)")
  }

  func testLeftAssociativity() throws {
    XCTAssertEqual(try rendered("a - b - c"), "((a - b) - c)")
    XCTAssertEqual(try rendered("x / y * z"), "((x / y) * z)")
    XCTAssertEqual(try rendered("a || b || c"), "((a || b) || c)")
  }

  func testUnaryChains() throws {
    XCTAssertEqual(try rendered("- -1"), "(-(-1))")
    XCTAssertEqual(try rendered("!!a"), "(!(!a))")
  }

  func testConditionalIsRightAssociativeAndLowestPrecedence() throws {
    XCTAssertEqual(try rendered("a ? b : c ? d : e"), "(a ? b : (c ? d : e))")
    XCTAssertEqual(try rendered("x > 0 && y ? x + 1 : y"), "(((x > 0) && y) ? (x + 1) : y)")
    XCTAssertEqual(try rendered("length(l) > 0 ? l[0] : \"default\""), "((length(l) > 0) ? l[0] : \"default\")")
    XCTAssertTrue(error("x = a ? b\n")?.message.contains("expected ':'") ?? false)
  }

  func testVariablesAndTraversals() throws {
    let e = try expr("var.x")
    XCTAssertEqual(e.traversal?.root, "var")
    XCTAssertEqual(e.traversal?.attributePath, ["var", "x"])
    XCTAssertEqual(try rendered("a.b[0]"), "a.b[0]")
    XCTAssertEqual(try rendered("local.m[\"k\"].v"), "local.m[\"k\"].v")
    XCTAssertEqual(try rendered("a[var.i][1 + 1]"), "a[var.i][(1 + 1)]")
    XCTAssertEqual(try rendered("data.aws_ami.ubuntu.id"), "data.aws_ami.ubuntu.id")
    XCTAssertNil(try expr("a.b[0]").traversal?.attributePath)
    XCTAssertEqual(try expr("plain").traversal?.steps.count, 0)
    XCTAssertEqual(try rendered("a[\n  0\n]"), "a[0]")
  }

  func testLegacyIndex() throws {
    XCTAssertEqual(try rendered("foo.0.bar"), "foo[0].bar")
    guard case .index(let key, let range) = try expr("foo.12").traversal?.steps[0] else { return XCTFail() }
    XCTAssertEqual(key.literalValue, .number(HCLNumber(text: "12")))
    XCTAssertEqual(range.start.column, 4)
    XCTAssertTrue((try? HCLParser.parseExpression("foo.0.1")) == nil)
  }

  func testFullSplat() throws {
    XCTAssertEqual(try rendered("a[*].b[0]"), "splat(a[*].b[0])")
    XCTAssertEqual(try rendered("aws_instance.web[*].id"), "splat(aws_instance.web[*].id)")
    XCTAssertEqual(try rendered("a[*]"), "splat(a[*])")
    XCTAssertEqual(try rendered("a[*].b[*].c"), "splat(splat(a[*].b)[*].c)")
    let e = try expr("list[*].id")
    XCTAssertEqual(e.range.end.column, 11)
  }

  func testAttributeSplatStopsAtIndex() throws {
    XCTAssertEqual(try rendered("a.*.b.c"), "splat(a.*.b.c)")
    XCTAssertEqual(try rendered("a.*.b[0]"), "rel(splat(a.*.b))[0]")
    XCTAssertEqual(try rendered("a.*"), "splat(a.*)")
    guard case .splat(let source, let kind, let each) = try expr("x.y.*.z").kind else { return XCTFail() }
    XCTAssertEqual(HCLTestRenderer.render(source), "x.y")
    XCTAssertEqual(kind, .attribute)
    XCTAssertEqual(each.count, 1)
  }

  func testRelativeTraversals() throws {
    XCTAssertEqual(try rendered("f(x)[0].id"), "rel(f(x))[0].id")
    XCTAssertEqual(try rendered("(a).b"), "rel(paren(a)).b")
    XCTAssertEqual(try rendered("[1, 2][0]"), "rel([1, 2])[0]")
    XCTAssertEqual(try rendered("{a = 1}.a"), "rel({a=1}).a")
    XCTAssertEqual(try rendered("\"s\"[0]"), "rel(\"s\")[0]")
  }

  func testFunctionCalls() throws {
    XCTAssertEqual(try rendered("timestamp()"), "timestamp()")
    XCTAssertEqual(try rendered("max(1, 2, 3,)"), "max(1, 2, 3)")
    XCTAssertEqual(try rendered("concat(a, b...)"), "concat(a, b...)")
    XCTAssertEqual(
      try rendered("provider::aws::arn_parse(var.arn).region"), "rel(provider::aws::arn_parse(var.arn)).region")
    let call = try attribute("merge(\n  var.tags,\n  {\n    Name = \"x\"\n    Env  = var.env\n  },\n)")
    XCTAssertEqual(HCLTestRenderer.render(call), "merge(var.tags, {Name=\"x\", Env=var.env})")
    guard case .functionCall(let info) = call.kind else { return XCTFail() }
    XCTAssertEqual(info.name, "merge")
    XCTAssertEqual(info.nameRange.end.column, 10)
    XCTAssertFalse(info.expandsFinalArgument)
  }

  func testFunctionCallErrors() {
    XCTAssertTrue(error("x = f(a..., b)\n")?.message.contains("only the final argument can be expanded") ?? false)
    XCTAssertTrue(error("x = f(a b)\n")?.message.contains("expected ',' or ')'") ?? false)
    XCTAssertTrue(error("x = provider::\n")?.message.contains("expected a function name after '::'") ?? false)
  }

  func testTuples() throws {
    XCTAssertEqual(try rendered("[]"), "[]")
    XCTAssertEqual(try rendered("[1, \"two\", [3], {}]"), "[1, \"two\", [3], {}]")
    XCTAssertEqual(try rendered("[1, 2,]"), "[1, 2]")
    XCTAssertEqual(HCLTestRenderer.render(try attribute("[\n  1,\n  2\n  ,3\n]")), "[1, 2, 3]")
    XCTAssertTrue(error("x = [1 2]\n")?.message.contains("expected ',' or ']'") ?? false)
  }

  func testObjects() throws {
    let object = try attribute("{\n  a = 1\n  \"b\": 2, c = 3\n  (var.k) = 4\n  5 = \"five\"\n}")
    XCTAssertEqual(HCLTestRenderer.render(object), "{a=1, \"b\"=2, c=3, paren(var.k)=4, 5=\"five\"}")
    guard case .object(let items) = object.kind else { return XCTFail() }
    XCTAssertEqual(items.map(\.keyName), ["a", "b", "c", nil, "5"])
    XCTAssertEqual(items[0].range.start, HCLPosition(line: 2, column: 3, byte: 8))
    XCTAssertEqual(try rendered("{}"), "{}")
    XCTAssertEqual(try rendered("{a = 1,}"), "{a=1}")
    XCTAssertEqual(
      HCLTestRenderer.render(try attribute("{ nested = { deeper = [1, { x = y }] } }")), "{nested={deeper=[1, {x=y}]}}")
  }

  func testObjectErrors() {
    XCTAssertTrue(error("x = { a = 1 b = 2 }\n")?.message.contains("expected ',', a newline or '}'") ?? false)
    XCTAssertTrue(error("x = { a }\n")?.message.contains("expected '=' or ':' after the object key") ?? false)
    // Newlines are significant inside object constructors, so a value cannot continue on the next line.
    XCTAssertNotNil(error("x = {\n  a = 1 +\n    2\n}\n"))
  }

  func testForTupleExpression() throws {
    let e = try expr("[for k, v in var.map : upper(v) if k != \"skip\"]")
    XCTAssertEqual(HCLTestRenderer.render(e), "[for k, v in var.map: upper(v) if (k != \"skip\")]")
    guard case .forExpression(let f) = e.kind else { return XCTFail() }
    XCTAssertEqual(f.keyVariable, "k")
    XCTAssertEqual(f.valueVariable, "v")
    XCTAssertFalse(f.producesObject)
    XCTAssertEqual(try rendered("[for s in list: s.id]"), "[for s in list: s.id]")
  }

  func testForObjectExpression() throws {
    XCTAssertEqual(try rendered("{for i, v in [\"a\", \"b\"]: v => i}"), "{for i, v in [\"a\", \"b\"]: v => i}")
    XCTAssertEqual(
      try rendered("{for i, v in [\"a\", \"a\", \"b\"]: v => i...}"), "{for i, v in [\"a\", \"a\", \"b\"]: v => i...}")
    let multiline = try attribute("{\n  for k, v in var.m :\n  k => v\n  if v != null\n}")
    XCTAssertEqual(HCLTestRenderer.render(multiline), "{for k, v in var.m: k => v if (v != null)}")
    guard case .forExpression(let f) = multiline.kind else { return XCTFail() }
    XCTAssertTrue(f.producesObject)
    XCTAssertFalse(f.grouping)
    XCTAssertTrue(error("x = [for v in l: k => v]\n")?.message.contains("expected ']'") ?? false)
    XCTAssertTrue(error("x = {for v in l: v}\n")?.message.contains("expected '=>'") ?? false)
    XCTAssertTrue(error("x = [for v l: v]\n")?.message.contains("expected 'in'") ?? false)
  }

  func testForKeywordAmbiguityFromSpec() throws {
    XCTAssertNotNil(error("x = [for, foo, baz]\n"))
    XCTAssertEqual(try rendered("[(for), foo, baz]"), "[paren(for), foo, baz]")
    XCTAssertNotNil(error("x = {for = 1, baz = 2}\n"))
    XCTAssertEqual(try rendered("{\"for\" = 1, baz = 2}"), "{\"for\"=1, baz=2}")
    XCTAssertEqual(try rendered("{baz = 2, for = 1}"), "{baz=2, for=1}")
    XCTAssertEqual(try rendered("{(for) = 1, baz = 2}"), "{paren(for)=1, baz=2}")
  }

  func testParenthesesAllowNewlines() throws {
    let e = try attribute("(\n  length(var.a) > 0 &&\n  length(var.a) < 128\n)")
    XCTAssertEqual(HCLTestRenderer.render(e), "paren(((length(var.a) > 0) && (length(var.a) < 128)))")
    XCTAssertEqual(e.range.start.line, 1)
    XCTAssertEqual(e.range.end.line, 4)
  }

  func testNewlineEndsAnAttributeExpression() {
    XCTAssertNotNil(error("x = 1 +\n  2\n"))
    XCTAssertNotNil(error("x = a\n  ? b : c\n"))
    let e = error("x = cond ?\n  a : b\n")
    XCTAssertEqual(e?.message, "expected an expression, found newline")
  }

  func testStandaloneExpressionRejectsTrailingInput() {
    XCTAssertThrowsError(try HCLParser.parseExpression("a b")) { error in
      XCTAssertEqual((error as? HCLSyntaxError)?.message, "unexpected identifier \"b\" after the expression")
    }
    XCTAssertThrowsError(try HCLParser.parseExpression(""))
  }
}
