import Version

/// How tightly a version constraint must pin what it selects.
public enum ConstraintPolicy: String, Sendable, CaseIterable { case exact, pessimistic, bounded, any }

/// A Terraform version constraint such as ">= 1.2.0, < 2.0.0" or "~> 5.1".
public struct VersionConstraint: Sendable, Equatable {
  public enum Operator: String, Sendable {
    case equal = "=", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<=",
      pessimistic = "~>"
  }

  public struct Clause: Sendable, Equatable {
    public var op: Operator
    /// Missing components are read as 0 ("~> 1.2" holds 1.2.0).
    public var version: Version
    /// The clause as written, trimmed.
    public var raw: String
    /// How many numeric components were written (1–3).
    public var componentCount: Int

    public init(op: Operator, version: Version, raw: String, componentCount: Int) {
      self.op = op
      self.version = version
      self.raw = raw
      self.componentCount = componentCount
    }
  }

  public var clauses: [Clause]
  public var raw: String

  public init(clauses: [Clause], raw: String) {
    self.clauses = clauses
    self.raw = raw
  }

  /// Parses Terraform's comma-separated conditions; a "v" prefix, unknown operators and more than three components are errors.
  public static func parse(_ text: String) throws(VersionConstraintError) -> VersionConstraint {
    var scanner = ConstraintScanner(text)
    return VersionConstraint(clauses: try scanner.parseAll(), raw: text)
  }

  /// Exactly one clause, `=` (or bare) with all three components.
  public var isExact: Bool {
    clauses.count == 1 && clauses[0].op == .equal && clauses[0].componentCount == 3
  }

  /// Some clause bounds from above: =, <, <=, ~>.
  public var hasUpperBound: Bool {
    clauses.contains { [.equal, .less, .lessOrEqual, .pessimistic].contains($0.op) }
  }

  public func satisfies(_ policy: ConstraintPolicy) -> Bool {
    switch policy {
    case .exact:
      return isExact
    case .pessimistic:
      // An "=" clause of any length pins at least as tightly as "~>".
      return clauses.contains { $0.op == .equal || $0.op == .pessimistic } || staysWithinOneMajor
    case .bounded:
      return hasUpperBound
    case .any:
      return true
    }
  }

  /// A lower bound (>= or >) paired with an upper bound (< or <=) that does not reach the next major release.
  private var staysWithinOneMajor: Bool {
    let lowers = clauses.filter { $0.op == .greaterOrEqual || $0.op == .greater }
    let uppers = clauses.filter { $0.op == .less || $0.op == .lessOrEqual }
    for lower in lowers {
      for upper in uppers where upper.version > lower.version {
        let nextMajor = Version(lower.version.major + 1, 0, 0)
        if upper.version.major == lower.version.major { return true }
        if upper.op == .less && upper.version == nextMajor { return true }
      }
    }
    return false
  }

  /// Terraform semantics: ~> 1.2 allows >=1.2.0 <2.0.0; ~> 1.2.3 allows >=1.2.3 <1.3.0; pre-releases only match when named exactly.
  public func allows(_ version: Version) -> Bool {
    if !version.prereleaseIdentifiers.isEmpty {
      let named = clauses.contains { $0.op == .equal && $0.version == version }
      if !named { return false }
    }
    return clauses.allSatisfy { $0.admits(version) }
  }

  /// The highest version of `candidates` this constraint allows.
  public func newestAllowed(in candidates: [Version]) -> Version? {
    candidates.filter(allows).max()
  }
}

extension VersionConstraint.Clause {
  /// The clause alone, before the pre-release rule that spans the whole constraint.
  func admits(_ candidate: Version) -> Bool {
    switch op {
    case .equal: return candidate == version
    case .notEqual: return candidate != version
    case .greater: return candidate > version
    case .greaterOrEqual: return candidate >= version
    case .less: return candidate < version
    case .lessOrEqual: return candidate <= version
    case .pessimistic:
      // Three components let only the patch move; fewer let the minor move (go-versions' reading).
      let ceiling =
        componentCount >= 3
        ? Version(version.major, version.minor + 1, 0)
        : Version(version.major + 1, 0, 0)
      return candidate >= version && candidate < ceiling
    }
  }
}

public struct VersionConstraintError: Error, Sendable, Equatable {
  public var message: String
  /// 1-based column (in Unicode scalars) where the problem starts.
  public var column: Int

  public init(message: String, column: Int) {
    self.message = message
    self.column = column
  }
}

/// Reads a tag-style version: optional "v"/"V", 1–3 numeric components, then optional -pre-release and +build.
public func parseSemanticVersion(_ text: String) -> Version? {
  var scanner = ConstraintScanner(text)
  if let first = scanner.peek, first == "v" || first == "V" { scanner.index += 1 }
  guard let parsed = try? scanner.parseVersion(), scanner.atEnd else { return nil }
  return parsed.version
}

/// Hand-written scanner over Unicode scalars so error columns line up with what an editor shows.
private struct ConstraintScanner {
  let scalars: [Unicode.Scalar]
  var index = 0

  init(_ text: String) {
    scalars = Array(text.unicodeScalars)
  }

  var atEnd: Bool { index >= scalars.count }
  var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

  func fail(_ message: String, at position: Int? = nil) -> VersionConstraintError {
    VersionConstraintError(message: message, column: (position ?? index) + 1)
  }

