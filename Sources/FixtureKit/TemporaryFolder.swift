import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
public final class TemporaryFolder: @unchecked Sendable {
  public let path: String

  public init(_ label: String = "plumb") {
    let base = FileManager.default.temporaryDirectory.path
    path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// Materialises a spec under this folder.
  @discardableResult
  public func repository(_ name: String, _ spec: RepositorySpec) throws -> MaterializedRepository {
    try Materializer.materialize(spec, at: path + "/" + name)
  }

  /// Materialises a spec written as YAML.
  @discardableResult
  public func repository(_ name: String, yaml: String) throws -> MaterializedRepository {
    try repository(name, try RepositorySpec.parse(yaml: yaml))
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The project's root folder, found from a source file's path (tests read `rules/` and `fixtures/` from it).
public func projectRoot(from file: String = #filePath) -> String {
  var url = URL(fileURLWithPath: file)
  while url.path != "/" {
    url.deleteLastPathComponent()
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
  }
  return FileManager.default.currentDirectoryPath
}
