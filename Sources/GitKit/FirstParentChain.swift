import CLibgit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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

extension Repository {
  /// Names of the direct entries that differ between two trees, sorted; in the usual case (the same
  /// names in both) only the changed entries' names are decoded.
  public func changedRootNames(from old: ObjectID, to new: ObjectID) throws(GitError) -> [String] {
    if old == new { return [] }
    var (oldOID, newOID) = (old.gitOID, new.gitOID)
    var (before, after): (OpaquePointer?, OpaquePointer?) = (nil, nil)
    try check(git_tree_lookup(&before, pointer, &oldOID), "cannot read tree \(old.hex)")
    defer { git_tree_free(before) }
    try check(git_tree_lookup(&after, pointer, &newOID), "cannot read tree \(new.hex)")
    defer { git_tree_free(after) }
    let count = git_tree_entrycount(after)
    if git_tree_entrycount(before) == count {
      var changed: [String] = []
      var sameNames = true
      for index in 0..<count {
        guard let a = git_tree_entry_byindex(before, index), let b = git_tree_entry_byindex(after, index),
          strcmp(git_tree_entry_name(a), git_tree_entry_name(b)) == 0
        else {
          sameNames = false
          break
        }
        if git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) != 1 {
          changed.append(decodeName(git_tree_entry_name(b)).0)
        }
      }
      if sameNames { return changed.sorted() }
    }
    return try changedRootEntries(from: old, to: new)
  }
}
