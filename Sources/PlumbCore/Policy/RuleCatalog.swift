import Foundation
import Yams

/// A rule's documentation file in `rules/`: the source of its default severity and parameters.
public struct RuleDoc: Sendable, Equatable {
  public let id: String
  public let name: String
  public let severity: Severity
  public let summary: String
  public let rationale: String
  /// Parameter defaults.
  public let parameters: [String: JSONValue]
  /// One line per parameter, for `plumb rules explain`.
  public let parameterHelp: [String: String]
  /// What each parameter accepts, for checking a config's values.
  public let parameterSpecs: [String: ParameterSpec]
  /// Path of the file, relative to the rules folder.
  public let file: String
  /// The file's full text.
  public let text: String
}

/// Every rule file and pack under a `rules/` folder.
public struct RuleCatalog: Sendable {
  public let directory: String
  public let rules: [RuleDoc]
  let packs: [String: String]

  public var packNames: [String] { packs.keys.sorted() }
  public func packText(_ name: String) -> String? { packs[name] }
  public func rule(_ id: String) -> RuleDoc? { rules.first { $0.id == id } }

  /// Finds `rules/`: `PLUMB_RULES_DIR`, then beside or above the executable, then the install prefix.
  public static func locate(executable: String = CommandLine.arguments.first ?? "") -> String? {
    let manager = FileManager.default
    if let fromEnvironment = ProcessInfo.processInfo.environment["PLUMB_RULES_DIR"] {
      return fromEnvironment
    }
    var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      for candidate in ["rules", "share/plumb/rules"] {
        let path = folder.appendingPathComponent(candidate).path
        if manager.fileExists(atPath: path + "/packs") { return path }
      }
      folder.deleteLastPathComponent()
    }
    return nil
  }

  public struct LoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
  }

  /// Reads every `*.yml` rule file below `directory` and the packs in `directory/packs`.
  public static func load(directory: String) throws -> RuleCatalog {
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: directory) else {
      throw LoadError(description: "cannot read rules folder \(directory)")
    }
    var docs: [RuleDoc] = []
    var packs: [String: String] = [:]
    // examples/ holds data files that rule examples refer to, not rules.
    for case let relative as String in enumerator where relative.hasSuffix(".yml") && !relative.hasPrefix("examples/") {
      let text = try String(contentsOfFile: directory + "/" + relative, encoding: .utf8)
      if relative.hasPrefix("packs/") {
        packs[String(relative.dropFirst("packs/".count).dropLast(4))] = text
      } else {
        docs.append(try parseDoc(text, file: relative))
      }
    }
    return RuleCatalog(directory: directory, rules: docs.sorted { $0.id < $1.id }, packs: packs)
  }

  static func parseDoc(_ text: String, file: String) throws -> RuleDoc {
    // Every command loads the catalog; only the tests read the examples, most of each file, so they are skipped here.
    let header = headerOf(text)
    // Headers are text but for parameter defaults, so only those go through YAML's type resolution (regexes).
    guard let map = try Yams.compose(yaml: header, .basic, .default, .utf8)?.mapping, let id = map["id"]?.string
    else {
      throw LoadError(description: "\(file): a rule file needs an id")
    }
    guard let severity = map["severity"]?.string.flatMap(Severity.init(rawValue:)) else {
      throw LoadError(description: "\(file): severity must be error, warning or note")
    }
    var defaults: [String: JSONValue] = [:]
    var help: [String: String] = [:]
    var specs: [String: ParameterSpec] = [:]
    var walker = NodeWalker(file: file)
    for (key, value) in map["parameters"]?.mapping ?? [:] {
      guard let name = key.string else { continue }
      let defaultNode = value.mapping?["default"] ?? Node("null")
      defaults[name] = try defaultValue(defaultNode, walker: &walker)
      help[name] = value.mapping?["description"]?.string ?? ""
      var underLock: ParameterSpec.UnderLock?
      if let word = value.mapping?["under-lock"]?.string {
        guard let known = ParameterSpec.UnderLock(rawValue: word) else {
          throw LoadError(description: "\(file): \(name): under-lock takes lower, more, fewer, stricter or any")
        }
        underLock = known
      }
      specs[name] = ParameterSpec(
        name: name, defaultValue: defaults[name]!,
        values: value.mapping?["values"]?.sequence?.compactMap(\.string) ?? [],
        patterns: value.mapping?["patterns"]?.bool ?? false, underLock: underLock)
    }
    return RuleDoc(
      id: id, name: map["name"]?.string ?? id, severity: severity, summary: map["summary"]?.string ?? "",
      rationale: map["rationale"]?.string ?? "", parameters: defaults, parameterHelp: help, parameterSpecs: specs,
      file: file, text: text)
  }

  /// The text before the line `examples:`, found byte by byte: Foundation's search bridges to UTF-16, and the
  /// standard library's generic `utf8.firstRange(of:)` measured about 10 ms slower per command.
  static func headerOf(_ text: String) -> String {
    let marker = Array("\nexamples:".utf8)
    let bytes = Array(text.utf8)
    guard bytes.count >= marker.count else { return text }
    for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
      if bytes[start..<(start + marker.count)].elementsEqual(marker) {
        return String(decoding: bytes[..<start], as: UTF8.self)
      }
    }
    return text
  }

  /// A parameter default typed as YAML's default resolver types it, without its regexes for the usual
  /// words: decimal ints, booleans and null; other plain scalars starting like a number take the slow path.
  static func defaultValue(_ node: Node, walker: inout NodeWalker) throws -> JSONValue {
    switch node {
    case .scalar(let scalar) where scalar.style == .plain:
      let text = scalar.string
      if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
      if let bool = yamlBooleans[text] { return .bool(bool) }
      if isPlainDecimal(text), let int = Int(text) { return .int(int) }
      if let first = text.utf8.first,
        first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
          || first == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
      {
        return try walker.json(.scalar(Node.Scalar(text, Tag(.implicit), .plain, scalar.mark)))
      }
      return .string(text)
    case .scalar(let scalar):
      return .string(scalar.string)
    case .sequence(let items):
      var values: [JSONValue] = []
      for item in items { values.append(try defaultValue(item, walker: &walker)) }
      return .array(values)
    case .mapping(let pairs):
      var values: [(String, JSONValue)] = []
      for (key, value) in pairs { values.append((key.string ?? "", try defaultValue(value, walker: &walker))) }
      return .object(values)
    case .alias:
      return try walker.json(node)
    }
  }

  static let yamlBooleans: [String: Bool] = [
    "yes": true, "Yes": true, "YES": true, "true": true, "True": true, "TRUE": true, "on": true, "On": true,
    "ON": true, "no": false, "No": false, "NO": false, "false": false, "False": false, "FALSE": false,
    "off": false, "Off": false, "OFF": false,
  ]

  /// `[-+]?(0|[1-9][0-9]*)`: an int in every YAML reading.
  static func isPlainDecimal(_ text: String) -> Bool {
    var digits = Substring(text).utf8
    if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { digits = digits.dropFirst() }
    guard let first = digits.first, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return false }
    return first != UInt8(ascii: "0") || digits.count == 1
  }

}