  mutating func skipSpaces() {
    while let scalar = peek, scalar.properties.isWhitespace { index += 1 }
  }

  mutating func parseAll() throws(VersionConstraintError) -> [VersionConstraint.Clause] {
    var clauses: [VersionConstraint.Clause] = []
    skipSpaces()
    if atEnd { throw fail("A version constraint cannot be empty.", at: 0) }
    while true {
      skipSpaces()
      clauses.append(try parseClause())
      skipSpaces()
      if atEnd { return clauses }
      if peek == "," {
        index += 1
        skipSpaces()
        // Terraform tolerates one trailing comma.
        if atEnd { return clauses }
        if peek == "," { throw fail("Expected a condition between the commas.") }
        continue
      }
      if peek == "|" { throw fail("Conditions are combined with \",\"; \"||\" alternatives are not supported.") }
      if peek == "v" || peek == "V" { throw fail("A \"v\" prefix should not be used in version constraints.") }
      if peek == "-" {
        throw fail("Range constraints such as \"1.0 - 2.0\" are not supported; use \">= 1.0, <= 2.0\".")
      }
      throw fail("Missing comma before \"\(String(String.UnicodeScalarView(scalars[index...])))\".")
    }
  }

  mutating func parseClause() throws(VersionConstraintError) -> VersionConstraint.Clause {
    let start = index
    let op = try parseOperator()
    skipSpaces()
    guard let next = peek else { throw fail("Expected a version number after \"\(op.rawValue)\".") }
    if next == "v" || next == "V" { throw fail("A \"v\" prefix should not be used in version constraints.") }
    if next == "," { throw fail("Expected a version number before \",\".") }
    let parsed = try parseVersion()
    let raw = String(String.UnicodeScalarView(scalars[start..<index]))
    return VersionConstraint.Clause(op: op, version: parsed.version, raw: raw, componentCount: parsed.components)
  }

  mutating func parseOperator() throws(VersionConstraintError) -> VersionConstraint.Operator {
    let start = index
    var text = ""
    while let scalar = peek, "<>=!~^".unicodeScalars.contains(scalar) {
      text.unicodeScalars.append(scalar)
      index += 1
    }
    if text.isEmpty { return .equal }
    if let op = VersionConstraint.Operator(rawValue: text) { return op }
    switch text {
    case "=>": throw fail("Invalid operator \"=>\"; did you mean \">=\"?", at: start)
    case "=<": throw fail("Invalid operator \"=<\"; did you mean \"<=\"?", at: start)
    case "==": throw fail("Invalid operator \"==\"; use \"=\" or no operator for an exact version.", at: start)
    default: throw fail("Invalid operator \"\(text)\"; Terraform knows =, !=, >, >=, <, <= and ~>.", at: start)
    }
  }

  mutating func parseVersion() throws(VersionConstraintError) -> (version: Version, components: Int) {
    var numbers: [Int] = []
    while true {
      let componentStart = index
      if let scalar = peek, scalar == "*" || scalar == "x" || scalar == "X" {
        throw fail("Wildcards are not supported; omit the components that should be unconstrained.")
      }
      guard let number = try parseNumber() else {
        let expected = numbers.isEmpty ? "Expected a version number" : "Expected a number after \".\""
        if let scalar = peek { throw fail("\(expected), found \"\(scalar)\".") }
        throw fail("\(expected).")
      }
      if numbers.count == 3 {
        throw fail("Too many version components; only three are allowed (major, minor, patch).", at: componentStart)
      }
      numbers.append(number)
      guard peek == "." else { break }
      index += 1
    }
    let written = numbers.count
    var pre: [String] = []
    var build: [String] = []
    if peek == "-" {
      index += 1
      pre = try parseIdentifiers(what: "pre-release")
    }
    if peek == "+" {
      index += 1
      build = try parseIdentifiers(what: "build metadata")
    }
    if let scalar = peek, !scalar.properties.isWhitespace, scalar != "," {
      throw fail("Unexpected character \"\(scalar)\" in version number.")
    }
    while numbers.count < 3 { numbers.append(0) }
    return (Version(numbers[0], numbers[1], numbers[2], pre: pre, build: build), written)
  }

  mutating func parseNumber() throws(VersionConstraintError) -> Int? {
    let start = index
    var value = 0
    while let scalar = peek, scalar.value >= 0x30, scalar.value <= 0x39 {
      let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowB) = times.addingReportingOverflow(Int(scalar.value - 0x30))
      // Half of Int.max leaves room for the "+1" that pessimistic ceilings add.
      if overflowA || overflowB || sum > Int.max / 2 { throw fail("Version number is too large.", at: start) }
      value = sum
      index += 1
    }
    return index > start ? value : nil
  }

  mutating func parseIdentifiers(what: String) throws(VersionConstraintError) -> [String] {
    var identifiers: [String] = []
    var current = ""
    while let scalar = peek {
      if scalar == "." {
        if current.isEmpty { throw fail("Empty \(what) identifier.") }
        identifiers.append(current)
        current = ""
      } else if scalar.isASCII, PinsText.isASCIIAlphanumeric(UInt8(scalar.value)) || scalar == "-" {
        current.unicodeScalars.append(scalar)
      } else {
        break
      }
      index += 1
    }
    if current.isEmpty { throw fail("Empty \(what) identifier.") }
    identifiers.append(current)
    return identifiers
  }
}
