import Foundation

/// What an estate manifest says about a repository, carried into outputs and reports.
public struct RepositoryMetadata: Sendable, Hashable {
  public let team: String?
  public let tier: String?
  public let tags: [String]

  public static let none = RepositoryMetadata(team: nil, tier: nil, tags: [])

  public init(team: String?, tier: String?, tags: [String]) {
    self.team = team
    self.tier = tier
    self.tags = tags
  }

  public var isEmpty: Bool { team == nil && tier == nil && tags.isEmpty }
}

/// A repository found on disk: where it is, how outputs show it, and its estate name.
public struct RepositoryLocation: Sendable, Hashable {
  public let path: String
  public let displayPath: String
  public let name: String
  public let metadata: RepositoryMetadata

  public init(path: String, displayPath: String? = nil, name: String? = nil, metadata: RepositoryMetadata = .none) {
    self.path = path
    self.displayPath = displayPath ?? path
    self.name = name ?? RepositoryLocation.name(for: path)
    self.metadata = metadata
  }

  /// `estate/payments-api.git` and `estate/payments-api` are both `payments-api`.
  public static func name(for path: String) -> String {
    // Read from the path's own words when they say it (no file-system call per repository of an estate).
    var components: [Substring] = []
    for component in path.split(separator: "/") where component != "." {
      if component == "..", let last = components.last, last != ".." {
        components.removeLast()
      } else {
        components.append(component)
      }
    }
    if components.last == ".git" { components.removeLast() }
    if let last = components.last, last != ".." {
      return last.hasSuffix(".git") && last.count > 4 ? String(last.dropLast(4)) : String(last)
    }
    return nameFromFoundation(path)
  }

  /// `.`, `..` and the like name the folder they resolve to.
  static func nameFromFoundation(_ path: String) -> String {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    if url.lastPathComponent == ".git" { url.deleteLastPathComponent() }
    var name = url.lastPathComponent
    if name.hasSuffix(".git") { name = String(name.dropLast(4)) }
    return name
  }
}
