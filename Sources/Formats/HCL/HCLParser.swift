/// Parser for the HCL native syntax (Terraform `.tf`, Terragrunt `terragrunt.hcl`).
public enum HCLParser {
  /// Parses a whole configuration file into its top-level body.
  public static func parse(_ source: String, limits: HCLLimits = .default) throws(HCLSyntaxError) -> HCLBody {
    try run(source, limits) { (parser: inout HCLNativeParser) throws -> HCLBody in
      try parser.parseFile()
    }
  }

  /// Parses raw UTF-8 bytes; invalid UTF-8 is a syntax error.
  public static func parse(utf8 bytes: [UInt8], limits: HCLLimits = .default) throws(HCLSyntaxError) -> HCLBody {
    try parse(validatedString(bytes, limits), limits: limits)
  }

  /// Parses a single standalone expression (newlines are ignored outside object constructors).
  public static func parseExpression(_ source: String, limits: HCLLimits = .default) throws(HCLSyntaxError)
    -> HCLExpression
  {
    try run(source, limits) { (parser: inout HCLNativeParser) throws -> HCLExpression in
      try parser.parseStandaloneExpression()
    }
  }

  private static func validatedString(_ bytes: [UInt8], _ limits: HCLLimits) throws(HCLSyntaxError) -> String {
    try checkSize(bytes.count, limits)
    let invalid = bytes.withUnsafeBufferPointer { buffer -> HCLPosition? in
      guard let offset = HCLUTF8.firstInvalidOffset(buffer) else { return nil }
      return HCLLexer.slowPosition(buffer, offset)
    }
    if let position = invalid { throw HCLSyntaxError(at: position, "invalid UTF-8 encoding") }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func checkSize(_ size: Int, _ limits: HCLLimits) throws(HCLSyntaxError) {
    // Positions store 32-bit lines and columns, so the hard ceiling applies whatever the limits say.
    let limit = min(limits.maxInputBytes, Int(Int32.max))
    if size > limit {
      throw HCLSyntaxError(
        line: 1, column: 1, byteOffset: 0,
        message: "input is \(size) bytes, exceeding the limit of \(limit) bytes")
    }
  }

  private static func run<T>(
    _ source: String, _ limits: HCLLimits,
    _ body: (inout HCLNativeParser) throws -> T
  ) throws(HCLSyntaxError) -> T {
    try checkSize(source.utf8.count, limits)
    var text = source
    text.makeContiguousUTF8()
    let shared = text
    // Internally errors use untyped throws: a typed 40-byte error costs a stack slot per call site in every frame.
    func work(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<T, HCLSyntaxError> {
      do {
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
          throw HCLSyntaxError(line: 1, column: 1, byteOffset: 0, message: "a UTF-8 byte order mark is not permitted")
        }
        var parser = try HCLNativeParser(buffer, source: shared, limits: limits)
        return .success(try body(&parser))
      } catch let error as HCLSyntaxError {
        return .failure(error)
      } catch {
        return .failure(HCLSyntaxError(line: 1, column: 1, byteOffset: 0, message: "internal parser error: \(error)"))
      }
    }
    let result = shared.utf8.withContiguousStorageIfAvailable(work) ?? Array(shared.utf8).withUnsafeBufferPointer(work)
    return try result.get()
  }
}

extension HCLToken {
  var range: HCLRange { HCLRange(start: start, end: end) }
}

/// Recursive-descent parser with one token of lookahead; newline tokens are skipped while `includeNewlines` is false.
struct HCLNativeParser {
  var lexer: HCLLexer
  let source: String
  let maxDepth: Int
  let maxOperators: Int
  var token: HCLToken
  var previousEnd: HCLPosition
  var includeNewlines = true
  var depth = 0
  /// Binary operators in the attribute value being parsed, however nested: they bound the depth of its tree
  /// (see HCLLimits.maxOperatorChain).
  var operators = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>, source: String, limits: HCLLimits) throws {
    var lexer = HCLLexer(bytes: bytes, maxTokens: limits.maxTokenCount)
    token = try lexer.next()
    self.lexer = lexer
    self.source = source
    maxDepth = limits.maxNestingDepth
    maxOperators = limits.maxOperatorChain
    previousEnd = HCLPosition(line: 1, column: 1, byte: 0)
  }

