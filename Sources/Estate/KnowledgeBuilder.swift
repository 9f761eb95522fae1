import Formats
import GitKit
import PlumbCore
import Version

/// Reads every repository's references (no trees, no blobs) so rules can resolve one repository's
/// pins against another's tags and branches, and lets rules open any of them as a template.
public enum KnowledgeBuilder {
  /// `known[i]`, when there, stands for `locations[i]` without opening it (refs from the store's cache,
  /// filed under the same reference files).
  public static func build(
    _ locations: [RepositoryLocation], registryIndex: [String: [Version]],
    registryPublished: [String: [Version: Int64]] = [:], known: [EstateKnowledge.RepositoryRefs?] = []
  ) -> EstateKnowledge {
    var repositories: [EstateKnowledge.RepositoryRefs] = []
    for (index, location) in locations.enumerated() {
      if index < known.count, let refs = known[index] {
        repositories.append(refs)
      } else if let refs = read(location) {
        repositories.append(refs)
      }
    }
    return EstateKnowledge(
      repositories: repositories, registryIndex: registryIndex, registryPublished: registryPublished,
      templates: GitTemplateReader())
  }

  /// One repository's refs; nil when it cannot be read (the scan itself then reports why).
  static func read(_ location: RepositoryLocation) -> EstateKnowledge.RepositoryRefs? {
    guard let repository = try? Repository(at: location.path), let names = try? repository.referenceNames() else {
      return nil
    }
    var tags: Set<String> = []
    var branches: Set<String> = []
    for name in names {
      if name.hasPrefix("refs/tags/") { tags.insert(String(name.dropFirst(10))) }
      if name.hasPrefix("refs/heads/") { branches.insert(String(name.dropFirst(11))) }
      if name.hasPrefix("refs/remotes/") {
        let rest = name.dropFirst(13)
        if let slash = rest.firstIndex(of: "/") { branches.insert(String(rest[rest.index(after: slash)...])) }
      }
    }
    let addresses = repository.remoteURLs().map { ModuleSource.parse("git::" + $0).address }
    return .init(name: location.name, path: location.path, addresses: addresses, tags: tags, branches: branches)
  }

  /// The refs as the store files them with a cached result (name and path come from the location).
  public static func json(_ refs: EstateKnowledge.RepositoryRefs) -> String {
    JSONValue.object([
      ("addresses", JSONValue(refs.addresses)), ("tags", JSONValue(refs.tags.sorted())),
      ("branches", JSONValue(refs.branches.sorted())),
    ]).serialized()
  }

  /// Reads `json(_:)` back; nil when it does not parse as one.
  public static func refs(json text: String, for location: RepositoryLocation) -> EstateKnowledge.RepositoryRefs? {
    guard let value = try? JSONParser.parse(text), let addresses = value["addresses"]?.arrayValue,
      let tags = value["tags"]?.arrayValue, let branches = value["branches"]?.arrayValue
    else { return nil }
    return .init(
      name: location.name, path: location.path, addresses: addresses.compactMap(\.stringValue),
      tags: Set(tags.compactMap(\.stringValue)), branches: Set(branches.compactMap(\.stringValue)))
  }
}
