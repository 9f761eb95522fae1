import CLibgit2

/// A tag as stored: lightweight (points straight at a commit) or annotated (a tag object).
public struct TagInfo: Sendable, Hashable {
  /// The short name, without `refs/tags/`.
  public let name: String
  /// What `refs/tags/NAME` points at: the tag object for annotated tags.
  public let referenceTarget: ObjectID
  /// The commit finally tagged, after peeling tags of tags; nil when it tags a tree or blob.
  public let commit: ObjectID?
  public let isAnnotated: Bool
  public let tagger: Signature?
  public let message: String?
}

extension Repository {
  /// All reference names (branches, tags, remotes, notes), sorted.
  public func referenceNames() throws(GitError) -> [String] {
    var iterator: OpaquePointer?
    try check(git_reference_iterator_new(&iterator, pointer), "cannot list references")
    defer { git_reference_iterator_free(iterator) }
    var names: [String] = []
    var name: UnsafePointer<CChar>?
    while git_reference_next_name(&name, iterator) == 0 {
      if let name { names.append(String(cString: name)) }
    }
    return names.sorted()
  }

  /// Every tag, with annotated tags peeled to their commit.
  public func tags() throws(GitError) -> [TagInfo] {
    try tagList().tags
  }

  /// Every tag that reads, and why each other one does not (a bad tagger line, a missing object): one bad tag
  /// must not hide the others.
  public func tagList() throws(GitError) -> (tags: [TagInfo], unreadable: [String: String]) {
    var result: [TagInfo] = []
    var unreadable: [String: String] = [:]
    for ref in try referenceNames() where ref.hasPrefix("refs/tags/") {
      guard let target = referenceTarget(ref) else { continue }
      let name = String(ref.dropFirst("refs/tags/".count))
      do {
        result.append(try tag(named: name, target: target))
      } catch {
        unreadable[name] = error.message
      }
    }
    return (result, unreadable)
  }

  func tag(named name: String, target: ObjectID) throws(GitError) -> TagInfo {
    var oid = target.gitOID
    var object: OpaquePointer?
    try check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY), "cannot read tag \(name)")
    defer { git_object_free(object) }
    // A tag whose chain never reaches a commit (a tree, a blob, a circle in a damaged repository) tags none.
    let commit = try? peeledCommit(object)
    guard git_object_type(object) == GIT_OBJECT_TAG else {
      return TagInfo(name: name, referenceTarget: target, commit: commit, isAnnotated: false, tagger: nil, message: nil)
    }
    let tagger = git_tag_tagger(object).map { Signature($0) }
    let message = git_tag_message(object).map { String(cString: $0) }
    return TagInfo(
      name: name, referenceTarget: target, commit: commit, isAnnotated: true, tagger: tagger, message: message)
  }

  /// Tags that tag tags, at most this deep; git's own tags never nest more than a few.
  static let maximumTagChain = 100

  /// The commit an object names, following tags of tags. libgit2's own peel follows a chain without end, and ids
  /// are not re-hashed on read, so a damaged repository's tag that names itself would hold it for ever.
  func peeledCommit(_ object: OpaquePointer?) throws(GitError) -> ObjectID {
    var current = object
    var owned: OpaquePointer?
    defer { git_object_free(owned) }
    for _ in 0..<Self.maximumTagChain {
      switch git_object_type(current) {
      case GIT_OBJECT_COMMIT: return ObjectID(git_object_id(current))
      case GIT_OBJECT_TAG:
        var target = git_tag_target_id(current).pointee
        var next: OpaquePointer?
        try check(git_object_lookup(&next, pointer, &target, GIT_OBJECT_ANY), "cannot read the object a tag names")
        git_object_free(owned)
        (owned, current) = (next, next)
      default:
        throw GitError(code: .invalidSpec, message: "it names a \(Self.typeName(current)), not a commit")
      }
    }
    throw GitError(
      code: .other(-1), message: "tags name tags over \(Self.maximumTagChain) deep: the repository is corrupt")
  }

  static func typeName(_ object: OpaquePointer?) -> String {
    git_object_type2string(git_object_type(object)).map { String(cString: $0) } ?? "object"
  }

  /// Whether `commit` is `ancestor` or descends from it.
  public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) -> Bool {
    if ancestor == commit { return true }
    var a = commit.gitOID
    var b = ancestor.gitOID
    return git_graph_descendant_of(pointer, &a, &b) == 1
  }

  /// The best common ancestor of two commits, or nil when they share none (or it is not in the clone).
  public func mergeBase(_ one: ObjectID, _ other: ObjectID) throws(GitError) -> ObjectID? {
    var out = git_oid()
    var a = one.gitOID
    var b = other.gitOID
    let status = git_merge_base(&out, pointer, &a, &b)
    if status == GIT_ENOTFOUND.rawValue { return nil }
    try check(status, "cannot compute merge base")
    return ObjectID(out)
  }
}
