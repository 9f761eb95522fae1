import CLibgit2

extension Repository {
  /// The id of the entry at `path` in a commit's tree, or nil when there is none; the cheap question
  /// history walks ask at every commit (no blob is read).
  public func entryID(atPath path: String, inCommit commit: ObjectID) -> ObjectID? {
    entryIDs(atPaths: [path], inCommit: commit)[0]
  }

  /// Whether two trees hold different sets of file paths (contents aside). Descends only into
  /// subtrees whose ids differ, so one commit's change costs a few tree reads, not a listing.
  public func pathSetsDiffer(_ first: ObjectID, _ second: ObjectID) throws(GitError) -> Bool {
    var pending: [(ObjectID, ObjectID)] = [(first, second)]
    while let (a, b) = pending.popLast() {
      if a == b { continue }
      let left = try children(ofTree: a)
      let right = try children(ofTree: b)
      guard left.count == right.count else { return true }
      for (l, r) in zip(left, right) {
        guard l.name == r.name, l.isTree == r.isTree else { return true }
        if l.isTree && l.id != r.id { pending.append((l.id, r.id)) }
      }
    }
    return false
  }

  func children(ofTree id: ObjectID) throws(GitError) -> [(name: String, id: ObjectID, isTree: Bool)] {
    var oid = id.gitOID
    var tree: OpaquePointer?
    try check(git_tree_lookup(&tree, pointer, &oid), "cannot read tree \(id.hex)")
    defer { git_tree_free(tree) }
    let count = git_tree_entrycount(tree)
    var result: [(String, ObjectID, Bool)] = []
    result.reserveCapacity(count)
    for index in 0..<count {
      guard let entry = git_tree_entry_byindex(tree, index) else { continue }
      result.append(
        (
          decodeName(git_tree_entry_name(entry)).0, ObjectID(git_tree_entry_id(entry)),
          git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE
        ))
    }
    return result
  }

  /// The paths of blobs with exactly this id in a tree (for following renames); searches the whole tree.
  public func paths(ofBlob blob: ObjectID, inTree tree: ObjectID) throws(GitError) -> [String] {
    try files(ofTree: tree).filter { $0.id == blob }.map(\.path)
  }
}

extension Repository {
  /// Entry ids of several paths in one commit's tree, reading the commit and its tree once.
  public func entryIDs(atPaths paths: [String], inCommit commit: ObjectID) -> [ObjectID?] {
    let missing = paths.map { _ -> ObjectID? in nil }
    let found = try? withCommit(commit) { commitPointer -> [ObjectID?] in
      var tree: OpaquePointer?
      guard git_commit_tree(&tree, commitPointer) == 0 else { return missing }
      defer { git_tree_free(tree) }
      return paths.map { path in
        if path.isEmpty { return ObjectID(git_tree_id(tree)) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, path) == 0 else { return nil }
        defer { git_tree_entry_free(entry) }
        return ObjectID(git_tree_entry_id(entry))
      }
    }
    return found ?? missing
  }

  /// Parent ids of a commit, without reading anything else.
  public func parents(of commit: ObjectID) throws(GitError) -> [ObjectID] {
    try withCommit(commit) { pointerToCommit in
      (0..<git_commit_parentcount(pointerToCommit)).compactMap { index in
        git_commit_parent_id(pointerToCommit, index).map(ObjectID.init)
      }
    }
  }
}

extension Repository {
  /// The names and ids of a tree's direct entries.
  public func rootEntries(ofTree tree: ObjectID) throws(GitError) -> [(name: String, id: ObjectID)] {
    try children(ofTree: tree).map { ($0.name, $0.id) }
  }

  /// Names of direct entries that differ between two trees (added, removed or changed).
  public func changedRootEntries(from old: ObjectID, to new: ObjectID) throws(GitError) -> [String] {
    if old == new { return [] }
    let before = Dictionary(try children(ofTree: old).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(try children(ofTree: new).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
    return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
  }
}

extension Repository {
  /// A commit's root tree id, without building its metadata.
  public func treeID(ofCommit commit: ObjectID) throws(GitError) -> ObjectID {
    try withCommit(commit) { ObjectID(git_commit_tree_id($0)) }
  }
}
