import CLibgit2

/// Walks commits from a starting point, newest first; iterate with `next()`.
public final class RevisionWalk {
  let walker: OpaquePointer
  let repository: Repository

  public struct Options: Sendable {
    public var firstParentOnly = false
    public var topological = true
    public init(firstParentOnly: Bool = false, topological: Bool = true) {
      self.firstParentOnly = firstParentOnly
      self.topological = topological
    }
  }

  public convenience init(
    _ repository: Repository, from start: ObjectID, hiding hidden: [ObjectID] = [], options: Options = .init()
  ) throws(GitError) {
    try self.init(repository, fromAll: [start], hiding: hidden, options: options)
  }

  /// Walks everything reachable from any of `starts`.
  public init(
    _ repository: Repository, fromAll starts: [ObjectID], hiding hidden: [ObjectID] = [], options: Options = .init()
  )
    throws(GitError)
  {
    var walker: OpaquePointer?
    try check(git_revwalk_new(&walker, repository.pointer), "cannot start history walk")
    guard let walker else { throw GitError(code: .other(-1), message: "cannot start history walk") }
    self.walker = walker
    self.repository = repository
    let sorting = options.topological ? GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue : GIT_SORT_NONE.rawValue
    try check(git_revwalk_sorting(walker, sorting))
    if options.firstParentOnly { try check(git_revwalk_simplify_first_parent(walker)) }
    for start in starts {
      var oid = start.gitOID
      try check(git_revwalk_push(walker, &oid), "cannot walk from \(start.hex)")
    }
    for id in hidden {
      var hiddenOID = id.gitOID
      try check(git_revwalk_hide(walker, &hiddenOID), "cannot hide \(id.hex)")
    }
  }

  deinit { git_revwalk_free(walker) }

  /// The next commit id, or nil at the end; throws on a missing or corrupt commit.
  public func next() throws(GitError) -> ObjectID? {
    var oid = git_oid()
    let status = git_revwalk_next(&oid, walker)
    if status == GIT_ITEROVER.rawValue { return nil }
    try check(status, "history walk failed")
    return ObjectID(oid)
  }
}
