import Formats
import GitKit

/// The repository beyond one tree, as rules may see it: release tags, the default branch, ancestry,
/// and first-parent history of paths. Loaded lazily, so HEAD-only rules never pay for it.
public final class RepositoryHistory {
  /// A tag as rules see it.
  public struct Tag: Sendable, Equatable {
    public let name: String
    /// What the reference points at: the tag object for annotated tags, else the commit.
    public let target: String
    /// The commit finally tagged; nil when the tag points at a tree or blob.
    public let commit: String?
    public let isAnnotated: Bool
    /// Seconds since the epoch: the tagger's date for annotated tags, else the commit's.
    public let time: Int64?
  }

  let repository: Repository
  let head: ObjectID
  /// In pull-request mode only tags reachable from the scanned commit count, so the merge base and the
  /// branch each see their own releases and the difference is what the branch tagged.
  var onlyTagsReachableFromHead = false
  var ancestry: [String: Bool] = [:]
  /// The snapshot's log while a rule runs: walks from the head make a result depend on the head commit.
  var accessLog: AccessLog?
  /// First-parent steps already read, shared by histories whose walks overlap (adoption's periods).
  var knownSteps: FirstParentSteps?
  /// Answers that hold whatever the head, shared by the histories of one repository (adoption's periods).
  var memo = HistoryMemo()

  init(repository: Repository, head: ObjectID) {
    self.repository = repository
    self.head = head
  }

  /// The repository's tags as they read, and the ones that do not with why (repo/parse-error names them).
  lazy var tagList: (tags: [TagInfo], unreadable: [String: String]) = (try? repository.tagList()) ?? ([], [:])

  /// Tags that do not read, with why; adoption sets it, having read the tag list once for all its periods.
  public lazy var unreadableTags: [String: String] = tagList.unreadable

  public lazy var tags: [Tag] = {
    let all = tagList.tags
    let reachable = onlyTagsReachableFromHead ? commitsReachableFromHead : nil
    return all.filter { tag in reachable.map { set in tag.commit.map { set.contains($0) } ?? false } ?? true }.map {
      tag in
      let time = tag.tagger?.time ?? tag.commit.flatMap { try? repository.commitLinks($0).time }
      return Tag(
        name: tag.name, target: tag.referenceTarget.hex, commit: tag.commit?.hex, isAnnotated: tag.isAnnotated,
        time: time)
    }
  }()

  /// The default branch's name and commit (HEAD's branch, origin's HEAD, main or master).
  public lazy var defaultBranch: (name: String, commit: String)? = {
    guard let name = repository.defaultBranch(), let commit = repository.referenceTarget(name) else { return nil }
    return (name, commit.hex)
  }()

  /// Every commit reachable from the scanned commit.
  lazy var commitsReachableFromHead: Set<ObjectID> = Set(repository.commitsInTopologicalOrder(from: [head]))

  /// Every commit reachable from the default branch: one walk answers "is this tag on it?" for all tags.
  lazy var defaultBranchCommits: Set<ObjectID> = graphWalk.defaultBranch

  /// Whether a commit (full hex id) is the default branch's or one of its ancestors.
  public func isOnDefaultBranch(_ commit: String) -> Bool {
    ObjectID(hex: commit).map { defaultBranchCommits.contains($0) } ?? false
  }

  /// Position in one topological walk from every tag and the default branch: an ancestor always comes
  /// after its descendants, so a smaller position rules ancestry out without a graph search.
  lazy var topologicalIndex: [ObjectID: Int] = graphWalk.index

  /// One depth-first walk from the default branch, then from every tag: both of the above, reading the graph once.
  private lazy var graphWalk: (index: [ObjectID: Int], defaultBranch: Set<ObjectID>) = {
    let branch = defaultBranch.flatMap { ObjectID(hex: $0.commit) }
    let starts = [branch].compactMap { $0 } + tags.compactMap { $0.commit.flatMap(ObjectID.init(hex:)) }
    let walk = repository.topologicalWalk(from: starts)
    var index: [ObjectID: Int] = [:]
    index.reserveCapacity(walk.order.count)
    for (position, id) in walk.order.enumerated() { index[id] = position }
    return (index, branch == nil ? [] : Set(walk.order.suffix(walk.reachedFromFirst)))
  }()

