import Formats
import Foundation
import Version

/// What the estate as a whole knows, gathered before any repository is judged, for rules that look
/// across repositories: tags and branches of each repository, an optional registry index (for module
/// pins), and a reader that opens any repository as a template (for `template/*`).
public struct EstateKnowledge: Sendable {
  public struct RepositoryRefs: Sendable, Equatable {
    public let name: String
    /// Where the repository is on disk, as discovered.
    public let path: String
    /// Normalised remote addresses (`github.com/acme/mods`), as `ModuleSource.address` spells them.
    public let addresses: [String]
    public let tags: Set<String>
    public let branches: Set<String>
    /// Release versions from semver tags, highest first (worked out when asked: most repositories' never are).
    public var releases: [Version] {
      tags.compactMap(parseSemanticVersion).filter { $0.prereleaseIdentifiers.isEmpty }.sorted(by: >)
    }

    public init(name: String, path: String, addresses: [String], tags: Set<String>, branches: Set<String>) {
      self.name = name
      self.path = path
      self.addresses = addresses
      self.tags = tags
      self.branches = branches
    }
  }

  public let repositories: [RepositoryRefs]
  /// Registry address → published versions (from the `registry-index` file named in the config).
  public let registryIndex: [String: [Version]]
  /// Registry address → version → when it was published, for the versions the index dates.
  public let registryPublished: [String: [Version: Int64]]
  /// Repository name → tag → object id as a previous run recorded it in the store (`tags/moved`).
  public var recordedTags: [String: [String: String]] = [:]
  /// Opens a repository of the estate as a template, reading its trees and releases through git.
  public let templates: any TemplateReader
  /// Set by `asOf` (adoption): only releases published by this time are known; the clock notes their dates.
  var published: (time: Int64, clock: ReleaseClock)?
  let byAddress: [String: Int]
  let byName: [String: Int]
  /// By the name of the repository's folder, which is its name unless discovery qualified it (`acme/api`).
  let byFolderName: [String: Int]
  let byPath: [String: Int]

  public static let empty = EstateKnowledge(repositories: [], registryIndex: [:])

  public init(
    repositories: [RepositoryRefs], registryIndex: [String: [Version]],
    registryPublished: [String: [Version: Int64]] = [:], templates: any TemplateReader = NoTemplates()
  ) {
    self.repositories = repositories
    self.registryIndex = registryIndex
    self.registryPublished = registryPublished
    self.templates = templates
    var byAddress: [String: Int] = [:]
    var byName: [String: Int] = [:]
    var byFolderName: [String: Int] = [:]
    var byPath: [String: Int] = [:]
    for (index, repository) in repositories.enumerated() {
      for address in repository.addresses { byAddress[address] = index }
      byName[repository.name.lowercased()] = byName[repository.name.lowercased()] ?? index
      let folderName = RepositoryLocation.name(for: repository.path).lowercased()
      byFolderName[folderName] = byFolderName[folderName] ?? index
      byPath[Self.standardized(repository.path)] = index
    }
    self.byAddress = byAddress
    self.byName = byName
    self.byFolderName = byFolderName
    self.byPath = byPath
  }

  /// The repository a source names by its path's last parts: the longest run of them that is an estate
  /// name (`acme/api` when discovery told two `api` apart), else its last part as a folder name.
  func named(_ parts: [String]) -> RepositoryRefs? {
    let words = RepositoryLocation.nameWords(parts.joined(separator: "/")).map { $0.lowercased() }
    guard !words.isEmpty else { return nil }
    for count in stride(from: min(words.count, 4), through: 1, by: -1) {
      if let index = byName[words.suffix(count).joined(separator: "/")] { return repositories[index] }
    }
    return byFolderName[words[words.count - 1]].map { repositories[$0] }
  }

  /// The estate repository a module source lives in: by remote URL, else by name (the last path
  /// parts, or Terraform's registry naming convention `terraform-PROVIDER-NAME`).
  public func repository(for source: ModuleSource) -> RepositoryRefs? {
    if let index = byAddress[source.address] { return repositories[index] }
    let parts = source.address.split(separator: "/").map(String.init)
    if source.kind == .registry, parts.count >= 3 {
      let name = parts[parts.count - 2]
      let provider = parts[parts.count - 1]
      return byName["terraform-\(provider)-\(name)".lowercased()].map { repositories[$0] }
    }
    guard source.kind != .local, source.kind != .invalid else { return nil }
    return named(parts)
  }

  /// The newest release of a module source known to the estate: a pre-release is none (Terraform's constraints
  /// never pick one unless it is named exactly), as estate repositories' pre-release tags are none.
  public func newestRelease(for source: ModuleSource) -> Version? {
    if source.kind == .registry, let versions = registryVersions(source.address),
      let newest = versions.filter({ $0.prereleaseIdentifiers.isEmpty }).max()
    {
      return newest
    }
    return repository(for: source).map { publishedReleases(of: $0) ?? $0.releases }?.first
  }

  /// All releases known for a source, for constraint checks.
  public func releases(for source: ModuleSource) -> [Version] {
    if source.kind == .registry, let versions = registryVersions(source.address) { return versions }
    return repository(for: source).map { publishedReleases(of: $0) ?? $0.releases } ?? []
  }
}

extension EstateKnowledge {
  /// Everything here that a repository's findings can depend on, as one digest: a cached result is
  /// only reused while the rest of the estate looks the same to it. Templates are read at tags and
  /// commit ids only, so tag names cover them too.
  public var digest: String {
    var material = ""
    for repository in repositories.sorted(by: { $0.name < $1.name }) {
      // The path too: templates and module sources are also found by it and by its folder name.
      material += repository.name + "\u{1}" + repository.path + "\u{1}"
      material += repository.addresses.sorted().joined(separator: ",") + "\u{1}"
      material += repository.tags.sorted().joined(separator: ",") + "\u{1}"
      material += repository.branches.sorted().joined(separator: ",") + "\n"
    }
    for (address, versions) in registryIndex.sorted(by: { $0.key < $1.key }) {
      material += address + "\u{1}" + versions.map(\.description).sorted().joined(separator: ",") + "\n"
    }
    return Fingerprint.digest(material)
  }

  /// The estate repository a recorded template source names: by absolute path, else by remote URL,
  /// else by name (the source's last path parts, `.git` dropped; relative paths are matched this way).
  public func repository(for reference: TemplateReference) -> RepositoryRefs? {
    let location = reference.location
    if let path = location.path, path.hasPrefix("/"), let index = byPath[Self.standardized(path)] {
      return repositories[index]
    }
    if let address = location.address, let index = byAddress[address] { return repositories[index] }
    let parts = (location.address ?? location.path ?? location.name).split { $0 == "/" || $0 == ":" }
    return named(parts.map(String.init))
  }

  /// The template repository a reference names, opened for reading; nil when it is not in the estate.
  public func template(for reference: TemplateReference) -> (any TemplateRepository)? {
    guard let repository = repository(for: reference),
      let template = templates.template(at: repository.path, name: repository.name)
    else { return nil }
    guard let published else { return template }
    published.clock.record(repository.path, template.releases.map(\.time))
    return PublishedTemplate(base: template, time: published.time)
  }

  /// A path as the file system resolves it (symbolic links followed where they exist), so a template recorded
  /// through a link is the repository the link reaches.
  static func standardized(_ path: String) -> String {
    var url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    if url.lastPathComponent == ".git" { url.deleteLastPathComponent() }
    return url.path
  }
}
