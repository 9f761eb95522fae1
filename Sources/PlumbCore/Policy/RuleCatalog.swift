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
    let header = text.firstRange(of: "\nexamples:").map { String(text[..<$0.lowerBound]) } ?? text
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
    var walker = NodeWalker(file: file)
    for (key, value) in map["parameters"]?.mapping ?? [:] {
      guard let name = key.string else { continue }
      let defaultNode = value.mapping?["default"] ?? Node("null")
      defaults[name] = try walker.json(typed(defaultNode))
      help[name] = value.mapping?["description"]?.string ?? ""
    }
    return RuleDoc(
      id: id, name: map["name"]?.string ?? id, severity: severity, summary: map["summary"]?.string ?? "",
      rationale: map["rationale"]?.string ?? "", parameters: defaults, parameterHelp: help, file: file, text: text)
  }

  /// The node with its plain scalars typed as YAML's default resolver types them (ints, booleans, null).
  static func typed(_ node: Node) -> Node {
    switch node {
    case .scalar(let scalar) where scalar.style == .plain:
      return .scalar(Node.Scalar(scalar.string, Tag(.implicit), .plain, scalar.mark))
    case .scalar, .alias:
      return node
    case .sequence(let items):
      return .sequence(Node.Sequence(items.map(typed), Tag(.implicit), items.style, items.mark))
    case .mapping(let pairs):
      return .mapping(
        Node.Mapping(pairs.map { (typed($0.key), typed($0.value)) }, Tag(.implicit), pairs.style, pairs.mark))
    }
  }
}
