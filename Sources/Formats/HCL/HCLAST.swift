/// A body: the attributes and blocks of a file or of a block, in source order.
public struct HCLBody: Hashable, Sendable {
  public let items: [HCLBodyItem]
  /// Whole file for the top-level body; from `{` to `}` inclusive for a block body.
  public let range: HCLRange

  init(items: [HCLBodyItem], range: HCLRange) {
    self.items = items
    self.range = range
  }

  public var attributes: [HCLAttribute] {
    var result: [HCLAttribute] = []
    for case .attribute(let a) in items { result.append(a) }
    return result
  }

  public var blocks: [HCLBlock] {
    var result: [HCLBlock] = []
    for case .block(let b) in items { result.append(b) }
    return result
  }

  public func attribute(named name: String) -> HCLAttribute? {
    for case .attribute(let a) in items where a.name == name { return a }
    return nil
  }

  public func blocks(ofType type: String) -> [HCLBlock] {
    var result: [HCLBlock] = []
    for case .block(let b) in items where b.type == type { result.append(b) }
    return result
  }
}

public enum HCLBodyItem: Hashable, Sendable {
  case attribute(HCLAttribute)
  case block(HCLBlock)

  public var range: HCLRange {
    switch self {
    case .attribute(let a): a.range
    case .block(let b): b.range
    }
  }
}

/// `name = expression`.
public struct HCLAttribute: Hashable, Sendable {
  public let name: String
  public let nameRange: HCLRange
  public let expression: HCLExpression

  /// From the first character of the name to the end of the expression.
  public var range: HCLRange { HCLRange(start: nameRange.start, end: expression.range.end) }
}

/// `type label* { body }`.
public struct HCLBlock: Hashable, Sendable {
  public let type: String
  public let typeRange: HCLRange
  public let labels: [HCLBlockLabel]
  public let body: HCLBody

  /// From the first character of the type to the closing `}` inclusive.
  public var range: HCLRange { HCLRange(start: typeRange.start, end: body.range.end) }
  public var labelValues: [String] { labels.map(\.value) }
}

public struct HCLBlockLabel: Hashable, Sendable {
  /// The label text with escapes resolved (quotes removed).
  public let value: String
  /// Whether the label was written as a quoted string rather than a bare identifier.
  public let isQuoted: Bool
  public let range: HCLRange
}

/// An expression node; every node keeps its range and can return its exact source text.
public struct HCLExpression: Hashable, Sendable {
  // Immutable shared storage: copies are one reference, which keeps parent nodes and arrays small.
  private let node: HCLExpressionNode

  init(_ kind: HCLExpressionKind, _ range: HCLRange, _ source: String) {
    node = HCLExpressionNode(kind: kind, range: range, source: source)
  }

  public var kind: HCLExpressionKind { node.kind }
  public var range: HCLRange { node.range }

  /// The exact slice of the input this expression was parsed from.
  public var sourceText: String {
    let utf8 = node.source.utf8
    let lower = utf8.index(utf8.startIndex, offsetBy: range.start.byte)
    let upper = utf8.index(lower, offsetBy: range.end.byte - range.start.byte)
    return String(decoding: utf8[lower..<upper], as: UTF8.self)
  }

  /// The string value when this is a quoted string or heredoc made only of literal text (escapes resolved), else nil.
  public var stringValue: String? {
    switch kind {
    case .literal(.string(let value)): value
    case .template(let template): template.literalValue
    default: nil
    }
  }

  /// The literal value for strings, numbers, `true`, `false` and `null`, else nil.
  public var literalValue: HCLLiteralValue? {
    if case .literal(let value) = kind { return value }
    return nil
  }

  /// The traversal when this is a variable reference such as `var.x` or `a.b[0]`, else nil.
  public var traversal: HCLTraversal? {
    if case .traversal(let t) = kind { return t }
    return nil
  }