  // MARK: Token helpers

  @inline(__always)
  mutating func peek() throws -> HCLToken {
    if !includeNewlines, token.kind == .newline { try skipNewlines() }
    return token
  }

  // Token fetching stays out of line so the recursive parsing functions keep small stack frames.
  @inline(never)
  mutating func skipNewlines() throws {
    while token.kind == .newline { token = try lexer.next() }
  }

  @inline(never)
  mutating func advance() throws {
    previousEnd = token.end
    if token.kind != .eof { token = try lexer.next() }
  }

  @inline(__always)
  mutating func enter() throws {
    depth += 1
    if depth > maxDepth { throw tooDeep(token.start) }
  }

  @inline(never)
  func tooDeep(_ position: HCLPosition) -> HCLSyntaxError {
    HCLSyntaxError(at: position, "nesting depth exceeds the limit of \(maxDepth)")
  }

  // Error builders stay out of line (messages passed as closures) so parsing frames stay small for deep nesting.
  @inline(never)
  func fail(_ t: HCLToken, _ message: String) -> HCLSyntaxError {
    HCLSyntaxError(at: t.start, message)
  }

  @inline(never)
  func fail(_ t: HCLToken, _ message: () -> String) -> HCLSyntaxError {
    HCLSyntaxError(at: t.start, message())
  }

  @inline(never)
  func expected(_ t: HCLToken, _ what: () -> String) -> HCLSyntaxError {
    HCLSyntaxError(at: t.start, "\(what()), found \(describe(t))")
  }

  func expression(_ kind: HCLExpressionKind, from start: HCLPosition) -> HCLExpression {
    HCLExpression(kind, HCLRange(start: start, end: previousEnd), source)
  }

  func isKeyword(_ t: HCLToken, _ keyword: StaticString) -> Bool {
    guard t.kind == .identifier, t.end.byte - t.start.byte == keyword.utf8CodeUnitCount else { return false }
    let k = keyword.utf8Start
    for i in 0..<keyword.utf8CodeUnitCount where lexer.bytes[t.start.byte + i] != k[i] { return false }
    return true
  }

  func keywordLiteral(_ t: HCLToken) -> HCLLiteralValue? {
    let length = t.end.byte - t.start.byte
    guard length == 4 || length == 5 else { return nil }
    if isKeyword(t, "true") { return .bool(true) }
    if isKeyword(t, "false") { return .bool(false) }
    if isKeyword(t, "null") { return .null }
    return nil
  }

  func describe(_ t: HCLToken) -> String {
    switch t.kind {
    case .eof: return "end of input"
    case .newline: return "newline"
    case .openQuote: return "a string"
    case .openHeredoc: return "a heredoc"
    case .templateLiteral: return "string content"
    case .closeHeredoc: return "the heredoc end marker"
    case .identifier, .number:
      var text = lexer.text(t)
      if text.count > 40 { text = String(text.prefix(40)) + "…" }
      return t.kind == .identifier ? "identifier \"\(text)\"" : "number \(text)"
    default: return "'\(lexer.text(t))'"
    }
  }

  mutating func expectIdentifier(_ message: String) throws -> String {
    let t = try peek()
    guard t.kind == .identifier else { throw expected(t) { message } }
    try advance()
    return lexer.text(t)
  }

  // MARK: Structure

  mutating func parseFile() throws -> HCLBody {
    let items = try parseBodyItems(openBrace: nil)
    return HCLBody(items: items, range: HCLRange(start: HCLPosition(line: 1, column: 1, byte: 0), end: token.end))
  }

  mutating func parseStandaloneExpression() throws -> HCLExpression {
    includeNewlines = false
    let result = try parseExpression()
    let t = try peek()
    guard t.kind == .eof else { throw fail(t) { "unexpected \(describe(t)) after the expression" } }
    return result
  }

