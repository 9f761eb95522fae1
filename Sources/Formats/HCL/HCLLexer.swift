enum HCLTokenKind: UInt8 {
  case eof, newline, identifier, number
  case openQuote, closeQuote, openHeredoc, closeHeredoc, templateLiteral
  case interpolationStart, directiveStart, sequenceEnd
  case openBrace, closeBrace, openBracket, closeBracket, openParen, closeParen
  case plus, minus, star, slash, percent
  case and, or, bang
  case equal, notEqual, less, greater, lessEqual, greaterEqual
  case assign, colon, doubleColon, question, fatArrow, dot, comma, ellipsis
}

struct HCLToken {
  var kind: HCLTokenKind
  /// Strip marker (`${~`, `~}`) for sequence tokens, "has escapes" for literals, `<<-` for heredoc openers.
  var flag: Bool
  var start: HCLPosition
  var end: HCLPosition
}

/// Pull lexer over UTF-8 bytes; a mode stack tracks quoted strings, heredocs and `${`/`%{` sequences.
struct HCLLexer {
  private enum FrameKind: UInt8 { case quoted, heredoc, sequence }

  private struct Frame {
    var kind: FrameKind
    var braceDepth = 0
    var markerStart = 0
    var markerEnd = 0
    var opener: HCLPosition
  }

  let bytes: UnsafeBufferPointer<UInt8>
  private var offset = 0
  private var frames: [Frame] = []
  // Kind of the innermost frame (nil outside any string), cached so `next()` avoids touching the array.
  private var mode: FrameKind?
  private var heredocLineStart = false
  private var tokenCount = 0
  private let maxTokens: Int
  // Line tracking: tokens only contain a newline as their last byte, so lines are counted where tokens end.
  private var line = 1
  private var lineStart = 0
  // No byte >= 0x80 occurs on the current line before this offset, so columns there are plain byte distances.
  private var nonASCIIFrom = Int.max
  // Continuation bytes counted on the current line from nonASCIIFrom up to contOffset, so columns count scalars.
  private var contOffset = 0
  private var contCount = 0

  init(bytes: UnsafeBufferPointer<UInt8>, maxTokens: Int) {
    self.bytes = bytes
    self.maxTokens = maxTokens
  }

  // MARK: Positions

  @inline(__always)
  mutating func position(at target: Int) -> HCLPosition {
    if target <= nonASCIIFrom, target >= lineStart {
      return HCLPosition(line: line, column: target - lineStart + 1, byte: target)
    }
    return unicodePosition(at: target)
  }

  @inline(never)
  private mutating func unicodePosition(at target: Int) -> HCLPosition {
    guard target >= lineStart else { return HCLLexer.slowPosition(bytes, target) }
    if contOffset < nonASCIIFrom {
      contOffset = nonASCIIFrom
      contCount = 0
    }
    if target < contOffset {
      var continuations = 0
      for i in lineStart..<target where bytes[i] & 0xC0 == 0x80 { continuations += 1 }
      return HCLPosition(line: line, column: target - lineStart - continuations + 1, byte: target)
    }
    var continuations = contCount
    for i in contOffset..<target where bytes[i] & 0xC0 == 0x80 { continuations += 1 }
    contOffset = target
    contCount = continuations
    return HCLPosition(line: line, column: target - lineStart - continuations + 1, byte: target)
  }

  @inline(__always)
  private mutating func startLine(at offset: Int) {
    line &+= 1
    lineStart = offset
    nonASCIIFrom = .max
    contOffset = offset
    contCount = 0
  }

  /// Called by every scan that may pass bytes >= 0x80 before a position on the same line is requested.
  @inline(__always)
  private mutating func noteNonASCII(from offset: Int, _ accumulated: UInt8) {
    if accumulated & 0x80 != 0, offset < nonASCIIFrom { nonASCIIFrom = offset }
  }

  static func slowPosition(_ bytes: UnsafeBufferPointer<UInt8>, _ target: Int) -> HCLPosition {
    var line = 1
    var column = 1
    for i in 0..<min(target, bytes.count) {
      if bytes[i] == 0x0A {
        line += 1
        column = 1
      } else if bytes[i] & 0xC0 != 0x80 {
        column += 1
      }
    }
    return HCLPosition(line: line, column: column, byte: target)
  }

