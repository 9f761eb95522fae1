/// A JSON value with ordered object keys, so outputs are stable and read in a sensible order.
public enum JSONValue: Sendable, Equatable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(serialized())
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
    return nil
  }

  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var intValue: Int? {
    if case .int(let value) = self { return value }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// Serialises to JSON text; `indent` nil gives one line (for jsonl).
  public func serialized(indent: Int? = nil) -> String {
    // Bytes, not String appends: every output of a large estate is written through here.
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(to: &out, indent: indent, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  /// Serialises an object with an array field too long to hold as one value: `head`'s fields, then `key` with
  /// its elements made and written one at a time, then `tail`'s fields. The bytes equal `serialized(indent:)`
  /// of the whole object (and a closing newline); `emit` receives them in pieces of about a megabyte.
  public static func streamObject(
    _ head: [(String, JSONValue)], array key: String, count: Int, tail: [(String, JSONValue)] = [], indent: Int?,
    element: (Int) -> JSONValue, emit: ([UInt8]) throws -> Void
  ) rethrows {
    var out: [UInt8] = [UInt8(ascii: "{")]
    func field(_ name: String, first: Bool) {
      if !first { out.append(UInt8(ascii: ",")) }
      out.newline(indent, 1)
      escape(name, into: &out)
      out.append(UInt8(ascii: ":"))
      if indent != nil { out.append(UInt8(ascii: " ")) }
    }
    for (index, (name, value)) in head.enumerated() {
      field(name, first: index == 0)
      value.write(to: &out, indent: indent, level: 1)
    }
    field(key, first: head.isEmpty)
    if count == 0 {
      out += "[]".utf8
    } else {
      out.append(UInt8(ascii: "["))
      for index in 0..<count {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        out.newline(indent, 2)
        element(index).write(to: &out, indent: indent, level: 2)
        if out.count >= 1 << 20 {
          try emit(out)
          out.removeAll(keepingCapacity: true)
        }
      }
      out.newline(indent, 1)
      out.append(UInt8(ascii: "]"))
    }
    for (name, value) in tail {
      field(name, first: false)
      value.write(to: &out, indent: indent, level: 1)
    }
    out.newline(indent, 0)
    out += "}\n".utf8
    try emit(out)
  }

  func write(to out: inout [UInt8], indent: Int?, level: Int) {
    switch self {
    case .null: out += "null".utf8
    case .bool(let value): out += (value ? "true" : "false").utf8
    case .int(let value): out += String(value).utf8
    case .double(let value): out += (value.isFinite ? String(value) : "null").utf8
    case .string(let value): JSONValue.escape(value, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]".utf8
        return
      }
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        out.newline(indent, level + 1)
        item.write(to: &out, indent: indent, level: level + 1)
      }
      out.newline(indent, level)
      out.append(UInt8(ascii: "]"))
    case .object(let pairs):
      if pairs.isEmpty {
        out += "{}".utf8
        return
      }
      out.append(UInt8(ascii: "{"))
      for (index, (key, value)) in pairs.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        out.newline(indent, level + 1)
        JSONValue.escape(key, into: &out)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        value.write(to: &out, indent: indent, level: level + 1)
      }
      out.newline(indent, level)
      out.append(UInt8(ascii: "}"))
    }
  }

  static func escape(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { bytes in
      // Runs of bytes that need no escaping are copied whole: this is every output's hot loop.
      var runStart = 0
      for index in 0..<bytes.count {
        let byte = bytes[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
        switch byte {
        case UInt8(ascii: "\""): out += "\\\"".utf8
        case UInt8(ascii: "\\"): out += "\\\\".utf8
        case 0x0A: out += "\\n".utf8
        case 0x0D: out += "\\r".utf8
        case 0x09: out += "\\t".utf8
        default:
          let hex = String(byte, radix: 16)
          out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
        }
        runStart = index + 1
      }
      if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }
    out.append(UInt8(ascii: "\""))
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(nilLiteral: ()) { self = .null }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue {
  public init(_ value: String?) { self = value.map { .string($0) } ?? .null }
  public init(_ value: Int?) { self = value.map { .int($0) } ?? .null }
  public init(_ strings: [String]) { self = .array(strings.map { .string($0) }) }
}

extension [UInt8] {
  /// A line break and the indentation of `level` (nothing at all for one-line JSON).
  fileprivate mutating func newline(_ indent: Int?, _ level: Int) {
    guard let indent else { return }
    append(0x0A)
    append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
  }
}