  @inline(never)
  mutating func parseBodyItems(openBrace: HCLToken?) throws -> [HCLBodyItem] {
    var items: [HCLBodyItem] = []
    var names: [String: HCLPosition]?
    // Cheap filter over (length, first byte, last byte): duplicates are rare, so items are only scanned on a hit.
    var seenNames: UInt64 = 0
    while true {
      let t = token
      switch t.kind {
      case .newline:
        try advance()
      case .eof:
        if let open = openBrace {
          throw fail(t) { "expected '}' to close the block opened at line \(open.start.line), found end of input" }
        }
        return items
      case .closeBrace:
        if openBrace != nil { return items }
        throw fail(t, "unexpected '}' with no open block")
      case .identifier:
        let item = try parseBodyItem()
        if case .attribute(let a) = item {
          let bit = nameBit(a.nameRange)
          if names != nil || seenNames & bit != 0,
            let previous = HCLNativeParser.findAttribute(a.name, at: a.nameRange.start, in: items, index: &names)
          {
            throw duplicate(a, previous)
          }
          seenNames |= bit
        }
        if items.isEmpty { items.reserveCapacity(4) }
        items.append(item)
      default:
        throw expected(t) { "expected an attribute or block definition" }
      }
    }
  }

  @inline(never)
  func duplicate(_ a: HCLAttribute, _ previous: HCLPosition) -> HCLSyntaxError {
    HCLSyntaxError(at: a.nameRange.start, "attribute \"\(a.name)\" was already defined at line \(previous.line)")
  }

  func nameBit(_ range: HCLRange) -> UInt64 {
    let first = Int(lexer.bytes[range.start.byte])
    let last = Int(lexer.bytes[range.end.byte - 1])
    return 1 << UInt64((first &* 31 &+ last &* 7 &+ range.end.byte &- range.start.byte) & 63)
  }

  /// Duplicate-attribute lookup: scans small bodies, switches to a dictionary past 32 items to stay linear.
  static func findAttribute(
    _ name: String, at position: HCLPosition, in items: [HCLBodyItem],
    index: inout [String: HCLPosition]?
  ) -> HCLPosition? {
    if index == nil {
      if items.count < 32 {
        for case .attribute(let a) in items where a.name == name { return a.nameRange.start }
        return nil
      }
      var built: [String: HCLPosition] = [:]
      for case .attribute(let a) in items where built[a.name] == nil { built[a.name] = a.nameRange.start }
      index = built
    }
    if let previous = index?[name] { return previous }
    index?[name] = position
    return nil
  }

  @inline(never)
  mutating func parseBodyItem() throws -> HCLBodyItem {
    let nameToken = token
    let name = lexer.text(nameToken)
    try advance()
    switch token.kind {
    case .assign:
      let attribute = try parseAttribute(name, nameToken)
      try expectLineEnd(after: "the attribute definition")
      return .attribute(attribute)
    case .openBrace, .openQuote, .identifier:
      return .block(try parseBlock(name, nameToken))
    default:
      throw expected(token) { "expected '=' or block body after identifier \"\(name)\"" }
    }
  }

  @inline(never)
  mutating func parseAttribute(_ name: String, _ nameToken: HCLToken) throws -> HCLAttribute {
    try advance()
    operators = 0
    let value = try parseExpression()
    return HCLAttribute(name: name, nameRange: nameToken.range, expression: value)
  }

  mutating func expectLineEnd(after what: String) throws {
    switch token.kind {
    case .newline: try advance()
    case .eof: break
    default: throw expected(token) { "expected a newline after \(what)" }
    }
  }

  @inline(never)
  mutating func parseBlock(_ type: String, _ typeToken: HCLToken) throws -> HCLBlock {
    try enter()
    defer { depth -= 1 }
    var labels: [HCLBlockLabel] = []
    labelLoop: while true {
      let t = token
      switch t.kind {
      case .identifier:
        labels.append(HCLBlockLabel(value: lexer.text(t), isQuoted: false, range: t.range))
        try advance()
      case .openQuote:
        labels.append(try parseQuotedLabel())
      case .openBrace:
        break labelLoop
      default:
        throw expected(t) { "expected a block label or '{' after block type \"\(type)\"" }
      }
    }
    let open = token
    try advance()
    var items: [HCLBodyItem] = []
    switch token.kind {
    case .newline:
      try advance()
      items = try parseBodyItems(openBrace: open)
    case .closeBrace:
      break
    case .identifier:
      items = [try parseSingleLineBlockAttribute()]
    default:
      throw expected(token) { "expected a newline after '{' to start the block body" }
    }
    let close = token
    try advance()
    try expectLineEnd(after: "the block's closing '}'")
    let body = HCLBody(items: items, range: HCLRange(start: open.start, end: close.end))
    return HCLBlock(type: type, typeRange: typeToken.range, labels: labels, body: body)
  }

