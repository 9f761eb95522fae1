/// Renders an expression compactly from its syntax tree, so whitespace, comments and separator style never matter.
enum InterfaceExpressionText {
  static func render(_ expression: HCLExpression) -> String {
    var output = ""
    write(expression, to: &output)
    return output
  }

  static func write(_ expression: HCLExpression, to output: inout String) {
    switch expression.kind {
    case .literal(let value):
      writeLiteral(value, to: &output)
    case .template(let template):
      output += "\""
      writeParts(template.parts, to: &output)
      output += "\""
    case .traversal(let traversal):
      output += traversal.root
      writeSteps(traversal.steps, to: &output)
    case .relativeTraversal(let source, let steps):
      write(source, to: &output)
      writeSteps(steps, to: &output)
    case .splat(let source, let kind, let each):
      write(source, to: &output)
      output += kind == .full ? "[*]" : ".*"
      writeSteps(each, to: &output)
    case .functionCall(let call):
      output += call.name + "("
      writeList(call.arguments, to: &output)
      if call.expandsFinalArgument { output += "..." }
      output += ")"
    case .tuple(let elements):
      output += "["
      writeList(elements, to: &output)
      output += "]"
    case .object(let items):
      output += "{"
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        write(item.key, to: &output)
        output += "="
        write(item.value, to: &output)
      }
      output += "}"
    case .unary(let op, let operand):
      output += op.rawValue
      write(operand, to: &output)
    case .binary(let op, let lhs, let rhs):
      write(lhs, to: &output)
      output += op.rawValue
      write(rhs, to: &output)
    case .conditional(let condition, let trueResult, let falseResult):
      write(condition, to: &output)
      output += "?"
      write(trueResult, to: &output)
      output += ":"
      write(falseResult, to: &output)
    case .forExpression(let forExpression):
      writeFor(forExpression, to: &output)
    case .parenthesized(let inner):
      output += "("
      write(inner, to: &output)
      output += ")"
    }
  }

  private static func writeLiteral(_ value: HCLLiteralValue, to output: inout String) {
    switch value {
    case .string(let text): output += "\"" + escaped(text) + "\""
    case .number(let number): output += number.text
    case .bool(let flag): output += flag ? "true" : "false"
    case .null: output += "null"
    }
  }

  private static func writeList(_ expressions: [HCLExpression], to output: inout String) {
    for (index, expression) in expressions.enumerated() {
      if index > 0 { output += "," }
      write(expression, to: &output)
    }
  }

  private static func writeSteps(_ steps: [HCLTraversalStep], to output: inout String) {
    for step in steps {
      switch step {
      case .getAttr(let name, _):
        output += "." + name
      case .index(let key, _):
        output += "["
        write(key, to: &output)
        output += "]"
      }
    }
  }

  private static func writeFor(_ expression: HCLForExpression, to output: inout String) {
    output += expression.producesObject ? "{for " : "[for "
    if let key = expression.keyVariable { output += key + "," }
    output += expression.valueVariable + " in "
    write(expression.collection, to: &output)
    output += ":"
    if let key = expression.keyExpression {
      write(key, to: &output)
      output += "=>"
    }
    write(expression.valueExpression, to: &output)
    if expression.grouping { output += "..." }
    if let condition = expression.condition {
      output += " if "
      write(condition, to: &output)
    }
    output += expression.producesObject ? "}" : "]"
  }

  private static func writeParts(_ parts: [HCLTemplatePart], to output: inout String) {
    for part in parts {
      switch part {
      case .literal(let text, _):
        output += escaped(text)
      case .interpolation(let expression, let stripLeading, let stripTrailing, _):
        output += stripLeading ? "${~" : "${"
        write(expression, to: &output)
        output += stripTrailing ? "~}" : "}"
      case .directive(.if(let directive)):
        output += "%{if "
        write(directive.condition, to: &output)
        output += "}"
        writeParts(directive.thenParts, to: &output)
        if let elseParts = directive.elseParts {
          output += "%{else}"
          writeParts(elseParts, to: &output)
        }
        output += "%{endif}"
      case .directive(.for(let directive)):
        output += "%{for "
        if let key = directive.keyVariable { output += key + "," }
        output += directive.valueVariable + " in "
        write(directive.collection, to: &output)
        output += "}"
        writeParts(directive.body, to: &output)
        output += "%{endfor}"
      }
    }
  }

  /// Quoted-string escaping, including the `$${` and `%%{` forms so literal text never reads as a template.
  static func escaped(_ text: String) -> String {
    var result = ""
    var previous: Unicode.Scalar?
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "{" where previous == "$" || previous == "%":
        result.unicodeScalars.append(previous ?? "$")
        result += "{"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
      previous = scalar
    }
    return result
  }
}