  // Structural equality; the shared source string is deliberately not compared (it may be megabytes).
  public static func == (lhs: HCLExpression, rhs: HCLExpression) -> Bool {
    lhs.node === rhs.node || (lhs.range == rhs.range && lhs.kind == rhs.kind)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(range)
    hasher.combine(kind)
  }
}

final class HCLExpressionNode: Sendable {
  let kind: HCLExpressionKind
  let range: HCLRange
  // The whole input, shared copy-on-write, so `sourceText` can slice it lazily.
  let source: String

  init(kind: HCLExpressionKind, range: HCLRange, source: String) {
    self.kind = kind
    self.range = range
    self.source = source
  }
}

public enum HCLExpressionKind: Hashable, Sendable {
  /// A quoted string without interpolations or directives (escapes resolved), a number, `true`, `false` or `null`.
  case literal(HCLLiteralValue)
  /// A quoted string containing `${...}` / `%{...}` sequences, or any heredoc.
  case template(HCLTemplate)
  /// A variable with optional attribute/index steps: `var.x`, `a.b[0]`, `local.m["k"]`.
  case traversal(HCLTraversal)
  /// Attribute/index steps applied to a non-variable expression: `f(x)[0].id`, `(a)[1]`.
  case relativeTraversal(source: HCLExpression, steps: [HCLTraversalStep])
  /// `a[*].b` (full) or `a.*.b` (attribute-only); `each` is applied to every element.
  case splat(source: HCLExpression, kind: HCLSplatKind, each: [HCLTraversalStep])
  case functionCall(HCLFunctionCall)
  case tuple([HCLExpression])
  case object([HCLObjectItem])
  case unary(HCLUnaryOperator, HCLExpression)
  case binary(HCLBinaryOperator, HCLExpression, HCLExpression)
  case conditional(condition: HCLExpression, trueResult: HCLExpression, falseResult: HCLExpression)
  // Boxed: the payload is large and for-expressions are comparatively rare.
  indirect case forExpression(HCLForExpression)
  /// `( expression )`, kept so object keys like `(var.k)` stay distinguishable from bare names.
  case parenthesized(HCLExpression)
}

public enum HCLLiteralValue: Hashable, Sendable {
  case string(String)
  case number(HCLNumber)
  case bool(Bool)
  case null
}

/// A numeric literal kept as written (HCL numbers are arbitrary precision).
public struct HCLNumber: Hashable, Sendable, CustomStringConvertible {
  public let text: String

  public init(text: String) {
    self.text = text
  }

  public var doubleValue: Double? { Double(text) }
  public var intValue: Int? { Int(text) }
  public var description: String { text }
}

public struct HCLTraversal: Hashable, Sendable {
  public let root: String
  public let rootRange: HCLRange
  public let steps: [HCLTraversalStep]

  /// Dotted names when every step is an attribute access (`["var", "x"]`), else nil.
  public var attributePath: [String]? {
    var path = [root]
    for step in steps {
      guard case .getAttr(let name, _) = step else { return nil }
      path.append(name)
    }
    return path
  }
}

public enum HCLTraversalStep: Hashable, Sendable {
  /// `.name`
  case getAttr(name: String, range: HCLRange)
  /// `[key]`, or the legacy `.0` form (key is then a number literal).
  case index(key: HCLExpression, range: HCLRange)

  public var range: HCLRange {
    switch self {
    case .getAttr(_, let r), .index(_, let r): r
    }
  }
}

public enum HCLSplatKind: Hashable, Sendable {
  /// `[*]`: later attribute and index steps apply to each element.
  case full
  /// `.*`: only later attribute steps apply to each element.
  case attribute
}

public struct HCLFunctionCall: Hashable, Sendable {
  /// The function name, including any `provider::ns::` namespace prefix.
  public let name: String
  public let nameRange: HCLRange
  public let arguments: [HCLExpression]
  /// True when the final argument is followed by `...`.
  public let expandsFinalArgument: Bool
}

public struct HCLObjectItem: Hashable, Sendable {
  /// A bare identifier key is a `.traversal` with no steps; it names the key literally.
  public let key: HCLExpression
  public let value: HCLExpression
  public let range: HCLRange