  @inline(never)
  mutating func parseSingleLineBlockAttribute() throws -> HCLBodyItem {
    let nameToken = token
    let name = lexer.text(nameToken)
    try advance()
    guard token.kind == .assign else {
      throw expected(token) {
        "a single-line block may contain only one attribute definition; expected '=' after \"\(name)\""
      }
    }
    let attribute = try parseAttribute(name, nameToken)
    guard token.kind == .closeBrace else {
      throw expected(token) { "expected '}' to close the single-line block (it may contain only one attribute)" }
    }
    return .attribute(attribute)
  }

  @inline(never)
  mutating func parseQuotedLabel() throws -> HCLBlockLabel {
    let open = token
    try advance()
    if token.kind == .templateLiteral, !token.flag {
      let literal = token
      try advance()
      if token.kind == .closeQuote {
        try advance()
        return HCLBlockLabel(
          value: lexer.text(literal), isQuoted: true, range: HCLRange(start: open.start, end: previousEnd))
      }
      return try finishQuotedLabel(open, literalBytes(literal))
    }
    return try finishQuotedLabel(open, [])
  }

  @inline(never)
  mutating func finishQuotedLabel(_ open: HCLToken, _ prefix: [UInt8]) throws -> HCLBlockLabel {
    var value = prefix
    while true {
      let t = token
      switch t.kind {
      case .templateLiteral:
        try advance()
        value += t.flag ? try decodeLiteral(t, quoted: true) : literalBytes(t)
      case .closeQuote:
        try advance()
        return HCLBlockLabel(
          value: String(decoding: value, as: UTF8.self), isQuoted: true,
          range: HCLRange(start: open.start, end: previousEnd))
      default:
        throw fail(t, "block labels must be literal strings; template interpolations and directives are not allowed")
      }
    }
  }

  // MARK: Expressions

  @inline(never)
  mutating func parseExpression() throws -> HCLExpression {
    try enter()
    defer { depth -= 1 }
    let condition = try parseBinary(minPrecedence: 1)
    guard try peek().kind == .question else { return condition }
    return try parseConditional(condition)
  }

  @inline(never)
  mutating func parseConditional(_ condition: HCLExpression) throws -> HCLExpression {
    try advance()
    let trueResult = try parseExpression()
    let colon = try peek()
    guard colon.kind == .colon else {
      throw expected(colon) { "expected ':' in the conditional expression" }
    }
    try advance()
    let falseResult = try parseExpression()
    return expression(
      .conditional(condition: condition, trueResult: trueResult, falseResult: falseResult),
      from: condition.range.start)
  }

  static func binaryOperator(_ kind: HCLTokenKind) -> HCLBinaryOperator? {
    switch kind {
    case .or: .or
    case .and: .and
    case .equal: .equal
    case .notEqual: .notEqual
    case .greater: .greater
    case .greaterEqual: .greaterOrEqual
    case .less: .less
    case .lessEqual: .lessOrEqual
    case .plus: .add
    case .minus: .subtract
    case .star: .multiply
    case .slash: .divide
    case .percent: .modulo
    default: nil
    }
  }

  /// Precedence climbing: operands of a level-N operator are parsed at level N+1, giving left associativity.
  @inline(never)
  mutating func parseBinary(minPrecedence: Int) throws -> HCLExpression {
    let first = try peek()
    var lhs = first.kind == .minus || first.kind == .bang ? try parseUnary() : try parsePostfix()
    while true {
      let t = try peek()
      guard let op = HCLNativeParser.binaryOperator(t.kind), op.precedence >= minPrecedence else { break }
      try advance()
      let rhs = try parseBinary(minPrecedence: op.precedence + 1)
      operators += 1
      if operators > maxOperators {
        throw HCLSyntaxError(at: t.start, "more than \(maxOperators) binary operators in one value")
      }
      lhs = expression(.binary(op, lhs, rhs), from: lhs.range.start)
    }
    return lhs
  }

