import Formats
import XCTest

/// Compact S-expression-like rendering of HCL expressions so tests can assert whole trees in one line.
enum HCLTestRenderer {
  static func render(_ e: HCLExpression) -> String {
    switch e.kind {
    case .literal(.string(let s)): return quote(s)
    case .literal(.number(let n)): return n.text
    case .literal(.bool(let b)): return b ? "true" : "false"
    case .literal(.null): return "null"
    case .template(let t):
      let prefix: String
      switch t.form {
      case .quoted: prefix = "tmpl"
      case .heredoc(let marker, let strips): prefix = "heredoc\(strips ? "-" : "")\(marker)"
      }
      return "\(prefix)(\(parts(t.parts)))"
    case .traversal(let t): return t.root + steps(t.steps)
    case .relativeTraversal(let source, let s): return "rel(\(render(source)))" + steps(s)
    case .splat(let source, let kind, let each):
      return "splat(\(render(source))\(kind == .full ? "[*]" : ".*")\(steps(each)))"
    case .functionCall(let call):
      return call.name + "(" + call.arguments.map(render).joined(separator: ", ")
        + (call.expandsFinalArgument ? "..." : "") + ")"
    case .tuple(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
    case .object(let items):
      return "{" + items.map { "\(render($0.key))=\(render($0.value))" }.joined(separator: ", ") + "}"
    case .unary(let op, let operand): return "(\(op.rawValue)\(render(operand)))"
    case .binary(let op, let l, let r): return "(\(render(l)) \(op.rawValue) \(render(r)))"
    case .conditional(let c, let t, let f): return "(\(render(c)) ? \(render(t)) : \(render(f)))"
    case .forExpression(let f):
      let vars = (f.keyVariable.map { "\($0), " } ?? "") + f.valueVariable
      let cond = f.condition.map { " if \(render($0))" } ?? ""
      if let key = f.keyExpression {
        return
          "{for \(vars) in \(render(f.collection)): \(render(key)) => \(render(f.valueExpression))\(f.grouping ? "..." : "")\(cond)}"
      }
      return "[for \(vars) in \(render(f.collection)): \(render(f.valueExpression))\(cond)]"
    case .parenthesized(let inner): return "paren(\(render(inner)))"
    }
  }

  static func steps(_ steps: [HCLTraversalStep]) -> String {
    steps.map { step in
      switch step {
      case .getAttr(let name, _): ".\(name)"
      case .index(let key, _): "[\(render(key))]"
      }
    }.joined()
  }

  static func parts(_ parts: [HCLTemplatePart]) -> String {
    parts.map { part in
      switch part {
      case .literal(let s, _): quote(s)
      case .interpolation(let e, let l, let r, _): "${\(l ? "~" : "")\(render(e))\(r ? "~" : "")}"
      case .directive(.if(let d)):
        "%if(\(render(d.condition)); \(self.parts(d.thenParts))"
          + (d.elseParts.map { "; else \(self.parts($0))" } ?? "") + ")"
      case .directive(.for(let d)):
        "%for(\(d.keyVariable.map { "\($0), " } ?? "")\(d.valueVariable) in \(render(d.collection)); \(self.parts(d.body)))"
      }
    }.joined(separator: " ")
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }
}

final class HCLRenderingTests: XCTestCase {
  func testRendererCoversEveryExpressionShape() throws {
    let source =
      #"[1, "s", true, null, "a${b}", a.b[0], f(x)[0], a[*].b, a.*.b, g(x...), {k = v}, -1, 1 + 2, c ? d : e, [for v in l: v], (p)]"#
    let e = try HCLParser.parseExpression(source)
    XCTAssertEqual(
      HCLTestRenderer.render(e),
      #"[1, "s", true, null, tmpl("a" ${b}), a.b[0], rel(f(x))[0], splat(a[*].b), splat(a.*.b), g(x...), {k=v}, (-1), (1 + 2), (c ? d : e), [for v in l: v], paren(p)]"#
    )
  }
}
