import Foundation
import Yams

/// How a template repository's files become a generated project's files, without running the template:
/// copier (`copier.yml`), cookiecutter (`cookiecutter.json` and one `{{cookiecutter.…}}` folder), a
/// Backstage software template (`template.yaml` and `skeleton/`), or a plain template repository.
public struct TemplateLayout: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case copier, cookiecutter, backstage, plain
  }

  public let kind: Kind
  /// The folder of the template repository whose contents become the project ("" for the root).
  public let root: String
  /// Removed from the end of rendered file names (copier's `_templates_suffix`, `.jinja` by default).
  public let suffix: String
  /// gitignore-style patterns, relative to `root`, of files the template never copies.
  public let excludes: [String]

  public init(kind: Kind, root: String, suffix: String = "", excludes: [String] = []) {
    self.kind = kind
    self.root = root
    self.suffix = suffix
    self.excludes = excludes
  }

  /// Copier's own default `_exclude`.
  public static let copierDefaultExcludes = [
    "copier.yaml", "copier.yml", "~*", "*.py[co]", "__pycache__", ".git", ".DS_Store", ".svn",
  ]

  /// Recognises the layout from the template's file list. `copierConfig` is the text of its `copier.yml`,
  /// `directory` the folder holding the template (cruft's `directory`), `values` the project's answers
  /// (copier's `_subdirectory` may itself be templated). Nil when the layout cannot be worked out.
  public static func detect(
    paths: [String], copierConfig: String?, directory: String? = nil, values: [String: String] = [:]
  ) -> TemplateLayout? {
    let base = directory.map { $0.split(separator: "/").joined(separator: "/") } ?? ""
    let prefix = base.isEmpty ? "" : base + "/"
    let inBase = paths.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    if let copierConfig {
      let settings = CopierSettings.parse(copierConfig)
      var root = ""
      if let subdirectory = settings.subdirectory {
        guard let rendered = render(subdirectory, values: values) else { return nil }
        root = rendered.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
      }
      return TemplateLayout(
        kind: .copier, root: root, suffix: settings.suffix, excludes: settings.excludes ?? copierDefaultExcludes)
    }
    if inBase.contains("cookiecutter.json") {
      let folders = Set(
        inBase.compactMap { path -> String? in
          guard let slash = path.firstIndex(of: "/") else { return nil }
          let top = String(path[..<slash])
          return top.contains("{{") && top.contains("cookiecutter") ? top : nil
        })
      guard folders.count == 1, let folder = folders.first else { return nil }
      return TemplateLayout(kind: .cookiecutter, root: prefix + folder)
    }
    if inBase.contains("template.yaml") || inBase.contains("template.yml"),
      inBase.contains(where: { $0.hasPrefix("skeleton/") })
    {
      return TemplateLayout(kind: .backstage, root: prefix + "skeleton")
    }
    return TemplateLayout(kind: .plain, root: base)
  }

  /// The project paths the template's files become with these answers. A path whose name cannot be
  /// predicted without running the template (a Jinja block, a filter, an unanswered variable, a name
  /// that renders empty) is left out rather than guessed.
  public func projectFiles(_ paths: [String], values: [String: String]) -> Set<String> {
    let prefix = root.isEmpty ? "" : root + "/"
    var result: Set<String> = []
    for path in paths where path.hasPrefix(prefix) {
      let relative = String(path.dropFirst(prefix.count))
      if kind == .copier && root.isEmpty && (relative == "copier.yml" || relative == "copier.yaml") { continue }
      if isExcluded(relative) { continue }
      var parts: [String] = []
      for component in relative.split(separator: "/") {
        guard let rendered = Self.render(String(component), values: values), !rendered.isEmpty else { break }
        parts.append(rendered)
      }
      guard parts.count == relative.split(separator: "/").count, var name = parts.popLast() else { continue }
      if !suffix.isEmpty && name.hasSuffix(suffix) && name.count > suffix.count { name.removeLast(suffix.count) }
      let rendered = (parts + [name]).joined(separator: "/")
      if !isExcluded(rendered) { result.insert(rendered) }
    }
    return result
  }

  /// gitignore-style: a pattern without an inner `/` matches a name at any depth (and all below it),
  /// one with a `/` matches from the root; a trailing `/` means folders only; `!` re-includes; last match wins.
  func isExcluded(_ path: String) -> Bool {
    let components = path.split(separator: "/").map(String.init)
    var excluded = false
    for raw in excludes {
      var pattern = raw
      let negated = pattern.hasPrefix("!")
      if negated { pattern.removeFirst() }
      let folderOnly = pattern.hasSuffix("/")
      while pattern.hasSuffix("/") { pattern.removeLast() }
      guard !pattern.isEmpty else { continue }
      let matched: Bool
      if pattern.contains("/") {
        let glob = Glob(pattern, characterClasses: true)
        let depth = folderOnly ? components.count - 1 : components.count
        matched = depth > 0 && (1...depth).contains { glob.matches(components.prefix($0).joined(separator: "/")) }
      } else {
        let names = folderOnly ? components.dropLast() : components[...]
        matched = names.contains { Glob.matchesName(pattern, $0, characterClasses: true) }
      }
      if matched { excluded = !negated }
    }
    return excluded
  }

  /// Fills `{{ name }}` placeholders from the answers; nil when the text holds anything else Jinja
  /// would have to evaluate (`{% %}` blocks, filters, expressions, unanswered names).
  public static func render(_ text: String, values: [String: String]) -> String? {
    if text.contains("{%") { return nil }
    var output = ""
    var rest = Substring(text)
    while let open = rest.range(of: "{{") {
      output += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
      let inside = rest[open.upperBound..<close.lowerBound]
      let name = inside.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()
      guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
        let value = values[String(name)]
      else {
        return nil
      }
      output += value
      rest = rest[close.upperBound...]
    }
    return output + rest
  }
}

/// The settings of a copier template that decide which files it writes.
public struct CopierSettings: Sendable, Equatable {
  public var subdirectory: String?
  public var suffix = ".jinja"
  /// Replaces copier's default excludes when set.
  public var excludes: [String]?

  /// Reads `_subdirectory`, `_templates_suffix` and `_exclude`; a copier.yml that does not parse gives the defaults.
  public static func parse(_ text: String) -> CopierSettings {
    var settings = CopierSettings()
    guard let mapping = (try? Yams.compose(yaml: text, .default, .default, .utf8))?.mapping else { return settings }
    if let subdirectory = mapping["_subdirectory"]?.string, !subdirectory.isEmpty {
      settings.subdirectory = subdirectory
    }
    if let suffix = mapping["_templates_suffix"], suffix.null == nil, let text = suffix.string {
      settings.suffix = text
    }
    if let excludes = mapping["_exclude"]?.sequence { settings.excludes = excludes.compactMap(\.string) }
    return settings
  }
}