  @inline(never)
  mutating func parseUnary() throws -> HCLExpression {
    let t = try peek()
    let op: HCLUnaryOperator
    switch t.kind {
    case .minus: op = .negate
    case .bang: op = .not
    default: return try parsePostfix()
    }
    try advance()
    try enter()
    defer { depth -= 1 }
    let operand = try parseUnary()
    return expression(.unary(op, operand), from: t.start)
  }

  /// Attribute access, indexing and splats; consecutive steps are collected flat so long chains do not nest.
  @inline(never)
  mutating func parsePostfix() throws -> HCLExpression {
    let first = try peek()
    if first.kind == .identifier { return try parseIdentifierTerm(first) }
    let base = try parsePrimary()
    let next = try peek()
    guard next.kind == .dot || next.kind == .openBracket else { return base }
    var state = HCLPostfixState(base: base)
    return try parseSteps(&state)
  }

  /// Variables, keyword literals and function calls, each possibly followed by attribute/index/splat steps.
  @inline(never)
  mutating func parseIdentifierTerm(_ first: HCLToken) throws -> HCLExpression {
    try advance()
    let next = try peek()
    let hasSteps = next.kind == .dot || next.kind == .openBracket
    var state: HCLPostfixState
    if next.kind == .openParen || next.kind == .doubleColon {
      let call = try parseFunctionCall(first)
      let after = try peek()
      guard after.kind == .dot || after.kind == .openBracket else { return call }
      state = HCLPostfixState(base: call)
    } else if let literal = keywordLiteral(first) {
      let value = HCLExpression(.literal(literal), first.range, source)
      guard hasSteps else { return value }
      state = HCLPostfixState(base: value)
    } else if hasSteps {
      // The variable stays unboxed until its steps are known, so `var.x` builds a single node.
      state = HCLPostfixState(root: lexer.text(first), range: first.range)
    } else {
      let traversal = HCLTraversal(root: lexer.text(first), rootRange: first.range, steps: [])
      return HCLExpression(.traversal(traversal), first.range, source)
    }
    return try parseSteps(&state)
  }

  @inline(never)
  mutating func parseSteps(_ state: inout HCLPostfixState) throws -> HCLExpression {
    defer { depth -= state.wrapped }
    while true {
      let t = try peek()
      if t.kind == .dot {
        try advance()
        let n = try peek()
        switch n.kind {
        case .identifier:
          try advance()
          state.append(.getAttr(name: lexer.text(n), range: HCLRange(start: t.start, end: n.end)))
        case .number:
          let digits = lexer.text(n)
          guard digits.utf8.allSatisfy({ HCLLexer.isDigit($0) }) else {
            throw fail(n) {
              "invalid legacy index \"\(digits)\"; chained legacy indexes are not supported, use [0][1] instead"
            }
          }
          try advance()
          let key = HCLExpression(.literal(.number(HCLNumber(text: digits))), n.range, source)
          state.append(.index(key: key, range: HCLRange(start: t.start, end: n.end)))
        case .star:
          try advance()
          try finish(&state)
          state.startSplat(.attribute, end: n.end)
        default:
          throw expected(n) { "expected an attribute name after '.'" }
        }
      } else if t.kind == .openBracket {
        // An index after an attribute-only splat applies to the splat result, not to each element.
        if state.splat == .attribute { try finish(&state) }
        try advance()
        let saved = includeNewlines
        includeNewlines = false
        if try peek().kind == .star {
          try advance()
          let close = try peek()
          guard close.kind == .closeBracket else { throw expected(close) { "expected ']' after '[*'" } }
          includeNewlines = saved
          try advance()
          try finish(&state)
          state.startSplat(.full, end: close.end)
        } else {
          let key = try parseExpression()
          let close = try peek()
          guard close.kind == .closeBracket else { throw expected(close) { "expected ']' to close the index" } }
          includeNewlines = saved
          try advance()
          state.append(.index(key: key, range: HCLRange(start: t.start, end: close.end)))
        }
      } else {
        break
      }
    }
    try finish(&state)
    return state.base!
  }

