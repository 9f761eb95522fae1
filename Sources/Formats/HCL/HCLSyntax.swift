/// A location in HCL source: 1-based line and column (columns count Unicode scalars, a tab is one column) plus the 0-based UTF-8 byte offset.
public struct HCLPosition: Hashable, Sendable, CustomStringConvertible {
  // Compact storage keeps AST nodes small; inputs are capped at Int32.max bytes.
  private let storedLine: UInt32
  private let storedColumn: UInt32
  private let storedByte: UInt32

  public init(line: Int, column: Int, byte: Int) {
    storedLine = UInt32(truncatingIfNeeded: line)
    storedColumn = UInt32(truncatingIfNeeded: column)
    storedByte = UInt32(truncatingIfNeeded: byte)
  }

  public var line: Int { Int(storedLine) }
  public var column: Int { Int(storedColumn) }
  public var byte: Int { Int(storedByte) }
  public var description: String { "\(line):\(column)" }
}

/// A half-open source span: `start` is the first character, `end` is the position just after the last one.
public struct HCLRange: Hashable, Sendable, CustomStringConvertible {
  public let start: HCLPosition
  public let end: HCLPosition

  public init(start: HCLPosition, end: HCLPosition) {
    self.start = start
    self.end = end
  }

  /// The byte offsets of the span within the UTF-8 source.
  public var byteRange: Range<Int> { start.byte..<end.byte }

  public var description: String { "\(start)-\(end)" }
}

/// A syntax error with the 1-based position it was detected at.
public struct HCLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
  public let line: Int
  public let column: Int
  public let byteOffset: Int
  public let message: String

  public init(line: Int, column: Int, byteOffset: Int, message: String) {
    self.line = line
    self.column = column
    self.byteOffset = byteOffset
    self.message = message
  }

  init(at position: HCLPosition, _ message: String) {
    self.init(line: position.line, column: position.column, byteOffset: position.byte, message: message)
  }

  public var description: String { "\(line):\(column): \(message)" }
}

/// Resource bounds for parsing untrusted input; exceeding any of them is reported as an `HCLSyntaxError`.
public struct HCLLimits: Hashable, Sendable {
  /// Maximum nesting of blocks, brackets, templates, unary operators and splats.
  public var maxNestingDepth: Int
  /// Maximum size of the input in UTF-8 bytes.
  public var maxInputBytes: Int
  /// Maximum number of lexical tokens (comments and whitespace excluded).
  public var maxTokenCount: Int
  /// Maximum binary operators in one attribute's value: a chain (`1 + 1 + …`) is flat to read but as deep as it is
  /// long, so operators are counted apart from nesting, and allowed further.
  public var maxOperatorChain: Int

  public init(
    maxNestingDepth: Int = 256, maxInputBytes: Int = 16 * 1024 * 1024, maxTokenCount: Int = 8 * 1024 * 1024,
    maxOperatorChain: Int = 4096
  ) {
    self.maxNestingDepth = maxNestingDepth
    self.maxInputBytes = maxInputBytes
    self.maxTokenCount = maxTokenCount
    self.maxOperatorChain = maxOperatorChain
  }

  public static let `default` = HCLLimits()
}
