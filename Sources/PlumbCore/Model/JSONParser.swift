/// Reads JSON text into a `JSONValue`, keeping object key order (Foundation's parser does not), so
/// outputs read back (shards, caches) serialise to the same bytes.
public struct JSONParser {
  public struct ParseError: Error, CustomStringConvertible, Sendable {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
  }

  let bytes: [UInt8]
  var index = 0
  let maxDepth: Int

  public static func parse(_ text: String, maxDepth: Int = 512) throws(ParseError) -> JSONValue {
    var parser = JSONParser(bytes: Array(text.utf8), maxDepth: maxDepth)
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.index == parser.bytes.count else { throw parser.error("trailing characters") }
    return value
  }

  init(bytes: [UInt8], maxDepth: Int) {
    self.bytes = bytes
    self.maxDepth = maxDepth
  }

  func error(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }

  mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
  }

  mutating func value(depth: Int) throws(ParseError) -> JSONValue {
    guard depth < maxDepth else { throw error("nested deeper than \(maxDepth)") }
    guard index < bytes.count else { throw error("unexpected end") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    default: return try number()
    }
  }

  mutating func literal(_ word: String, _ value: JSONValue) throws(ParseError) -> JSONValue {
    let expected = Array(word.utf8)
    guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
      throw error("unexpected character")
    }
    index += expected.count
    return value
  }

  mutating func object(depth: Int) throws(ParseError) -> JSONValue {
    index += 1
    var pairs: [(String, JSONValue)] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(pairs)
    }
    while true {
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
      let key = try string()
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
      index += 1
      skipSpace()
      pairs.append((key, try value(depth: depth + 1)))
      skipSpace()
      guard index < bytes.count else { throw error("unexpected end in object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
      index += 1
      return .object(pairs)
    }
  }

  mutating func array(depth: Int) throws(ParseError) -> JSONValue {
    index += 1
    var items: [JSONValue] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try value(depth: depth + 1))
      skipSpace()
      guard index < bytes.count else { throw error("unexpected end in array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
      index += 1
      return .array(items)
    }
  }

  mutating func string() throws(ParseError) -> String {
    index += 1
    let start = index
    // The common case, no escapes: one decode of the bytes between the quotes.
    while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
      if bytes[index] < 0x20 { throw error("control character in string") }
      index += 1
    }
    guard index < bytes.count else { throw error("unterminated string") }
    if bytes[index] == UInt8(ascii: "\"") {
      index += 1
      return String(decoding: bytes[start..<index - 1], as: UTF8.self)
    }
    var decoded = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return String(decoding: decoded, as: UTF8.self)
      }
      if byte < 0x20 { throw error("control character in string") }
      index += 1
      guard byte == UInt8(ascii: "\\") else {
        decoded.append(byte)
        continue
      }
      guard index < bytes.count else { break }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
      case UInt8(ascii: "b"): decoded.append(0x08)
      case UInt8(ascii: "f"): decoded.append(0x0C)
      case UInt8(ascii: "n"): decoded.append(0x0A)
      case UInt8(ascii: "r"): decoded.append(0x0D)
      case UInt8(ascii: "t"): decoded.append(0x09)
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          index += 2
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        decoded.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
      default: throw error("bad escape")
      }
    }
    throw error("unterminated string")
  }

  mutating func hex4() throws(ParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("short \\u escape") }
    var code: UInt32 = 0
    for byte in bytes[index..<index + 4] {
      guard let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else { throw error("bad \\u escape") }
      code = code * 16 + digit
    }
    index += 4
    return code
  }

  mutating func number() throws(ParseError) -> JSONValue {
    let start = index
    while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if let integer = Int(text) { return .int(integer) }
    if let double = Double(text), !text.isEmpty, text.first != "+" { return .double(double) }
    index = start
    throw error("unexpected character")
  }
}