  /// Folds pending steps into the base: merged into a bare variable, or wrapped as a splat / relative traversal.
  @inline(never)
  mutating func finish(_ state: inout HCLPostfixState) throws {
    guard let base = state.base else {
      // A pending variable root absorbs its steps; a splat never starts before the root is materialized.
      let traversal = HCLTraversal(root: state.root, rootRange: state.rootRange, steps: state.steps)
      state.base = HCLExpression(
        .traversal(traversal), HCLRange(start: state.rootRange.start, end: state.segmentEnd), source)
      state.steps = []
      return
    }
    let range = HCLRange(start: base.range.start, end: state.segmentEnd)
    if let kind = state.splat {
      state.base = HCLExpression(.splat(source: base, kind: kind, each: state.steps), range, source)
    } else if state.steps.isEmpty {
      return
    } else {
      state.base = HCLExpression(.relativeTraversal(source: base, steps: state.steps), range, source)
    }
    state.steps = []
    state.splat = nil
    state.wrapped += 1
    try enter()
  }

  @inline(__always)
  mutating func parsePrimary() throws -> HCLExpression {
    let t = try peek()
    switch t.kind {
    case .number:
      try advance()
      return HCLExpression(.literal(.number(HCLNumber(text: lexer.text(t)))), t.range, source)
    case .openQuote, .openHeredoc:
      return try parseTemplate()
    case .openParen:
      return try parseParenthesized()
    case .openBracket:
      return try parseTuple()
    case .openBrace:
      return try parseObject()
    default:
      throw expected(t) { "expected an expression" }
    }
  }

  @inline(never)
  mutating func parseParenthesized() throws -> HCLExpression {
    let open = token
    try advance()
    let saved = includeNewlines
    includeNewlines = false
    let inner = try parseExpression()
    let close = try peek()
    guard close.kind == .closeParen else {
      throw expected(close) { "expected ')' to close the parenthesized expression" }
    }
    includeNewlines = saved
    try advance()
    return expression(.parenthesized(inner), from: open.start)
  }

  @inline(never)
  mutating func parseFunctionCall(_ first: HCLToken) throws -> HCLExpression {
    var name = lexer.text(first)
    while try peek().kind == .doubleColon {
      try advance()
      name += "::" + (try expectIdentifier("expected a function name after '::'"))
    }
    let nameRange = HCLRange(start: first.start, end: previousEnd)
    let open = try peek()
    guard open.kind == .openParen else {
      throw expected(open) { "expected '(' after function name \"\(name)\"" }
    }
    try advance()
    let saved = includeNewlines
    includeNewlines = false
    var arguments: [HCLExpression] = []
    var expands = false
    while try peek().kind != .closeParen {
      let argument = try parseExpression()
      if arguments.isEmpty { arguments.reserveCapacity(4) }
      arguments.append(argument)
      let separator = try peek()
      if separator.kind == .comma {
        try advance()
      } else if separator.kind == .ellipsis {
        try advance()
        expands = true
        let close = try peek()
        guard close.kind == .closeParen else {
          throw fail(close, "expected ')' after '...'; only the final argument can be expanded")
        }
      } else if separator.kind != .closeParen {
        throw expected(separator) { "expected ',' or ')' after a function argument" }
      }
    }
    includeNewlines = saved
    try advance()
    let call = HCLFunctionCall(name: name, nameRange: nameRange, arguments: arguments, expandsFinalArgument: expands)
    return expression(.functionCall(call), from: first.start)
  }

  @inline(never)
  mutating func parseTuple() throws -> HCLExpression {
    let open = token
    try advance()
    let saved = includeNewlines
    includeNewlines = false
    defer { includeNewlines = saved }
    if isKeyword(try peek(), "for") { return try parseForExpression(open, object: false) }
    var elements: [HCLExpression] = []
    while try peek().kind != .closeBracket {
      let element = try parseExpression()
      if elements.isEmpty { elements.reserveCapacity(4) }
      elements.append(element)
      let separator = try peek()
      if separator.kind == .comma {
        try advance()
      } else if separator.kind != .closeBracket {
        throw expected(separator) { "expected ',' or ']' after a tuple element" }
      }
    }
    try advance()
    return expression(.tuple(elements), from: open.start)
  }

