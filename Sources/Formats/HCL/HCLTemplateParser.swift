/// One flat template element before directives are nested; strip markers and heredoc indentation work on this form.
struct HCLTemplateItem {
  enum Kind {
    case literal([UInt8])
    case interpolation(HCLExpression)
    case ifOpen(HCLExpression)
    case elseMark
    case endIf
    case forOpen(key: String?, value: String, collection: HCLExpression)
    case endFor
  }

  var kind: Kind
  var stripBefore = false
  var stripAfter = false
  var range: HCLRange
}

extension HCLNativeParser {
  @inline(never)
  mutating func parseTemplate() throws -> HCLExpression {
    let open = token
    let heredoc = open.kind == .openHeredoc
    try advance()
    var items: [HCLTemplateItem] = []
    if !heredoc {
      // Fast path for the common plain string: build the String straight from the input bytes.
      if token.kind == .closeQuote {
        try advance()
        return expression(.literal(.string("")), from: open.start)
      }
      if token.kind == .templateLiteral, !token.flag {
        let literal = token
        try advance()
        if token.kind == .closeQuote {
          try advance()
          return expression(.literal(.string(lexer.text(literal))), from: open.start)
        }
        items.reserveCapacity(4)
        items.append(HCLTemplateItem(kind: .literal(literalBytes(literal)), range: literal.range))
      }
    }
    try collectTemplateItems(into: &items, closer: heredoc ? .closeHeredoc : .closeQuote)
    if heredoc, open.flag { HCLNativeParser.stripHeredocIndentation(&items) }
    HCLNativeParser.applyStripMarkers(&items)
    var index = 0
    let parts = try buildTemplateParts(items, &index, level: 0)
    if index < items.count { throw strayDirective(items[index]) }
    if !heredoc, items.allSatisfy({ if case .literal = $0.kind { true } else { false } }) {
      // Only escaped literal text: still a plain string literal.
      let value = parts.isEmpty ? "" : HCLTemplate(parts: parts, form: .quoted).literalValue ?? ""
      return expression(.literal(.string(value)), from: open.start)
    }
    let form: HCLTemplateForm =
      heredoc
      ? .heredoc(marker: lexer.heredocMarker(open), stripsIndentation: open.flag)
      : .quoted
    return expression(.template(HCLTemplate(parts: parts, form: form)), from: open.start)
  }

  func literalBytes(_ t: HCLToken) -> [UInt8] {
    Array(lexer.bytes[t.start.byte..<t.end.byte])
  }

  @inline(never)
  mutating func collectTemplateItems(into items: inout [HCLTemplateItem], closer: HCLTokenKind) throws {
    while true {
      let t = token
      switch t.kind {
      case .templateLiteral:
        // Advance first so an unterminated string is reported before a dangling trailing backslash.
        try advance()
        let value = t.flag ? try decodeLiteral(t, quoted: closer == .closeQuote) : literalBytes(t)
        items.append(HCLTemplateItem(kind: .literal(value), range: t.range))
      case .interpolationStart:
        try advance()
        let saved = includeNewlines
        includeNewlines = false
        let value = try parseExpression()
        let end = try peek()
        guard end.kind == .sequenceEnd else {
          throw expected(end) { "expected '}' to close the interpolation started at line \(t.start.line)" }
        }
        includeNewlines = saved
        try advance()
        items.append(
          HCLTemplateItem(
            kind: .interpolation(value), stripBefore: t.flag, stripAfter: end.flag,
            range: HCLRange(start: t.start, end: previousEnd)))
      case .directiveStart:
        items.append(try parseDirective(t))
      case closer:
        try advance()
        return
      default:
        throw fail(t) { "unexpected \(describe(t)) in template" }
      }
    }
  }

  @inline(never)
  mutating func parseDirective(_ open: HCLToken) throws -> HCLTemplateItem {
    try advance()
    let saved = includeNewlines
    includeNewlines = false
    defer { includeNewlines = saved }
    let keywordToken = try peek()
    guard keywordToken.kind == .identifier else {
      throw expected(keywordToken) { "expected a template directive (if, else, endif, for, endfor) after '%{'" }
    }
    let keyword = lexer.text(keywordToken)
    try advance()
    let kind: HCLTemplateItem.Kind
    switch keyword {
    case "if":
      kind = .ifOpen(try parseExpression())
    case "else":
      kind = .elseMark
    case "endif":
      kind = .endIf
    case "endfor":
      kind = .endFor
    case "for":
      let first = try expectIdentifier("expected a variable name after 'for'")
      var key: String?
      var value = first
      if try peek().kind == .comma {
        try advance()
        key = first
        value = try expectIdentifier("expected a second variable name after ','")
      }
      let inToken = try peek()
      guard isKeyword(inToken, "in") else {
        throw expected(inToken) { "expected 'in' after the for directive's variable names" }
      }
      try advance()
      kind = .forOpen(key: key, value: value, collection: try parseExpression())
    default:
      throw fail(keywordToken) { "invalid template directive \"\(keyword)\"; expected if, else, endif, for or endfor" }
    }
    let end = try peek()
    guard end.kind == .sequenceEnd else {
      throw expected(end) { "expected '}' to close the %{ \(keyword) } directive" }
    }
    try advance()
    return HCLTemplateItem(
      kind: kind, stripBefore: open.flag, stripAfter: end.flag,
      range: HCLRange(start: open.start, end: previousEnd))
  }

