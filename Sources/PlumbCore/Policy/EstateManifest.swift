import Foundation
import Yams

/// `--manifest estate.yml`: the repositories of the estate by path, with team, tier and tags for reports and policies.
public struct EstateManifest: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    /// As written in the manifest; relative to the manifest's folder.
    public let path: String
    public let name: String?
    public let metadata: RepositoryMetadata
  }

  public let entries: [Entry]

  public init(entries: [Entry]) {
    self.entries = entries
  }

  /// Parses a manifest; every problem names the file, line and column.
  public static func parse(_ text: String, file: String) throws(ConfigError) -> EstateManifest {
    var walker = NodeWalker(file: file)
    let root = try PolicyLoader.composeYAML(text, file: file)
    guard let map = try walker.mapping(root) else { return EstateManifest(entries: []) }
    try walker.allowOnly(map, keys: ["repositories"])
    guard let list = map["repositories"] else { return EstateManifest(entries: []) }
    guard let items = list.sequence else { throw walker.error(list, "repositories must be a list") }
    try walker.spend(items.count)
    var entries: [Entry] = []
    var names: [String: Int] = [:]
    for item in items {
      let entry = try Self.entry(item, walker: &walker)
      let name = entry.name ?? RepositoryLocation.name(for: entry.path)
      if let line = names[name] {
        throw walker.error(item, "a second repository named '\(name)' (first at line \(line)); give one a name:")
      }
      names[name] = item.mark?.line ?? 0
      entries.append(entry)
    }
    return EstateManifest(entries: entries)
  }

  /// A bare string is a path with no further facts; a mapping gives path, name, team, tier and tags.
  static func entry(_ item: Node, walker: inout NodeWalker) throws(ConfigError) -> Entry {
    if let path = item.scalar?.string, !path.isEmpty { return Entry(path: path, name: nil, metadata: .none) }
    guard let entry = try walker.mapping(item) else { throw walker.error(item, "expected a path or a mapping") }
    try walker.allowOnly(entry, keys: ["path", "name", "team", "tier", "tags"])
    guard let path = entry["path"]?.scalar?.string, !path.isEmpty else {
      throw walker.error(item, "every repository needs a path")
    }
    let tags = try entry["tags"].map { node throws(ConfigError) in try walker.strings(node) } ?? []
    let metadata = RepositoryMetadata(
      team: entry["team"]?.scalar?.string, tier: entry["tier"]?.scalar?.string, tags: tags)
    let name = entry["name"]?.scalar?.string
    // A name keys the store, reports and fingerprints: it must be something a line of output can show.
    if let name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.contains(where: \.isNewline) {
      throw walker.error(entry["name"] ?? item, "a repository's name must be non-empty and on one line")
    }
    return Entry(path: path, name: name, metadata: metadata)
  }

  /// The repositories to scan: paths resolved against the manifest's folder. A path that is not a
  /// repository is still listed, so the scan reports it as an error instead of skipping it silently.
  public func locations(relativeTo folder: String) -> [RepositoryLocation] {
    entries.map { entry in
      let path = entry.path.hasPrefix("/") || folder.isEmpty ? entry.path : folder + "/" + entry.path
      return RepositoryLocation(path: path, displayPath: entry.path, name: entry.name, metadata: entry.metadata)
    }
  }
}
