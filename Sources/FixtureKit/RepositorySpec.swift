import Foundation
import Yams

/// A small repository described in YAML (commits, files, tags, branches), turned into a real git repository by `Materializer`.
///
/// Either the one-commit shorthand `files: {path: content}`, or `commits:` with any of
/// `branch`, `from`, `merge`, `author`, `date`, `message`, `files`, `symlinks`, `delete`, `tags`.
/// In a path, `\xHH` stands for a raw byte (for paths that are not UTF-8). In file content, `↓`
/// marks the line a finding must point at and is removed.
public struct RepositorySpec: Sendable, Equatable {
  public struct Tag: Sendable, Equatable {
    public var name: String
    /// Present for annotated tags.
    public var message: String?

    public init(name: String, message: String? = nil) {
      self.name = name
      self.message = message
    }
  }

  public struct Commit: Sendable, Equatable {
    public var branch: String?
    public var from: String?
    public var merge: [String] = []
    public var author: String?
    public var date: String?
    public var message: String?
    public var files: [(path: String, content: FileContent)] = []
    public var symlinks: [(path: String, target: String)] = []
    public var delete: [String] = []
    public var tags: [Tag] = []
    /// Starts a new history with no parent.
    public var orphan = false

    public init(
      branch: String? = nil, message: String? = nil, date: String? = nil,
      files: [(path: String, content: FileContent)] = [], delete: [String] = [], tags: [Tag] = []
    ) {
      self.branch = branch
      self.message = message
      self.date = date
      self.files = files
      self.delete = delete
      self.tags = tags
    }

    public static func == (lhs: Commit, rhs: Commit) -> Bool {
      lhs.branch == rhs.branch && lhs.from == rhs.from && lhs.merge == rhs.merge && lhs.message == rhs.message
        && lhs.files.map(\.path) == rhs.files.map(\.path) && lhs.delete == rhs.delete
    }
  }

  public enum FileContent: Sendable, Equatable {
    case text(String)
    /// `{repeat: "line\n", times: N}`: large files without large specs.
    case repeated(String, times: Int)
    /// `{base64: "..."}`: arbitrary bytes.
    case bytes([UInt8])
  }

  public var name: String?
  public var bare: Bool = false
  /// The branch HEAD names at the end; it may name a branch that does not exist (dangling HEAD).
  public var head: String?
  public var commits: [Commit] = []

  public init(name: String? = nil, bare: Bool = false, head: String? = nil, commits: [Commit] = []) {
    self.name = name
    self.bare = bare
    self.head = head
    self.commits = commits
  }

  public struct SpecError: Error, CustomStringConvertible {
    public let description: String
  }

  /// Parses a spec from YAML text.
  public static func parse(yaml: String) throws -> RepositorySpec {
    guard let node = try Yams.compose(yaml: yaml, .default, .default, .utf8) else { return RepositorySpec() }
    return try parse(node: node)
  }

  /// Parses a spec from an already-composed YAML node (rule examples embed specs).
  public static func parse(node: Node) throws -> RepositorySpec {
    guard let map = node.mapping else { throw SpecError(description: "a repository spec must be a mapping") }
    var spec = RepositorySpec()
    spec.name = map["name"]?.string
    spec.bare = map["bare"]?.bool ?? false
    spec.head = map["head"]?.string
    if let commits = map["commits"]?.sequence {
      spec.commits = try commits.map(parseCommit)
    } else if map["files"] != nil || map["symlinks"] != nil || map["tags"] != nil {
      spec.commits = [try parseCommit(node)]
    }
    return spec
  }

  static func parseCommit(_ node: Node) throws -> Commit {
    guard let map = node.mapping else { throw SpecError(description: "a commit must be a mapping") }
    var commit = Commit()
    commit.branch = map["branch"]?.string
    commit.from = map["from"]?.string
    commit.merge = stringList(map["merge"])
    commit.orphan = map["orphan"]?.bool ?? false
    commit.author = map["author"]?.string
    commit.date = map["date"]?.string
    commit.message = map["message"]?.string
    if let files = map["files"]?.mapping {
      for (key, value) in files {
        guard let path = key.string else { continue }
        commit.files.append((path, try fileContent(value)))
      }
    }
    if let links = map["symlinks"]?.mapping {
      for (key, value) in links {
        if let path = key.string, let target = value.string { commit.symlinks.append((path, target)) }
      }
    }
    commit.delete = stringList(map["delete"])
    for tag in map["tags"]?.sequence ?? [] {
      if let name = tag.string {
        commit.tags.append(Tag(name: name, message: nil))
      } else if let tagMap = tag.mapping, let name = tagMap["name"]?.string {
        commit.tags.append(Tag(name: name, message: tagMap["message"]?.string ?? "Release \(name)"))
      }
    }
    return commit
  }

  static func fileContent(_ node: Node) throws -> FileContent {
    if let text = node.string { return .text(text) }
    if let map = node.mapping {
      if let unit = map["repeat"]?.string, let times = map["times"]?.int { return .repeated(unit, times: times) }
      if let encoded = map["base64"]?.string, let data = Data(base64Encoded: encoded) { return .bytes(Array(data)) }
    }
    if node.null != nil { return .text("") }
    throw SpecError(description: "file content must be a string, {repeat:, times:} or {base64:}")
  }

  static func stringList(_ node: Node?) -> [String] {
    guard let node else { return [] }
    if let single = node.string { return [single] }
    return node.sequence?.compactMap(\.string) ?? []
  }
}