  /// Whether `ancestor` is `commit` or one of its ancestors (memoised; graph walks are the costly part).
  public func isAncestor(_ ancestor: String, of commit: String) -> Bool {
    if ancestor == commit { return true }
    guard let a = ObjectID(hex: ancestor), let b = ObjectID(hex: commit) else { return false }
    if let low = topologicalIndex[a], let high = topologicalIndex[b], low < high { return false }
    let key = ancestor + commit
    if let known = ancestry[key] { return known }
    let answer = repository.isAncestor(a, of: b)
    ancestry[key] = answer
    return answer
  }

  /// The commit's facts for findings that a commit, rather than a line, introduced.
  public func commitRef(_ hex: String) -> CommitRef? {
    if let known = memo.commitRefs[hex] { return known }
    let ref = ObjectID(hex: hex).flatMap { try? repository.commit($0) }.map(CommitRef.init)
    memo.commitRefs[hex] = .some(ref)
    return ref
  }

  /// A tag name read as component and version.
  public func releaseTag(_ name: String) -> ReleaseTag {
    if let known = memo.releaseTags[name] { return known }
    let parsed = ReleaseTag.parse(name)
    memo.releaseTags[name] = parsed
    return parsed
  }

  /// One step of the first-parent history: a commit and what it changed at the top level (its time
  /// through `time(of:)`).
  public struct FirstParentStep {
    /// The commit's id in hex, made when asked: walks visit many steps and name few.
    public var commit: String { id.hex }
    /// The author time when the walk read the commit anyway; nil when it came from the commit-graph.
    let knownTime: Int64?
    /// Names of top-level entries that differ from the first parent (all of them for a root commit).
    public let changedRootEntries: [String]
    let id: ObjectID
    let parent: ObjectID?
  }

  /// Walks the first-parent history from HEAD, newest first, reading each commit and two root
  /// trees once; `visit` returns false to stop. Memory stays flat in the length of history.
  public func walkFirstParent(_ visit: (FirstParentStep) -> Bool) {
    accessLog?.walkedHistory = true
    var current: ObjectID? = head
    var links: (tree: ObjectID, firstParent: ObjectID?, time: Int64)?
    // A damaged repository's history can come back to a commit it passed: the walk ends there, as at a root.
    var seen: Set<ObjectID> = []
    while let id = current, seen.insert(id).inserted {
      if let known = knownSteps?.step(id) {
        if !visit(known) { return }
        (current, links) = (known.parent, nil)
        continue
      }
      guard let commit = links ?? (try? repository.commitLinks(id)) else { return }
      let parent = commit.firstParent
      let parentLinks = parent.flatMap { try? repository.commitLinks($0) }
      let changed: [String]
      if let parentLinks {
        changed = (try? repository.changedRootEntries(from: parentLinks.tree, to: commit.tree)) ?? []
      } else {
        changed = ((try? repository.rootEntries(ofTree: commit.tree)) ?? []).map(\.name)
      }
      let step = FirstParentStep(knownTime: commit.time, changedRootEntries: changed, id: id, parent: parent)
      if !visit(step) { return }
      current = parent
      links = parentLinks
    }
  }

  /// The first component of a path (empty for none), found by bytes: walks ask at every step.
  static func topLevelName(_ path: String) -> String {
    let trimmed = path.utf8.drop { $0 == UInt8(ascii: "/") }
    guard let slash = trimmed.firstIndex(of: UInt8(ascii: "/")) else { return String(Substring(trimmed)) }
    return String(path[trimmed.startIndex..<slash])
  }

  /// A step's author time, read only when asked: walks visit many steps and need few times.
  public func time(of step: FirstParentStep) -> Int64 {
    if let known = step.knownTime { return known }
    if let time = knownSteps?.authorTime(step.id) { return time }
    return (try? repository.authorTime(ofCommit: step.id)) ?? 0
  }

  /// Whether a first-parent step changed the entry at `path` (checked only when its top-level entry changed).
  public func changed(_ path: String, in step: FirstParentStep) -> Bool {
    let top = Self.topLevelName(path)
    guard step.changedRootEntries.contains(top) else { return false }
    let now = repository.entryID(atPath: path, inCommit: step.id)
    let before = step.parent.flatMap { repository.entryID(atPath: path, inCommit: $0) }
    return now != before
  }
}

/// What histories of one repository can share: commits and tag names read once, not once per period.
final class HistoryMemo {
  var commitRefs: [String: CommitRef?] = [:]
  var releaseTags: [String: ReleaseTag] = [:]
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
