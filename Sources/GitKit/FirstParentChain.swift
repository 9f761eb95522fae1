import CLibgit2

/// One commit of a first-parent chain: its id, root tree, and committer and author times (seconds since the epoch).
public struct ChainCommit: Sendable, Hashable {
  public let id: ObjectID
  public let tree: ObjectID
  public let time: Int64
  public let authorTime: Int64
}

extension Repository {
  /// The first-parent chain from `start`, newest first, reading each commit once and nothing else:
  /// the walk `git log --first-parent` does. A shallow clone's chain ends where its history does.
  public func firstParentChain(from start: ObjectID) throws(GitError) -> [ChainCommit] {
    var chain: [ChainCommit] = []
    var next: ObjectID? = start
    while let id = next {
      var oid = id.gitOID
      var commit: OpaquePointer?
      let status = git_commit_lookup(&commit, pointer, &oid)
      if status < 0 {
        if chain.isEmpty { try check(status, "cannot read commit \(id.hex)") }
        break  // a parent missing from a shallow clone
      }
      let authorTime = git_commit_author(commit)?.pointee.when.time ?? git_commit_time(commit)
      chain.append(
        ChainCommit(
          id: id, tree: ObjectID(git_commit_tree_id(commit)), time: git_commit_time(commit), authorTime: authorTime))
      next = git_commit_parentcount(commit) > 0 ? git_commit_parent_id(commit, 0).map(ObjectID.init) : nil
      git_commit_free(commit)
    }
    return chain
  }
}
