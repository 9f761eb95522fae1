import Foundation

/// A repository found on disk: where it is, how outputs show it, and its estate name.
public struct RepositoryLocation: Sendable, Hashable {
  public let path: String
  public let displayPath: String
  public let name: String

  public init(path: String, displayPath: String? = nil, name: String? = nil) {
    self.path = path
    self.displayPath = displayPath ?? path
    self.name = name ?? RepositoryLocation.name(for: path)
  }

  /// `estate/payments-api.git` and `estate/payments-api` are both `payments-api`.
  public static func name(for path: String) -> String {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    if url.lastPathComponent == ".git" { url.deleteLastPathComponent() }
    var name = url.lastPathComponent
    if name.hasSuffix(".git") { name = String(name.dropLast(4)) }
    return name
  }
}