  /// `<<-`: removes the smallest leading-blank count of non-blank lines from every line-leading literal.
  static func stripHeredocIndentation(_ items: inout [HCLTemplateItem]) {
    var minimum = Int.max
    var atLineStart = true
    var adjust: [Int] = []
    for index in items.indices {
      let isLiteral: Bool
      var endsLine = false
      if case .literal(let b) = items[index].kind {
        isLiteral = true
        endsLine = b.last == 0x0A
        if atLineStart {
          var n = 0
          while n < b.count, b[n] == 0x20 || b[n] == 0x09 { n += 1 }
          let rest = b.count - n
          let blank = (rest == 1 && b[n] == 0x0A) || (rest == 2 && b[n] == 0x0D && b[n + 1] == 0x0A)
          if !blank {
            minimum = min(minimum, n)
            adjust.append(index)
          }
        }
      } else {
        isLiteral = false
        if atLineStart { minimum = 0 }
      }
      atLineStart = isLiteral && endsLine
    }
    guard minimum > 0, minimum != .max else { return }
    for index in adjust {
      if case .literal(let b) = items[index].kind { items[index].kind = .literal(Array(b[minimum...])) }
    }
  }

  /// `${~` trims whitespace at the end of the literal before it; `~}` trims the start of the literal after it.
  static func applyStripMarkers(_ items: inout [HCLTemplateItem]) {
    for index in items.indices {
      if items[index].stripBefore, index > 0, case .literal(let b) = items[index - 1].kind {
        var end = b.count
        while end > 0, isSpace(b[end - 1]) { end -= 1 }
        if end < b.count { items[index - 1].kind = .literal(Array(b[..<end])) }
      }
      if items[index].stripAfter, index + 1 < items.count, case .literal(let b) = items[index + 1].kind {
        var start = 0
        while start < b.count, isSpace(b[start]) { start += 1 }
        if start > 0 { items[index + 1].kind = .literal(Array(b[start...])) }
      }
    }
  }