  @inline(never)
  mutating func parseObject() throws -> HCLExpression {
    let open = token
    try advance()
    let saved = includeNewlines
    defer { includeNewlines = saved }
    includeNewlines = false
    if isKeyword(try peek(), "for") { return try parseForExpression(open, object: true) }
    // Inside an object constructor newlines separate elements, so they are significant again.
    includeNewlines = true
    var items: [HCLObjectItem] = []
    while true {
      while token.kind == .newline { try advance() }
      if token.kind == .closeBrace { break }
      let key = try parseExpression()
      let separator = token
      guard separator.kind == .assign || separator.kind == .colon else {
        throw expected(separator) { "expected '=' or ':' after the object key" }
      }
      try advance()
      let value = try parseExpression()
      if items.isEmpty { items.reserveCapacity(4) }
      items.append(HCLObjectItem(key: key, value: value, range: HCLRange(start: key.range.start, end: value.range.end)))
      switch token.kind {
      case .comma, .newline: try advance()
      case .closeBrace: break
      default: throw expected(token) { "expected ',', a newline or '}' after the object element" }
      }
    }
    try advance()
    return expression(.object(items), from: open.start)
  }

  /// `[for k, v in coll : v if cond]` or `{for k, v in coll : k => v... if cond}`; the caller restores newline mode.
  @inline(never)
  mutating func parseForExpression(_ open: HCLToken, object: Bool) throws -> HCLExpression {
    includeNewlines = false
    try advance()
    let first = try expectIdentifier("expected a variable name after 'for'")
    var keyVariable: String?
    var valueVariable = first
    if try peek().kind == .comma {
      try advance()
      keyVariable = first
      valueVariable = try expectIdentifier("expected a second variable name after ','")
    }
    let inToken = try peek()
    guard isKeyword(inToken, "in") else {
      throw expected(inToken) { "expected 'in' after the for-expression variable names" }
    }
    try advance()
    let collection = try parseExpression()
    let colon = try peek()
    guard colon.kind == .colon else {
      throw expected(colon) { "expected ':' after the for-expression collection" }
    }
    try advance()
    var keyExpression: HCLExpression?
    var valueExpression = try parseExpression()
    var grouping = false
    if object {
      let arrow = try peek()
      guard arrow.kind == .fatArrow else {
        throw expected(arrow) { "expected '=>' after the key expression of an object for-expression" }
      }
      try advance()
      keyExpression = valueExpression
      valueExpression = try parseExpression()
      if try peek().kind == .ellipsis {
        try advance()
        grouping = true
      }
    }
    var condition: HCLExpression?
    if isKeyword(try peek(), "if") {
      try advance()
      condition = try parseExpression()
    }
    let close = try peek()
    guard close.kind == (object ? .closeBrace : .closeBracket) else {
      throw expected(close) { "expected '\(object ? "}" : "]")' to close the for expression" }
    }
    try advance()
    let forExpression = HCLForExpression(
      keyVariable: keyVariable, valueVariable: valueVariable, collection: collection,
      keyExpression: keyExpression, valueExpression: valueExpression,
      grouping: grouping, condition: condition)
    return expression(.forExpression(forExpression), from: open.start)
  }
}

/// Accumulates postfix steps; `splat` is set while the steps belong to a splat's per-element traversal.
struct HCLPostfixState {
  /// Nil while the expression is still a bare variable named by `root`.
  var base: HCLExpression?
  var root = ""
  var rootRange: HCLRange
  var steps: [HCLTraversalStep] = []
  var splat: HCLSplatKind?
  var segmentEnd: HCLPosition
  var wrapped = 0

  init(base: HCLExpression) {
    self.base = base
    rootRange = base.range
    segmentEnd = base.range.end
  }

  init(root: String, range: HCLRange) {
    self.root = root
    rootRange = range
    segmentEnd = range.end
  }

  mutating func append(_ step: HCLTraversalStep) {
    if steps.isEmpty { steps.reserveCapacity(4) }
    steps.append(step)
    segmentEnd = step.range.end
  }

  mutating func startSplat(_ kind: HCLSplatKind, end: HCLPosition) {
    splat = kind
    segmentEnd = end
  }
}