  /// The literal key: a bare identifier, a literal-only string, or a number/bool/null literal; nil for computed keys.
  public var keyName: String? {
    switch key.kind {
    case .traversal(let t) where t.steps.isEmpty: t.root
    case .literal(.string(let s)): s
    case .template(let t): t.literalValue
    case .literal(.number(let n)): n.text
    case .literal(.bool(let b)): b ? "true" : "false"
    case .literal(.null): "null"
    default: nil
    }
  }
}

public struct HCLForExpression: Hashable, Sendable {
  public let keyVariable: String?
  public let valueVariable: String
  public let collection: HCLExpression
  /// Present for object `for` (`{for ... : k => v}`), nil for tuple `for`.
  public let keyExpression: HCLExpression?
  public let valueExpression: HCLExpression
  /// True when the object value is followed by `...` (grouping mode).
  public let grouping: Bool
  public let condition: HCLExpression?

  public var producesObject: Bool { keyExpression != nil }
}

public enum HCLUnaryOperator: String, Hashable, Sendable {
  case negate = "-"
  case not = "!"
}

public enum HCLBinaryOperator: String, Hashable, Sendable {
  case or = "||"
  case and = "&&"
  case equal = "=="
  case notEqual = "!="
  case greater = ">"
  case greaterOrEqual = ">="
  case less = "<"
  case lessOrEqual = "<="
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case modulo = "%"

  /// Binding strength from the spec: higher binds tighter, all levels are left-associative.
  public var precedence: Int {
    switch self {
    case .or: 1
    case .and: 2
    case .equal, .notEqual: 3
    case .greater, .greaterOrEqual, .less, .lessOrEqual: 4
    case .add, .subtract: 5
    case .multiply, .divide, .modulo: 6
    }
  }
}

public struct HCLTemplate: Hashable, Sendable {
  public let parts: [HCLTemplatePart]
  public let form: HCLTemplateForm

  /// The concatenated text when every part is literal, else nil.
  public var literalValue: String? {
    if parts.count == 1, case .literal(let s, _) = parts[0] { return s }
    var result = ""
    for part in parts {
      guard case .literal(let s, _) = part else { return nil }
      result += s
    }
    return result
  }
}

public enum HCLTemplateForm: Hashable, Sendable {
  case quoted
  /// `<<MARKER` or, when `stripsIndentation`, `<<-MARKER`.
  case heredoc(marker: String, stripsIndentation: Bool)
}

public enum HCLTemplatePart: Hashable, Sendable {
  /// Literal text after escape resolution, heredoc indentation removal and `~` stripping.
  case literal(String, range: HCLRange)
  /// `${ expression }`; the flags record `${~` and `~}` strip markers.
  case interpolation(HCLExpression, stripLeading: Bool, stripTrailing: Bool, range: HCLRange)
  case directive(HCLTemplateDirective)

  public var range: HCLRange {
    switch self {
    case .literal(_, let r), .interpolation(_, _, _, let r): r
    case .directive(.if(let d)): d.range
    case .directive(.for(let d)): d.range
    }
  }
}

public enum HCLTemplateDirective: Hashable, Sendable {
  case `if`(HCLTemplateIf)
  case `for`(HCLTemplateFor)
}

/// `%{ if cond }...%{ else }...%{ endif }`.
public struct HCLTemplateIf: Hashable, Sendable {
  public let condition: HCLExpression
  public let thenParts: [HCLTemplatePart]
  public let elseParts: [HCLTemplatePart]?
  /// From `%{ if` to the closing `}` of `%{ endif }`.
  public let range: HCLRange
}

/// `%{ for k, v in coll }...%{ endfor }`.
public struct HCLTemplateFor: Hashable, Sendable {
  public let keyVariable: String?
  public let valueVariable: String
  public let collection: HCLExpression
  public let body: [HCLTemplatePart]
  /// From `%{ for` to the closing `}` of `%{ endfor }`.
  public let range: HCLRange
}
