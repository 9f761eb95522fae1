import Formats
import XCTest

final class HCLTemplateTests: XCTestCase {
  private func value(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> HCLExpression {
    do {
      return try HCLParser.parse("x = " + source + "\n").attributes[0].expression
    } catch {
      XCTFail("unexpected syntax error \(error)", file: file, line: line)
      throw error
    }
  }

  private func rendered(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    HCLTestRenderer.render(try value(source, file: file, line: line))
  }

  private func error(_ source: String) -> HCLSyntaxError? {
    do {
      _ = try HCLParser.parse(source)
      return nil
    } catch {
      return error
    }
  }

  func testPlainStringsAreLiterals() throws {
    XCTAssertEqual(try value("\"hello\"").literalValue, .string("hello"))
    XCTAssertEqual(try value("\"\"").stringValue, "")
    XCTAssertEqual(try value("\"caf\u{e9} 日本\"").stringValue, "café 日本")
    XCTAssertNil(try value("\"a${b}\"").stringValue)
    XCTAssertNil(try value("42").stringValue)
  }

  func testStringEscapes() throws {
    XCTAssertEqual(try value(#""a\nb\rc\td\"e\\f""#).stringValue, "a\nb\rc\td\"e\\f")
    XCTAssertEqual(try value(#""\u00e9\U0001F600""#).stringValue, "é😀")
    XCTAssertEqual(try value(#""$${not} %%{interp} $ % $x %x""#).stringValue, "${not} %{interp} $ % $x %x")
  }

  func testInvalidEscapes() {
    let bad = error("x = \"ab\\qc\"\n")
    XCTAssertEqual(bad?.line, 1)
    XCTAssertEqual(bad?.column, 8)
    XCTAssertTrue(bad?.message.hasPrefix("invalid escape sequence \\q") ?? false)
    XCTAssertTrue(error("x = \"\\u12\"\n")?.message.contains("4 hexadecimal digits") ?? false)
    XCTAssertNotNil(error("x = \"\\uD800\"\n"))
  }

  func testUnterminatedString() {
    let e = error("a = 1\nb = \"abc\nc = 2\n")
    XCTAssertEqual(e?.message, "unterminated string")
    XCTAssertEqual(e?.line, 2)
    XCTAssertEqual(e?.column, 5)
    XCTAssertEqual(error("b = \"abc")?.message, "unterminated string")
    XCTAssertEqual(error("b = \"abc\\\n\"")?.message, "unterminated string")
  }

  func testInterpolation() throws {
    let e = try value("\"Hello, ${var.name}! You are ${var.age + 1}.\"")
    XCTAssertEqual(HCLTestRenderer.render(e), #"tmpl("Hello, " ${var.name} "! You are " ${(var.age + 1)} ".")"#)
    guard case .template(let t) = e.kind else { return XCTFail() }
    XCTAssertEqual(t.form, .quoted)
    XCTAssertEqual(
      t.parts[1].range,
      HCLRange(start: HCLPosition(line: 1, column: 13, byte: 12), end: HCLPosition(line: 1, column: 24, byte: 23)))
    XCTAssertNil(t.literalValue)
    XCTAssertEqual(try rendered("\"${x}\""), "tmpl(${x})")
    XCTAssertEqual(try rendered("\"${ {a = 1}.a }\""), "tmpl(${rel({a=1}).a})")
    XCTAssertEqual(try rendered("\"${\n  x\n}\""), "tmpl(${x})")
  }

  func testNestedTemplates() throws {
    XCTAssertEqual(try rendered(#""${"${true}"}""#), "tmpl(${tmpl(${true})})")
    XCTAssertEqual(try rendered(#""a${b ? "c${d}" : "e"}f""#), #"tmpl("a" ${(b ? tmpl("c" ${d}) : "e")} "f")"#)
    XCTAssertEqual(try rendered(#""${"}"}{""#), #"tmpl(${"}"} "{")"#)
    XCTAssertEqual(
      try rendered("<<A\nouter ${<<B\ninner\nB\n} end\nA"), #"heredocA("outer " ${heredocB("inner\n")} " end\n")"#)
  }

  func testIfDirective() throws {
    XCTAssertEqual(try rendered(#""%{ if var.on }on%{ else }off%{ endif }""#), #"tmpl(%if(var.on; "on"; else "off"))"#)
    XCTAssertEqual(try rendered(#""x%{if a}y%{endif}z""#), #"tmpl("x" %if(a; "y") "z")"#)
    guard case .template(let t) = try value(#""%{ if a }b%{ endif }""#).kind,
      case .directive(.if(let d)) = t.parts[0]
    else { return XCTFail() }
    XCTAssertNil(d.elseParts)
    XCTAssertEqual(d.range.start.column, 6)
    XCTAssertEqual(d.range.end.column, 26)
  }

  func testForDirective() throws {
    XCTAssertEqual(
      try rendered(#""%{ for i, v in list }${i}=${v},%{ endfor }""#), #"tmpl(%for(i, v in list; ${i} "=" ${v} ","))"#)
    XCTAssertEqual(try rendered(#""%{for v in [true]}${v}%{endfor}""#), "tmpl(%for(v in [true]; ${v}))")
  }

  func testStripMarkersFromSpec() throws {
    XCTAssertEqual(try rendered(#""hello ${~ "world" }""#), #"tmpl("hello" ${~"world"})"#)
    XCTAssertEqual(try rendered(#""%{ if true ~} hello %{~ endif }""#), #"tmpl(%if(true; "hello"))"#)
    XCTAssertEqual(try rendered(#""${"hello" ~}${" world"}""#), #"tmpl(${"hello"~} ${" world"})"#)
    XCTAssertEqual(try rendered(#""a \n ${~ b ~} \t c""#), #"tmpl("a" ${~b~} "c")"#)
  }

  func testDirectiveErrors() {
    XCTAssertTrue(error("x = \"%{ if a }b\"\n")?.message.hasPrefix("missing %{ endif }") ?? false)
    XCTAssertEqual(error("x = \"%{ endfor }\"\n")?.message, "unexpected %{ endfor } without a matching %{ for }")
    XCTAssertTrue(
      error("x = \"%{ for v in l }%{ else }%{ endfor }\"\n")?.message.hasPrefix(
        "unexpected %{ else }; expected %{ endfor }") ?? false)
    XCTAssertTrue(error("x = \"%{ while a }\"\n")?.message.contains("invalid template directive \"while\"") ?? false)
    XCTAssertTrue(error("x = \"${ a \"\n")?.message.contains("expected '}' to close the interpolation") ?? false)
    XCTAssertTrue(error("x = \"${ a ~ }\"\n")?.message.contains("strip marker") ?? false)
  }

  func testHeredoc() throws {
    let e = try HCLParser.parse(
      """
      policy = <<EOF
      {
        "Version": "2012-10-17"
      }
      EOF
      after = 1
      """)
    let policy = e.attributes[0].expression
    XCTAssertEqual(policy.stringValue, "{\n  \"Version\": \"2012-10-17\"\n}\n")
    guard case .template(let t) = policy.kind else { return XCTFail() }
    XCTAssertEqual(t.form, .heredoc(marker: "EOF", stripsIndentation: false))
    XCTAssertEqual(policy.range.start, HCLPosition(line: 1, column: 10, byte: 9))
    XCTAssertEqual(policy.range.end, HCLPosition(line: 5, column: 4, byte: 48))
    XCTAssertEqual(e.attributes[1].nameRange.start.line, 6)
  }

  func testIndentedHeredocStripsCommonIndentation() throws {
    let e = try HCLParser.parse(
      """
      block {
        x = <<-EOT
          hello
            world

          done
          EOT
      }
      """)
    let x = e.blocks[0].body.attributes[0].expression
    XCTAssertEqual(x.stringValue, "hello\n  world\n\ndone\n")
    guard case .template(let t) = x.kind else { return XCTFail() }
    XCTAssertEqual(t.form, .heredoc(marker: "EOT", stripsIndentation: true))
  }

  func testIndentedHeredocWithInterpolationAtLineStart() throws {
    // The blank prefix before `${c}` counts too, so the common indentation is two spaces.
    let x = try value("<<-EOT\n    a ${b}\n  ${c} d\n  EOT")
    XCTAssertEqual(HCLTestRenderer.render(x), #"heredoc-EOT("  a " ${b} "\n" ${c} " d\n")"#)
    let z = try value("<<-EOT\n    a\n${c}\n  EOT")
    XCTAssertEqual(HCLTestRenderer.render(z), #"heredoc-EOT("    a\n" ${c} "\n")"#)
    let y = try value("<<-EOT\n    a ${b}\n      c\n  EOT")
    XCTAssertEqual(HCLTestRenderer.render(y), #"heredoc-EOT("a " ${b} "\n  c\n")"#)
  }

  func testPlainHeredocKeepsIndentationAndAllowsIndentedMarker() throws {
    let x = try value("<<EOF\n  keep\n    this\n  EOF")
    XCTAssertEqual(x.stringValue, "  keep\n    this\n")
    XCTAssertEqual(try value("<<EOF\nEOF").stringValue, "")
    XCTAssertEqual(try value("<<EOF\nEOFX\nEOF").stringValue, "EOFX\n")
  }

  func testHeredocTemplatesAndEscapes() throws {
    let x = try value(
      "<<EOT\nname: ${var.name}\n%{ for s in var.list ~}\n- ${s}\n%{ endfor ~}\nraw: \\n $${literal}\nEOT")
    XCTAssertEqual(
      HCLTestRenderer.render(x),
      #"heredocEOT("name: " ${var.name} "\n" %for(s in var.list; "- " ${s} "\n") "raw: \\n ${literal}\n")"#)
  }

  func testHeredocInsideExpressions() throws {
    let body = try HCLParser.parse(
      """
      policy = jsonencode(<<-EOT
        {"a": 1}
        EOT
      )
      items = [<<A
      one
      A
      , <<B
      two
      B
      ]
      """)
    guard case .functionCall(let call) = body.attributes[0].expression.kind else { return XCTFail() }
    XCTAssertEqual(call.arguments[0].stringValue, "{\"a\": 1}\n")
    XCTAssertEqual(HCLTestRenderer.render(body.attributes[1].expression), #"[heredocA("one\n"), heredocB("two\n")]"#)
  }

  func testHeredocCRLF() throws {
    let body = try HCLParser.parse("x = <<EOF\r\nline\r\nEOF\r\ny = 1\r\n")
    XCTAssertEqual(body.attributes[0].expression.stringValue, "line\r\n")
    XCTAssertEqual(body.attributes.map(\.name), ["x", "y"])
  }

  func testUnterminatedHeredoc() {
    let e = error("a = 1\nb = 2\nc = <<EOF\nhello\nEOFNOT\n")
    XCTAssertEqual(e?.message, "unterminated heredoc <<EOF started at line 3")
    XCTAssertEqual(e?.line, 3)
    XCTAssertEqual(e?.column, 5)
    XCTAssertEqual(error("c = <<-END\n  x\n")?.message, "unterminated heredoc <<-END started at line 1")
    XCTAssertTrue(error("c = <<EOF trailing\nEOF\n")?.message.contains("must be followed by a newline") ?? false)
    XCTAssertTrue(error("c = << EOF\nEOF\n")?.message.contains("expected a heredoc marker") ?? false)
  }
}
