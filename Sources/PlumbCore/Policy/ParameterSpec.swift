/// What a rule parameter accepts and which way it may move under an estate lock, read from its rule file:
/// the default's shape, `values:` (the words it takes, loosest first), `patterns:` and `under-lock:`.
public struct ParameterSpec: Sendable, Equatable {
  /// Which change a repository may make to a locked rule's parameter: only one that makes the rule stricter.
  public enum UnderLock: String, Sendable {
    case lower, more, fewer, stricter, any
  }

  public let name: String
  public let defaultValue: JSONValue
  public let values: [String]
  /// Whether it also takes a mapping of glob patterns to those words, the most specific winning.
  public let patterns: Bool
  /// nil: a locked rule's parameter cannot change at all.
  public let underLock: UnderLock?

  public init(
    name: String, defaultValue: JSONValue, values: [String] = [], patterns: Bool = false, underLock: UnderLock? = nil
  ) {
    self.name = name
    self.defaultValue = defaultValue
    self.values = values
    self.patterns = patterns
    self.underLock = underLock
  }

  /// The value as rules read it (a single string becomes a one-item list), or why it is not one.
  public func accept(_ value: JSONValue) -> Result<JSONValue, ParameterProblem> {
    switch defaultValue {
    case .int:
      if case .int(let number) = value, number >= 0 { return .success(value) }
      return .failure(problem("a whole number, 0 or more", value))
    case .bool:
      if case .bool = value { return .success(value) }
      return .failure(problem("true or false", value))
    case .array:
      if case .string = value { return .success(.array([value])) }
      if case .array(let items) = value, items.allSatisfy({ $0.stringValue != nil }) { return .success(value) }
      return .failure(problem("a list of strings", value))
    case .string where !values.isEmpty:
      if let word = value.stringValue, values.contains(word) { return .success(value) }
      if patterns, case .object(let pairs) = value,
        pairs.allSatisfy({ _, level in level.stringValue.map(values.contains) ?? false })
      {
        return .success(value)
      }
      let words = values.joined(separator: ", ")
      return .failure(problem(patterns ? "\(words), or a mapping of patterns to those" : "one of \(words)", value))
    case .string:
      if case .string = value { return .success(value) }
      return .failure(problem("a string", value))
    default:
      return .success(value)
    }
  }

  /// Whether moving from `old` to `new` makes the rule less strict, as far as this parameter goes.
  public func weakens(from old: JSONValue, to new: JSONValue) -> Bool {
    guard old != new else { return false }
    switch underLock {
    case nil: return true
    case .any: return false
    case .lower:
      guard let before = old.intValue, let after = new.intValue else { return true }
      return after > before
    case .more, .fewer:
      let before = Set(old.arrayValue?.compactMap(\.stringValue) ?? [])
      let after = Set(new.arrayValue?.compactMap(\.stringValue) ?? [])
      return underLock == .more ? !after.isSuperset(of: before) : !after.isSubset(of: before)
    case .stricter:
      // Words rank by their place in `values`. A mapping may give any of its words (or the default, where no
      // pattern matches), so it is judged by its loosest against the old value's strictest: safe, not exact.
      guard let before = ranks(old).max(), let after = ranks(new).min() else { return true }
      return after < before
    }
  }

  /// The ranks of the words a value can give some source.
  func ranks(_ value: JSONValue) -> [Int] {
    let words: [JSONValue]
    if case .object(let pairs) = value { words = [defaultValue] + pairs.map(\.1) } else { words = [value] }
    return words.compactMap { $0.stringValue.flatMap(values.firstIndex(of:)) }
  }

  func problem(_ expected: String, _ value: JSONValue) -> ParameterProblem {
    ParameterProblem(message: "\(name) takes \(expected), not \(value.serialized())")
  }
}

public struct ParameterProblem: Error, Sendable, Equatable {
  public let message: String
}
