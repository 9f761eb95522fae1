import Formats
import GitKit
import PlumbCore
import Version

/// Reads every repository's references (no trees, no blobs) so rules can resolve one repository's
/// pins against another's tags and branches, and lets rules open any of them as a template.
public enum KnowledgeBuilder {
  public static func build(_ locations: [RepositoryLocation], registryIndex: [String: [Version]]) -> EstateKnowledge {
    var repositories: [EstateKnowledge.RepositoryRefs] = []
    for location in locations {
      guard let repository = try? Repository(at: location.path), let names = try? repository.referenceNames() else {
        continue  // an unreadable repository is reported by the scan itself
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
      repositories.append(
        .init(name: location.name, path: location.path, addresses: addresses, tags: tags, branches: branches))
    }
    return EstateKnowledge(repositories: repositories, registryIndex: registryIndex, templates: GitTemplateReader())
  }
}
