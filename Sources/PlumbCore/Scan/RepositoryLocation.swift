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
    if let last = nameWords(path).last, last != ".." { return String(last) }
    return nameFromFoundation(path)
  }

  /// A repository path's folders as its name reads them: `.` dropped, `..` applied where a folder precedes it,
  /// a final `.git` folder dropped and a `.git` suffix taken off the last (`acme/api.git` is `acme`, `api`).
  public static func nameWords(_ path: String) -> [Substring] {
    var words: [Substring] = []
    for word in path.split(separator: "/") where word != "." {
      if word == "..", let last = words.last, last != ".." {
        words.removeLast()
      } else {
        words.append(word)
      }
    }
    if words.last == ".git" { words.removeLast() }
    if let last = words.last, last != "..", last.hasSuffix(".git"), last.count > 4 {
      words[words.count - 1] = last.dropLast(4)
    }
    return words
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
