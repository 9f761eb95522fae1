import Foundation
import Yams

/// The template a repository was generated from, as the repository records it: copier's answers file,
/// cruft's `.cruft.json`, or a `catalog-info.yaml` annotation.
public struct TemplateReference: Sendable, Equatable {
  public enum Tool: String, Sendable {
    case copier, cruft, catalog
  }

  public let tool: Tool
  /// Where the template lives, as written: a URL, `gh:owner/name`, a local path or a repository name.
  public let source: String
  /// The recorded version: a tag, a commit id or `git describe` output; nil when none is recorded.
  public let version: String?
  /// 1-based line that records the version (or the source, when no version is recorded).
  public let line: Int?
  /// The folder of the template repository holding the template (cruft's `directory`).
  public let directory: String?
  /// The answers the project was generated with, for predicting templated file names
  /// (`name` for copier, `cookiecutter.name` for cruft).
  public let values: [String: String]

  public init(
    tool: Tool, source: String, version: String?, line: Int?, directory: String? = nil, values: [String: String] = [:]
  ) {
    self.tool = tool
    self.source = source
    self.version = version
    self.line = line
    self.directory = directory
    self.values = values
  }

  public struct ParseError: Error, Sendable, Equatable {
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(line: Int?, column: Int?, message: String) {
      self.line = line
      self.column = column
      self.message = message
    }
  }

  /// An answers file, read by its name: cruft's `.cruft.json` is JSON, copier's answers are YAML.
  public static func parseAnswers(_ text: String, file: String) throws(ParseError) -> TemplateReference {
    file.hasSuffix(".json") ? try parseCruft(text) : try parseCopierAnswers(text)
  }

  /// Copier's `.copier-answers.yml`: `_src_path`, `_commit`, and the answers (keys without a leading `_`).
  public static func parseCopierAnswers(_ text: String) throws(ParseError) -> TemplateReference {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, .default, .default, .utf8)
    } catch let error as YamlError {
      let problem = CatalogInfo.yamlProblem(error)
      throw ParseError(line: problem.line, column: problem.column, message: problem.message)
    } catch {
      throw ParseError(line: nil, column: nil, message: "\(error)")
    }
    guard let mapping = root?.mapping else {
      throw ParseError(line: 1, column: 1, message: "a copier answers file must be a mapping")
    }
    guard let source = mapping["_src_path"], let sourceText = scalarText(source), !sourceText.isEmpty else {
      throw ParseError(line: 1, column: 1, message: "no _src_path: the answers do not say which template made them")
    }
    let commit = mapping["_commit"]
    var values: [String: String] = [:]
    for (key, value) in mapping {
      guard let name = key.string, !name.hasPrefix("_"), let answer = scalarText(value) else { continue }
      values[name] = answer
    }
    return TemplateReference(
      tool: .copier, source: sourceText, version: commit.flatMap(scalarText), line: (commit ?? source).mark?.line,
      values: values)
  }

  /// Cruft's `.cruft.json`: `template`, `commit`, `directory`, and `context.cookiecutter` answers.
  public static func parseCruft(_ text: String) throws(ParseError) -> TemplateReference {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    } catch {
      throw jsonProblem(error, in: text)
    }
    guard let root = object as? [String: Any] else {
      throw ParseError(line: 1, column: 1, message: ".cruft.json must hold a JSON object")
    }
    guard let source = root["template"] as? String, !source.isEmpty else {
      throw ParseError(line: 1, column: 1, message: "no \"template\": .cruft.json does not say which template made it")
    }
    var values: [String: String] = [:]
    let context = (root["context"] as? [String: Any])?["cookiecutter"] as? [String: Any] ?? [:]
    for (key, value) in context {
      if let text = value as? String {
        values["cookiecutter." + key] = text
      } else if let number = value as? NSNumber {
        values["cookiecutter." + key] = number.stringValue
      }
    }
    let version = root["commit"] as? String
    let directory = (root["directory"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    let line = keyLine(version == nil ? "template" : "commit", in: text)
    return TemplateReference(
      tool: .cruft, source: source, version: version, line: line, directory: directory, values: values)
  }

  /// `plumb.dev/template: NAME-OR-URL@VERSION`, else Backstage's `backstage.io/source-template`
  /// (a template entity reference such as `template:default/golden-service`, matched by its name; no version).
  public static func fromCatalog(annotations: [String: String], lines: [String: Int]) -> TemplateReference? {
    if let value = annotations[plumbAnnotation]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
      var source = value
      var version: String?
      // The last `@` separates a version unless what follows is part of an address (`git@host:path`).
      if let at = value.lastIndex(of: "@"), at != value.startIndex {
        let tail = value[value.index(after: at)...]
        if !tail.isEmpty && !tail.contains("/") && !tail.contains(":") {
          source = String(value[..<at])
          version = String(tail)
        }
      }
      return TemplateReference(tool: .catalog, source: source, version: version, line: lines[plumbAnnotation])
    }
    if let entity = annotations[backstageAnnotation]?.trimmingCharacters(in: .whitespaces), !entity.isEmpty {
      let name = entity.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? entity
      return TemplateReference(tool: .catalog, source: name, version: nil, line: lines[backstageAnnotation])
    }
    return nil
  }

  /// A scalar's text; nil for `null`, sequences and mappings.
  static func scalarText(_ node: Node) -> String? {
    guard let scalar = node.scalar, node.null == nil else { return nil }
    return scalar.string
  }

  public static let plumbAnnotation = "plumb.dev/template"
  public static let backstageAnnotation = "backstage.io/source-template"

  /// The 1-based line of the first `"key":` in JSON text (JSONSerialization keeps no positions).
  static func keyLine(_ key: String, in text: String) -> Int? {
    for (index, line) in text.textLines.enumerated() {
      guard let range = line.range(of: "\"\(key)\"") else { continue }
      if line[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" }).first == ":" { return index + 1 }
    }
    return nil
  }

  /// JSONSerialization says "around character N"; turn that into a line and column.
  static func jsonProblem(_ error: Error, in text: String) -> ParseError {
    let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    guard let range = detail.range(of: "character "),
      let offset = Int(detail[range.upperBound...].prefix(while: \.isNumber))
    else { return ParseError(line: nil, column: nil, message: detail) }
    var line = 1
    var column = 1
    for byte in text.utf8.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    let message = detail.components(separatedBy: " around ").first ?? detail
    return ParseError(line: line, column: column, message: message.lowercased())
  }
}

extension TemplateReference {
  /// Where the template repository is, read from `source`: a local path, a remote address, or a name.
  public var location: (path: String?, address: String?, name: String) {
    var text = source
    if text.hasPrefix("git+") { text = String(text.dropFirst(4)) }
    if text.hasPrefix("gh:") { text = "https://github.com/" + text.dropFirst(3) }
    if text.hasPrefix("gl:") { text = "https://gitlab.com/" + text.dropFirst(3) }
    if text.hasPrefix("file://") { text = String(text.dropFirst(7)) }
    while text.hasSuffix("/") { text.removeLast() }
    var name = text.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? text
    if name.hasSuffix(".git") { name = String(name.dropLast(4)) }
    if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~") || text == "." {
      return (text, nil, name)
    }
    let looksRemote = text.contains("://") || (text.contains("@") && text.contains(":"))
    let parsed = looksRemote ? ModuleSource.parse("git::" + text) : nil
    let address = parsed.flatMap { $0.kind == .invalid ? nil : $0.address }
    return (nil, address, name)
  }
}