  private static func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
  }

  /// Nests if/for directives; returns at else/endif/endfor so the caller can match them.
  @inline(never)
  mutating func buildTemplateParts(_ items: [HCLTemplateItem], _ index: inout Int, level: Int) throws
    -> [HCLTemplatePart]
  {
    var parts: [HCLTemplatePart] = []
    var pending: [UInt8] = []
    var pendingRange: HCLRange?
    func flush(_ parts: inout [HCLTemplatePart]) {
      if let range = pendingRange, !pending.isEmpty {
        parts.append(.literal(String(decoding: pending, as: UTF8.self), range: range))
      }
      pending = []
      pendingRange = nil
    }
    while index < items.count {
      let item = items[index]
      switch item.kind {
      case .literal(let b):
        if let range = pendingRange {
          pending += b
          pendingRange = HCLRange(start: range.start, end: item.range.end)
        } else {
          pending = b
          pendingRange = item.range
        }
        index += 1
      case .interpolation(let value):
        flush(&parts)
        parts.append(
          .interpolation(value, stripLeading: item.stripBefore, stripTrailing: item.stripAfter, range: item.range))
        index += 1
      case .ifOpen(let condition):
        flush(&parts)
        try checkTemplateDepth(level, item)
        index += 1
        let thenParts = try buildTemplateParts(items, &index, level: level + 1)
        var elseParts: [HCLTemplatePart]?
        if index < items.count, case .elseMark = items[index].kind {
          index += 1
          elseParts = try buildTemplateParts(items, &index, level: level + 1)
        }
        guard index < items.count, case .endIf = items[index].kind else {
          throw unclosedDirective(item, "if", "endif", found: index < items.count ? items[index] : nil)
        }
        let range = HCLRange(start: item.range.start, end: items[index].range.end)
        index += 1
        parts.append(
          .directive(.if(HCLTemplateIf(condition: condition, thenParts: thenParts, elseParts: elseParts, range: range)))
        )
      case .forOpen(let key, let value, let collection):
        flush(&parts)
        try checkTemplateDepth(level, item)
        index += 1
        let body = try buildTemplateParts(items, &index, level: level + 1)
        guard index < items.count, case .endFor = items[index].kind else {
          throw unclosedDirective(item, "for", "endfor", found: index < items.count ? items[index] : nil)
        }
        let range = HCLRange(start: item.range.start, end: items[index].range.end)
        index += 1
        parts.append(
          .directive(
            .for(
              HCLTemplateFor(keyVariable: key, valueVariable: value, collection: collection, body: body, range: range)))
        )
      case .elseMark, .endIf, .endFor:
        flush(&parts)
        return parts
      }
    }
    flush(&parts)
    return parts
  }

  private func checkTemplateDepth(_ level: Int, _ item: HCLTemplateItem) throws {
    if depth + level + 1 > maxDepth { throw tooDeep(item.range.start) }
  }

  private static func directiveName(_ item: HCLTemplateItem) -> String {
    switch item.kind {
    case .elseMark: "else"
    case .endIf: "endif"
    case .endFor: "endfor"
    case .ifOpen: "if"
    case .forOpen: "for"
    case .literal, .interpolation: "?"
    }
  }

  private func unclosedDirective(_ open: HCLTemplateItem, _ name: String, _ closer: String, found: HCLTemplateItem?)
    -> HCLSyntaxError
  {
    guard let found else {
      return HCLSyntaxError(
        at: open.range.start,
        "missing %{ \(closer) } for the %{ \(name) } directive started at line \(open.range.start.line)")
    }
    let foundName = HCLNativeParser.directiveName(found)
    return HCLSyntaxError(
      at: found.range.start,
      "unexpected %{ \(foundName) }; expected %{ \(closer) } to close the %{ \(name) } directive started at line \(open.range.start.line)"
    )
  }

  private func strayDirective(_ item: HCLTemplateItem) -> HCLSyntaxError {
    let name = HCLNativeParser.directiveName(item)
    let opener = name == "endfor" ? "for" : "if"
    return HCLSyntaxError(at: item.range.start, "unexpected %{ \(name) } without a matching %{ \(opener) }")
  }

  /// Resolves quoted-string escapes (`\n \r \t \" \\ \uNNNN \UNNNNNNNN`) and the `$${` / `%%{` literal escapes.
  func decodeLiteral(_ t: HCLToken, quoted: Bool) throws -> [UInt8] {
    let bytes = lexer.bytes
    var out: [UInt8] = []
    out.reserveCapacity(t.end.byte - t.start.byte)
    var i = t.start.byte
    let end = t.end.byte
    while i < end {
      let b = bytes[i]
      if quoted, b == UInt8(ascii: "\\") {
        guard i + 1 < end else { throw escapeError(t, i, "incomplete escape sequence at end of string") }
        let c = bytes[i + 1]
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "\""): out.append(c)
        case UInt8(ascii: "\\"): out.append(c)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
          let digits = c == UInt8(ascii: "u") ? 4 : 8
          guard i + 2 + digits <= end, let value = HCLNativeParser.hexValue(bytes, i + 2, digits),
            let scalar = Unicode.Scalar(value)
          else {
            throw escapeError(
              t, i,
              "invalid Unicode escape: \\\(Character(Unicode.Scalar(c))) must be followed by \(digits) hexadecimal digits naming a valid code point"
            )
          }
          UTF8.encode(scalar) { out.append($0) }
          i += 2 + digits
          continue
        default:
          let shown = c < 0x80 ? String(Character(Unicode.Scalar(c))) : "\\u{\(String(c, radix: 16))}"
          throw escapeError(
            t, i, "invalid escape sequence \\\(shown); valid escapes are \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN")
        }
        i += 2
        continue
      }
      if b == UInt8(ascii: "$") || b == UInt8(ascii: "%"), i + 2 < end, bytes[i + 1] == b,
        bytes[i + 2] == UInt8(ascii: "{")
      {
        out.append(b)
        out.append(UInt8(ascii: "{"))
        i += 3
        continue
      }
      out.append(b)
      i += 1
    }
    return out
  }

  private static func hexValue(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> UInt32? {
    var value: UInt32 = 0
    for k in start..<(start + count) {
      let b = bytes[k]
      let digit: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  /// Quoted literals never contain newlines, so the column is found by counting scalars from the token start.
  private func escapeError(_ t: HCLToken, _ offset: Int, _ message: String) -> HCLSyntaxError {
    var column = t.start.column
    for k in t.start.byte..<offset where lexer.bytes[k] & 0xC0 != 0x80 { column += 1 }
    return HCLSyntaxError(line: t.start.line, column: column, byteOffset: offset, message: message)
  }
}
