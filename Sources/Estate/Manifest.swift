import Foundation
import PlumbCore
import Yams

/// The estate manifest (`estate.yml`): which repositories exist and who looks after them.
///
///     repositories:
///       - path: estate/payments-api
///         name: payments-api      # optional; default: the last path component without .git
///         team: payments
///         tier: 1
///         tags: [pci, service]
public struct EstateManifest: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var path: String
    public var name: String?
    public var team: String?
    public var tier: String?
    public var tags: [String]

    public init(path: String, name: String? = nil, team: String? = nil, tier: String? = nil, tags: [String] = []) {
      self.path = path
      self.name = name
      self.team = team
      self.tier = tier
      self.tags = tags
    }

    /// The name plumb gives the repository at `path`, unless the entry names it.
    public var repositoryName: String {
      if let name { return name }
      var last = path.split(separator: "/").last.map(String.init) ?? path
      if last.hasSuffix(".git") && last.count > 4 { last.removeLast(4) }
      return last
    }
  }

  public var entries: [Entry]

  public init(entries: [Entry]) {
    self.entries = entries
  }

  public static func load(path: String) throws(ManifestError) -> EstateManifest {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ManifestError(file: path, line: nil, column: nil, message: "cannot read the manifest")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ManifestError(file: path, line: nil, column: nil, message: "the manifest is not UTF-8 text")
    }
    return try parse(text, file: path)
  }

  public static func parse(_ text: String, file: String) throws(ManifestError) -> EstateManifest {
    func error(_ node: Node?, _ message: String) -> ManifestError {
      ManifestError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw ManifestError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)")
    }
    guard let map = root?.mapping else { throw error(root, "a manifest is a mapping with a repositories: list") }
    for (key, _) in map where key.string != "repositories" {
      throw error(key, "unknown key '\(key.string ?? "?")' (expected: repositories)")
    }
    guard let list = map["repositories"]?.sequence else {
      throw error(map["repositories"] ?? root, "repositories takes a list")
    }
    var entries: [Entry] = []
    for item in list {
      guard let fields = item.mapping else { throw error(item, "each repository is a mapping with a path") }
      let known: Set = ["path", "name", "team", "tier", "tags"]
      for (key, _) in fields where !known.contains(key.string ?? "") {
        throw error(key, "unknown key '\(key.string ?? "?")' (expected one of: name, path, tags, team, tier)")
      }
      func text(_ key: String) throws(ManifestError) -> String? {
        guard let node = fields[key] else { return nil }
        guard let value = node.scalar?.string, !value.isEmpty else { throw error(node, "\(key) takes a value") }
        return value
      }
      guard let path = try text("path") else { throw error(item, "a repository needs a path") }
      var tags: [String] = []
      if let node = fields["tags"] {
        guard let values = node.sequence?.compactMap(\.scalar?.string), values.count == node.sequence?.count else {
          throw error(node, "tags takes a list of words")
        }
        tags = values
      }
      entries.append(
        Entry(path: path, name: try text("name"), team: try text("team"), tier: try text("tier"), tags: tags))
    }
    return EstateManifest(entries: entries)
  }

  /// The entry for a repository: same path (ignoring `./` and a trailing `/`), a path that ends with the
  /// entry's, or the same name.
  public func entry(name: String, path: String) -> Entry? {
    let wanted = Self.normalized(path)
    if let exact = entries.first(where: { Self.normalized($0.path) == wanted }) { return exact }
    if let suffix = entries.first(where: { wanted.hasSuffix("/" + Self.normalized($0.path)) }) { return suffix }
    return entries.first { $0.repositoryName == name }
  }

  static func normalized(_ path: String) -> String {
    var text = path
    while text.hasPrefix("./") { text.removeFirst(2) }
    while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
    return text
  }
}

/// A manifest mistake with where it is (`file:line:column: reason`), like a config error.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int?
  public let column: Int?
  public let message: String

  public var description: String {
    var place = file
    if let line { place += ":\(line)" }
    if let line, let column, line > 0 { place += ":\(column)" }
    return "\(place): \(message)"
  }
}
