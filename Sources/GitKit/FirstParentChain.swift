import CLibgit2

/// One commit of a first-parent chain: its id, root tree, and committer time (seconds since the epoch).
public struct ChainCommit: Sendable, Hashable {
  public let id: ObjectID
  public let tree: ObjectID
  public let time: Int64
}

extension Repository {
  /// The first-parent chain from `start`, newest first, reading each commit once and nothing else:
  /// the walk `git log --first-parent` does, from the commit-graph once it reaches a commit the graph
  /// holds. A shallow clone's chain ends where its history does.
  public func firstParentChain(from start: ObjectID) throws(GitError) -> [ChainCommit] {
    var chain: [ChainCommit] = []
    // Ids are not re-hashed on read: a damaged repository can hold a commit that is its own ancestor.
    var seen: Set<ObjectID> = []
    var next: ObjectID? = start
    while let id = next {
      guard seen.insert(id).inserted else { throw Self.cycle(id) }
      if let graph = commitGraph, var position = graph.position(of: id) {
        // The graph holds every ancestor of a commit it holds: the rest of the chain is read from it.
        var remaining = graph.count
        while true {
          let record = graph.firstParentRecord(at: position)
          chain.append(ChainCommit(id: graph.id(at: position), tree: record.tree, time: record.time))
          guard let parent = record.firstParent else { break }
          // A chain longer than the graph's commits goes round in a circle.
          remaining -= 1
          guard remaining > 0 else { throw Self.cycle(graph.id(at: parent)) }
          position = parent
        }
        break
      }
      var oid = id.gitOID
      var commit: OpaquePointer?
      let status = git_commit_lookup(&commit, pointer, &oid)
      if status < 0 {
        let child = chain.last.map { ", first parent of \($0.id.hex)," } ?? ""
        let error = GitError.last(status, "cannot read commit \(id.hex)\(child) in its history")
        // A parent missing from a shallow clone ends its history; any other commit that does not read is damage.
        guard !chain.isEmpty, status == GIT_ENOTFOUND.rawValue, isShallow else { throw error }
        break
      }
      chain.append(ChainCommit(id: id, tree: ObjectID(git_commit_tree_id(commit)), time: git_commit_time(commit)))
      next = git_commit_parentcount(commit) > 0 ? git_commit_parent_id(commit, 0).map(ObjectID.init) : nil
      git_commit_free(commit)
    }
    return chain
  }
}

extension Repository {
  /// The error for a history that comes back to a commit it has already passed.
  public static func cycle(_ commit: ObjectID) -> GitError {
    GitError(code: .other(-1), message: "commit \(commit.hex) is its own ancestor: the repository is corrupt")
  }

  /// A commit's author time (seconds since the epoch; the committer's when it has no author), which
  /// the commit-graph does not hold.
  public func authorTime(ofCommit commit: ObjectID) throws(GitError) -> Int64 {
    try withCommit(commit) { git_commit_author($0)?.pointee.when.time ?? git_commit_time($0) }
  }
}