  @inline(never)
  private mutating func error(at offset: Int, _ message: String) -> HCLSyntaxError {
    HCLSyntaxError(at: position(at: offset), message)
  }

  @inline(never)
  private mutating func tooManyTokens() -> HCLSyntaxError {
    error(at: offset, "input has more than \(maxTokens) tokens, exceeding the parser limit")
  }

  @inline(never)
  private mutating func invalidCharacter(at offset: Int) -> HCLSyntaxError {
    let (scalar, _) = decodeScalar(at: offset)
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return error(at: offset, "invalid character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)")
  }

  private mutating func token(_ kind: HCLTokenKind, _ start: Int, _ end: Int, flag: Bool = false) -> HCLToken {
    let s = position(at: start)
    offset = end
    if end > start, bytes[end - 1] == 0x0A {
      startLine(at: end)
      return HCLToken(kind: kind, flag: flag, start: s, end: HCLPosition(line: line, column: 1, byte: end))
    }
    return HCLToken(kind: kind, flag: flag, start: s, end: position(at: end))
  }

  func text(_ token: HCLToken) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start.byte..<token.end.byte]), as: UTF8.self)
  }

  /// The marker name of a heredoc opener token (`<<EOF` or `<<-EOF`).
  func heredocMarker(_ token: HCLToken) -> String {
    var start = token.start.byte + 2
    if bytes[start] == UInt8(ascii: "-") { start += 1 }
    var end = token.end.byte
    while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  }

  // MARK: Tokens

  // Not inlined into the parser: keeps recursive parser frames small (hostile nesting) at the cost of one call.
  @inline(never)
  mutating func next() throws -> HCLToken {
    tokenCount &+= 1
    if tokenCount > maxTokens { throw tooManyTokens() }
    switch mode {
    case .quoted: return try lexQuoted()
    case .heredoc: return try lexHeredoc()
    case .sequence, nil: return try lexNormal()
    }
  }

  private mutating func push(_ frame: Frame) {
    frames.append(frame)
    mode = frame.kind
  }

  private mutating func pop() {
    frames.removeLast()
    mode = frames.last?.kind
  }

  private mutating func lexNormal() throws -> HCLToken {
    let count = bytes.count
    var i = offset
    // Spaces, tabs and inline comments are whitespace.
    while i < count {
      let b = bytes[i]
      if b == 0x20 || b == 0x09 {
        i &+= 1
      } else if b == UInt8(ascii: "/"), i + 1 < count, bytes[i + 1] == UInt8(ascii: "*") {
        let commentStart = i
        i += 2
        var closed = false
        var seen: UInt8 = 0
        while i + 1 < count {
          let c = bytes[i]
          seen |= c
          if c == UInt8(ascii: "*"), bytes[i + 1] == UInt8(ascii: "/") {
            i += 2
            closed = true
            break
          }
          if c == 0x0A {
            startLine(at: i + 1)
            seen = 0
          }
          i &+= 1
        }
        if !closed { throw error(at: commentStart, "unterminated block comment") }
        noteNonASCII(from: commentStart, seen)
      } else {
        break
      }
    }
    guard i < count else { return token(.eof, count, count) }
    let start = i
    let b = bytes[i]
    let next: UInt8 = i + 1 < count ? bytes[i + 1] : 0
    switch b {
    case 0x0A:
      return token(.newline, start, i + 1)
    case 0x0D:
      if next == 0x0A { return token(.newline, start, i + 2) }
      throw error(at: start, "invalid character U+000D (carriage return not followed by a newline)")
    case UInt8(ascii: "#"):
      return lineComment(from: start)
    case UInt8(ascii: "/"):
      if next == UInt8(ascii: "/") { return lineComment(from: start) }
      return token(.slash, start, i + 1)
    case UInt8(ascii: "\""):
      let t = token(.openQuote, start, i + 1)
      push(Frame(kind: .quoted, opener: t.start))
      return t
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      return token(.number, start, scanNumber(from: i))
    case UInt8(ascii: "{"):
      if let last = frames.indices.last { frames[last].braceDepth += 1 }
      return token(.openBrace, start, i + 1)
    case UInt8(ascii: "}"):
      if let last = frames.indices.last {
        if frames[last].braceDepth == 0 {
          pop()
          return token(.sequenceEnd, start, i + 1)
        }
        frames[last].braceDepth -= 1
        return token(.closeBrace, start, i + 1)
      }
      return token(.closeBrace, start, i + 1)
    case UInt8(ascii: "~"):
      if let last = frames.last, last.braceDepth == 0, next == UInt8(ascii: "}") {
        pop()
        return token(.sequenceEnd, start, i + 2, flag: true)
      }
      throw error(at: start, "invalid character '~'; a strip marker is only allowed as '${~', '%{~' or '~}'")
    case UInt8(ascii: "["): return token(.openBracket, start, i + 1)
    case UInt8(ascii: "]"): return token(.closeBracket, start, i + 1)
    case UInt8(ascii: "("): return token(.openParen, start, i + 1)
    case UInt8(ascii: ")"): return token(.closeParen, start, i + 1)
    case UInt8(ascii: ","): return token(.comma, start, i + 1)
    case UInt8(ascii: "?"): return token(.question, start, i + 1)
    case UInt8(ascii: "+"): return token(.plus, start, i + 1)
    case UInt8(ascii: "-"): return token(.minus, start, i + 1)
    case UInt8(ascii: "*"): return token(.star, start, i + 1)
    case UInt8(ascii: "%"): return token(.percent, start, i + 1)
    case UInt8(ascii: "="):
      if next == UInt8(ascii: "=") { return token(.equal, start, i + 2) }
      if next == UInt8(ascii: ">") { return token(.fatArrow, start, i + 2) }
      return token(.assign, start, i + 1)
    case UInt8(ascii: "!"):
      if next == UInt8(ascii: "=") { return token(.notEqual, start, i + 2) }
      return token(.bang, start, i + 1)
    case UInt8(ascii: "<"):
      if next == UInt8(ascii: "=") { return token(.lessEqual, start, i + 2) }
      if next == UInt8(ascii: "<") { return try heredocOpener(from: start) }
      return token(.less, start, i + 1)
    case UInt8(ascii: ">"):
      if next == UInt8(ascii: "=") { return token(.greaterEqual, start, i + 2) }
      return token(.greater, start, i + 1)
    case UInt8(ascii: "&"):
      if next == UInt8(ascii: "&") { return token(.and, start, i + 2) }
      throw error(at: start, "invalid character '&'; did you mean '&&'?")
    case UInt8(ascii: "|"):
      if next == UInt8(ascii: "|") { return token(.or, start, i + 2) }
      throw error(at: start, "invalid character '|'; did you mean '||'?")
    case UInt8(ascii: ":"):
      if next == UInt8(ascii: ":") { return token(.doubleColon, start, i + 2) }
      return token(.colon, start, i + 1)
    case UInt8(ascii: "."):
      if next == UInt8(ascii: "."), i + 2 < count, bytes[i + 2] == UInt8(ascii: ".") {
        return token(.ellipsis, start, i + 3)
      }
      return token(.dot, start, i + 1)
    case UInt8(ascii: "'"):
      throw error(at: start, "invalid character \"'\"; strings must be enclosed in double quotes")
    default:
      if let end = scanIdentifier(from: i) { return token(.identifier, start, end) }
      throw invalidCharacter(at: start)
    }
  }

  /// `#` and `//` comments run to the end of the line and count as a newline token.
  private mutating func lineComment(from start: Int) -> HCLToken {
    var i = start
    let count = bytes.count
    var seen: UInt8 = 0
    while i < count, bytes[i] != 0x0A {
      seen |= bytes[i]
      i &+= 1
    }
    noteNonASCII(from: start, seen)
    return token(.newline, start, i < count ? i + 1 : count)
  }

  private func scanNumber(from start: Int) -> Int {
    let count = bytes.count
    var i = start
    while i < count, HCLLexer.isDigit(bytes[i]) { i &+= 1 }
    if i + 1 < count, bytes[i] == UInt8(ascii: "."), HCLLexer.isDigit(bytes[i + 1]) {
      i += 2
      while i < count, HCLLexer.isDigit(bytes[i]) { i &+= 1 }
    }
    if i < count, bytes[i] | 0x20 == UInt8(ascii: "e") {
      var j = i + 1
      if j < count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
      if j < count, HCLLexer.isDigit(bytes[j]) {
        i = j
        while i < count, HCLLexer.isDigit(bytes[i]) { i &+= 1 }
      }
    }
    return i
  }

  /// Identifier = ID_Start (ID_Continue | '-')*, with '_' also allowed first; returns nil if none starts here.
  mutating func scanIdentifier(from start: Int) -> Int? {
    let count = bytes.count
    let first = bytes[start]
    var i: Int
    if first < 0x80 {
      guard HCLLexer.isASCIILetter(first) || first == UInt8(ascii: "_") else { return nil }
      i = start + 1
    } else {
      guard let length = unicodeIdentifierLength(at: start, first: true) else { return nil }
      noteNonASCII(from: start, first)
      i = start + length
    }
    while i < count {
      let b = bytes[i]
      if b < 64 {
        guard (HCLLexer.identifierLow >> UInt64(b)) & 1 != 0 else { break }
        i &+= 1
      } else if b < 128 {
        guard (HCLLexer.identifierHigh >> UInt64(b &- 64)) & 1 != 0 else { break }
        i &+= 1
      } else {
        guard let length = unicodeIdentifierLength(at: i, first: false) else { break }
        noteNonASCII(from: i, b)
        i += length
      }
    }
    return i
  }

  // Kept out of line: Unicode property lookups are costly to set up and rare in HCL identifiers.
  @inline(never)
  private func unicodeIdentifierLength(at i: Int, first: Bool) -> Int? {
    let (scalar, length) = decodeScalar(at: i)
    return (first ? scalar.properties.isIDStart : scalar.properties.isIDContinue) ? length : nil
  }

  // Bit n set when ASCII byte n (or 64+n) may continue an identifier: '-', digits / letters, '_'.
  private static var identifierLow: UInt64 { 1 << 45 | 0x3FF << 48 }
  private static var identifierHigh: UInt64 { 0x3FFFFFF << 1 | 1 << 31 | 0x3FFFFFF << 33 }

  private mutating func heredocOpener(from start: Int) throws -> HCLToken {
    let count = bytes.count
    var i = start + 2
    var strips = false
    if i < count, bytes[i] == UInt8(ascii: "-") {
      strips = true
      i += 1
    }
    guard i < count, let markerEnd = scanIdentifier(from: i) else {
      throw error(at: start, "expected a heredoc marker identifier after '\(strips ? "<<-" : "<<")'")
    }
    let markerStart = i
    i = markerEnd
    if i < count, bytes[i] == 0x0A {
      i += 1
    } else if i + 1 < count, bytes[i] == 0x0D, bytes[i + 1] == 0x0A {
      i += 2
    } else {
      let marker = String(decoding: UnsafeBufferPointer(rebasing: bytes[markerStart..<markerEnd]), as: UTF8.self)
      throw error(at: i, "heredoc introducer \(strips ? "<<-" : "<<")\(marker) must be followed by a newline")
    }
    let t = token(.openHeredoc, start, i, flag: strips)
    push(Frame(kind: .heredoc, markerStart: markerStart, markerEnd: markerEnd, opener: t.start))
    heredocLineStart = true
    return t
  }

  private mutating func sequenceStart(at i: Int) -> HCLToken {
    let strip = i + 2 < bytes.count && bytes[i + 2] == UInt8(ascii: "~")
    let kind: HCLTokenKind = bytes[i] == UInt8(ascii: "$") ? .interpolationStart : .directiveStart
    let t = token(kind, i, i + (strip ? 3 : 2), flag: strip)
    push(Frame(kind: .sequence, opener: t.start))
    return t
  }

  private mutating func lexQuoted() throws -> HCLToken {
    let count = bytes.count
    let start = offset
    var i = start
    var escapes = false
    var seen: UInt8 = 0
    while i < count {
      let b = bytes[i]
      seen |= b
      if b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D { break }
      if b == UInt8(ascii: "\\") {
        escapes = true
        i += (i + 1 < count && bytes[i + 1] != 0x0A && bytes[i + 1] != 0x0D) ? 2 : 1
        continue
      }
      let marker = templateMarker(at: i)
      if marker == .opens { break }
      if marker == .escaped {
        escapes = true
        i += 3
        continue
      }
      i &+= 1
    }
    if i > start {
      noteNonASCII(from: start, seen)
      return token(.templateLiteral, start, i, flag: escapes)
    }
    guard i < count, bytes[i] != 0x0A, bytes[i] != 0x0D else {
      throw HCLSyntaxError(at: frames[frames.count - 1].opener, "unterminated string")
    }
    if bytes[i] == UInt8(ascii: "\"") {
      pop()
      return token(.closeQuote, i, i + 1)
    }
    return sequenceStart(at: i)
  }

  /// What a template holds at `i`: a `${`/`%{` opening, a `$${`/`%%{` literal escape, or neither.
  private enum HCLTemplateMarker { case none, opens, escaped }

  @inline(__always)
  private func templateMarker(at i: Int) -> HCLTemplateMarker {
    let b = bytes[i]
    guard b == UInt8(ascii: "$") || b == UInt8(ascii: "%"), i + 1 < bytes.count else { return .none }
    let c = bytes[i + 1]
    if c == UInt8(ascii: "{") { return .opens }
    if c == b, i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "{") { return .escaped }
    return .none
  }

  private mutating func lexHeredoc() throws -> HCLToken {
    let count = bytes.count
    let frame = frames[frames.count - 1]
    var i = offset
    if heredocLineStart, let end = closingMarker(at: i, frame) {
      pop()
      heredocLineStart = false
      while i < count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
      var seen: UInt8 = 0
      for k in frame.markerStart..<frame.markerEnd { seen |= bytes[k] }
      noteNonASCII(from: i, seen)
      let t = token(.closeHeredoc, i, i + (frame.markerEnd - frame.markerStart))
      offset = end
      return t
    }
    guard i < count else { throw unterminatedHeredoc(frame) }
    let start = i
    var escapes = false
    var seen: UInt8 = 0
    while i < count {
      let b = bytes[i]
      seen |= b
      if b == 0x0A {
        i += 1
        break
      }
      let marker = templateMarker(at: i)
      if marker == .opens { break }
      if marker == .escaped {
        escapes = true
        i += 3
        continue
      }
      i &+= 1
    }
    if i > start {
      heredocLineStart = bytes[i - 1] == 0x0A
      noteNonASCII(from: start, seen)
      return token(.templateLiteral, start, i, flag: escapes)
    }
    heredocLineStart = false
    return sequenceStart(at: i)
  }

  @inline(never)
  private func unterminatedHeredoc(_ frame: Frame) -> HCLSyntaxError {
    let marker = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[frame.markerStart..<frame.markerEnd]), as: UTF8.self)
    let intro = bytes[frame.markerStart - 1] == UInt8(ascii: "-") ? "<<-" : "<<"
    return HCLSyntaxError(
      at: frame.opener, "unterminated heredoc \(intro)\(marker) started at line \(frame.opener.line)")
  }

  /// If the line at `start` is `[ \t]* MARKER [ \t]*` then newline or end of input, returns the offset after the trailing blanks.
  private func closingMarker(at start: Int, _ frame: Frame) -> Int? {
    let count = bytes.count
    var i = start
    while i < count, bytes[i] == 0x20 || bytes[i] == 0x09 { i &+= 1 }
    let length = frame.markerEnd - frame.markerStart
    guard i + length <= count else { return nil }
    for k in 0..<length where bytes[i + k] != bytes[frame.markerStart + k] { return nil }
    i += length
    while i < count, bytes[i] == 0x20 || bytes[i] == 0x09 { i &+= 1 }
    if i == count || bytes[i] == 0x0A || (bytes[i] == 0x0D && i + 1 < count && bytes[i + 1] == 0x0A) { return i }
    return nil
  }

  // MARK: Byte classes

  @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
  @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- UInt8(ascii: "a") < 26 }

  /// Decodes one scalar from (already validated) UTF-8; malformed tails decode as U+FFFD.
  func decodeScalar(at i: Int) -> (Unicode.Scalar, Int) {
    let count = bytes.count
    let b0 = UInt32(bytes[i])
    if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
    let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
    guard i + length <= count else { return ("\u{FFFD}", 1) }
    var value = b0 & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
  }
}

enum HCLUTF8 {
  /// Offset of the first byte that is not part of well-formed UTF-8, or nil if the whole buffer is valid.
  static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    let count = bytes.count
    var i = 0
    while i < count {
      let b0 = bytes[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch b0 {
      case 0xC2...0xDF: length = 2
      case 0xE0: length = 3; lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: length = 3; upper = 0x9F
      case 0xF0: length = 4; lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4: length = 4; upper = 0x8F
      default: return i
      }
      guard i + length <= count else { return i }
      let b1 = bytes[i + 1]
      guard b1 >= lower, b1 <= upper else { return i }
      for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return i }
      i += length
    }
    return nil
  }
}
