import Formats
import GitKit

/// The repository beyond one tree, as rules may see it: release tags, the default branch, ancestry,
/// and first-parent history of paths. Loaded lazily, so HEAD-only rules never pay for it.
public final class RepositoryHistory {
  /// A tag as rules see it.
  public struct Tag: Sendable, Equatable {
    public let name: String
    /// The commit finally tagged; nil when the tag points at a tree or blob.
    public let commit: String?
    public let isAnnotated: Bool
    /// Seconds since the epoch: the tagger's date for annotated tags, else the commit's.
    public let time: Int64?
  }

  let repository: Repository
  let head: ObjectID
  var ancestry: [String: Bool] = [:]

  init(repository: Repository, head: ObjectID) {
    self.repository = repository
    self.head = head
  }

  public lazy var tags: [Tag] = {
    ((try? repository.tags()) ?? []).map { tag in
      let time = tag.tagger?.time ?? tag.commit.flatMap { try? repository.commit($0).author.time }
      return Tag(name: tag.name, commit: tag.commit?.hex, isAnnotated: tag.isAnnotated, time: time)
    }
  }()

  /// The default branch's name and commit (HEAD's branch, origin's HEAD, main or master).
  public lazy var defaultBranch: (name: String, commit: String)? = {
    guard let name = repository.defaultBranch(), let commit = repository.referenceTarget(name) else { return nil }
    return (name, commit.hex)
  }()

  /// Whether `ancestor` is `commit` or one of its ancestors (memoised; graph walks are the costly part).
  public func isAncestor(_ ancestor: String, of commit: String) -> Bool {
    let key = ancestor + commit
    if let known = ancestry[key] { return known }
    guard let a = ObjectID(hex: ancestor), let b = ObjectID(hex: commit) else { return false }
    let answer = repository.isAncestor(a, of: b)
    ancestry[key] = answer
    return answer
  }

  /// The commit's facts for findings that a commit, rather than a line, introduced.
  public func commitRef(_ hex: String) -> CommitRef? {
    guard let id = ObjectID(hex: hex), let info = try? repository.commit(id) else { return nil }
    return CommitRef(info)
  }

  /// The files of the tree at a commit, as a snapshot sharing this run's parse cache.
  func snapshot(at hex: String, like model: Snapshot) -> Snapshot? {
    guard let id = ObjectID(hex: hex), let tree = try? repository.commit(id).tree,
      let entries = try? repository.files(ofTree: tree)
    else { return nil }
    return Snapshot(
      repository: repository, name: model.repositoryName, commit: id, entries: entries, cache: model.cache,
      textLimit: model.textLimit)
  }

  /// A public form of `snapshot(at:like:)` for rules that compare trees across releases.
  public func tree(at hex: String, like model: Snapshot) -> Snapshot? { snapshot(at: hex, like: model) }

  /// First-parent commits from HEAD, newest first, with author time, stopping after `limit`.
  public func firstParentCommits(limit: Int = 1_000_000) -> [(commit: String, time: Int64)] {
    guard let walk = try? RevisionWalk(repository, from: head, options: .init(firstParentOnly: true)) else { return [] }
    var result: [(String, Int64)] = []
    while result.count < limit, let id = try? walk.next() {
      result.append((id.hex, (try? repository.commit(id).author.time) ?? 0))
    }
    return result
  }

  /// Whether a commit changed the entry at `path` relative to its first parent.
  public func changed(_ path: String, in commit: String) -> Bool {
    guard let id = ObjectID(hex: commit) else { return false }
    let parent = (try? repository.parents(of: id))?.first
    let now = repository.entryID(atPath: path, inCommit: id)
    let before = parent.flatMap { repository.entryID(atPath: path, inCommit: $0) }
    return now != before
  }

  /// The top-level entries a commit changed relative to its first parent (names of changed root
  /// entries), enough to tell "only docs changed" from "code changed" without diffing contents.
  public func changedRootEntries(in commit: String) -> [String] {
    guard let id = ObjectID(hex: commit), let info = try? repository.commit(id) else { return [] }
    guard let parent = info.parents.first, let parentTree = try? repository.commit(parent).tree else {
      return ((try? repository.rootEntries(ofTree: info.tree)) ?? []).map(\.name)
    }
    return (try? repository.changedRootEntries(from: parentTree, to: info.tree)) ?? []
  }
}

extension RepositoryHistory {
  /// The Terraform module folders at a commit: the root when it holds `.tf` files, and each `modules/*`.
  public func moduleDirectories(at commit: String) -> [String] {
    guard let id = ObjectID(hex: commit), let tree = try? repository.commit(id).tree,
      let root = try? repository.rootEntries(ofTree: tree)
    else { return [] }
    var folders: [String] = root.contains { $0.name.hasSuffix(".tf") } ? [""] : []
    if let modules = root.first(where: { $0.name == "modules" }),
      let children = try? repository.rootEntries(ofTree: modules.id)
    {
      folders += children.map { "modules/" + $0.name }
    }
    return folders
  }

  /// A module folder's interface at a commit; nil when the folder has no `.tf` files there. Cached
  /// by the folder's tree id, so releases that did not touch a module are not parsed again.
  public func interface(at commit: String, directory: String, cache: ParseCache) -> ModuleInterface? {
    guard let id = ObjectID(hex: commit), let folder = repository.entryID(atPath: directory, inCommit: id) else {
      return nil
    }
    return cache.value(blob: folder, parser: "module-interface") { () -> ModuleInterface? in
      guard let entries = try? repository.rootEntries(ofTree: folder) else { return nil }
      var files: [String: String] = [:]
      for entry in entries where entry.name.hasSuffix(".tf") {
        guard let bytes = try? repository.blob(entry.id, limit: 4 << 20) else { continue }
        files[directory.isEmpty ? entry.name : directory + "/" + entry.name] = String(decoding: bytes, as: UTF8.self)
      }
      return files.isEmpty ? nil : ModuleInterface.extract(files: files)
    }
  }
}
