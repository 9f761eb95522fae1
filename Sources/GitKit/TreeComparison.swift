import CLibgit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Repository {
  /// The id of the entry at `path` in a commit's tree, or nil when there is none; the cheap question
  /// history walks ask at every commit (no blob is read).
  public func entryID(atPath path: String, inCommit commit: ObjectID) -> ObjectID? {
    entryIDs(atPaths: [path], inCommit: commit)[0]
  }

  /// Whether two trees hold different sets of file paths (contents aside). Descends only into
  /// subtrees whose ids differ, so one commit's change costs a few tree reads, not a listing.
  public func pathSetsDiffer(_ first: ObjectID, _ second: ObjectID) throws(GitError) -> Bool {
    var pending: [(ObjectID, ObjectID, depth: Int)] = [(first, second, 0)]
    while let (a, b, depth) = pending.popLast() {
      if a == b { continue }
      // Only a damaged repository nests deeper than git allows (a tree naming itself): the walk stops there.
      guard depth < TreeAncestry.maximumDepth else {
        throw GitError(code: .tooLarge, message: "trees nested over \(TreeAncestry.maximumDepth) folders deep")
      }
      var leftOID = a.gitOID
      var rightOID = b.gitOID
      var left: OpaquePointer?
      var right: OpaquePointer?
      try check(git_tree_lookup(&left, pointer, &leftOID), "cannot read tree \(a.hex)")
      defer { git_tree_free(left) }
      try check(git_tree_lookup(&right, pointer, &rightOID), "cannot read tree \(b.hex)")
      defer { git_tree_free(right) }
      let count = git_tree_entrycount(left)
      guard count == git_tree_entrycount(right) else { return true }
      // Names compared as C strings, in place: a walk asks this at every commit.
      for index in 0..<count {
        guard let l = git_tree_entry_byindex(left, index), let r = git_tree_entry_byindex(right, index) else {
          return true
        }
        let leftIsTree = git_tree_entry_filemode(l) == GIT_FILEMODE_TREE
        guard leftIsTree == (git_tree_entry_filemode(r) == GIT_FILEMODE_TREE),
          strcmp(git_tree_entry_name(l), git_tree_entry_name(r)) == 0
        else { return true }
        if leftIsTree && git_oid_equal(git_tree_entry_id(l), git_tree_entry_id(r)) == 0 {
          pending.append((ObjectID(git_tree_entry_id(l)), ObjectID(git_tree_entry_id(r)), depth + 1))
        }
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

  /// Files of `old` that `new` no longer has at their path, reading only folders whose ids differ: the
  /// candidates a rename could have come from. At most `limit` (git's rename limit, in spirit), and no deeper
  /// than git's own path depth, so a damaged tree that contains itself ends the search.
  public func removedFiles(from old: ObjectID, to new: ObjectID?, limit: Int = 1_000) throws(GitError) -> [(
    path: String, id: ObjectID
  )] {
    var removed: [(path: String, id: ObjectID)] = []
    var pending: [(prefix: String, old: ObjectID, new: ObjectID?, depth: Int)] = [("", old, new, 0)]
    // Folders read, at most: a damaged tree that holds itself twice would otherwise double at every level.
    var budget = 100 * limit
    while let next = pending.popLast(), removed.count < limit, budget > 0 {
      guard next.old != next.new, next.depth < 4096 else { continue }
      budget -= 1
      let present = try next.new.map { (tree) throws(GitError) in try children(ofTree: tree) } ?? []
      let byName = Dictionary(present.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
      for entry in try children(ofTree: next.old) {
        let path = next.prefix.isEmpty ? entry.name : next.prefix + "/" + entry.name
        let counterpart = byName[entry.name]
        if entry.isTree {
          pending.append((path, entry.id, counterpart?.isTree == true ? counterpart?.id : nil, next.depth + 1))
        } else if counterpart == nil || counterpart?.isTree == true {
          removed.append((path, entry.id))
        }
      }
    }
    return removed
  }

  /// The paths of blobs with exactly this id in a tree (for following renames), in the order `files(ofTree:)`
  /// lists them; searches the whole tree but names only folders and matches.
  public func paths(ofBlob blob: ObjectID, inTree tree: ObjectID) throws(GitError) -> [String] {
    var target = blob.gitOID
    var found: [String] = []
    var ancestry = TreeAncestry(root: tree)
    var pending: [(prefix: String, id: ObjectID, tree: Int)] = [("", tree, 0)]
    while let next = pending.popLast() {
      var oid = next.id.gitOID
      var treePointer: OpaquePointer?
      try check(git_tree_lookup(&treePointer, pointer, &oid), "cannot read tree \(next.id.hex) at '\(next.prefix)'")
      defer { git_tree_free(treePointer) }
      var subtrees: [(String, ObjectID, Int)] = []
      for index in 0..<git_tree_entrycount(treePointer) {
        guard let entry = git_tree_entry_byindex(treePointer, index) else { continue }
        let isTree = git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE
        guard isTree || git_oid_equal(git_tree_entry_id(entry), &target) == 1 else { continue }
        let name = decodeName(git_tree_entry_name(entry)).0
        let path = next.prefix.isEmpty ? name : next.prefix + "/" + name
        if isTree {
          let id = ObjectID(git_tree_entry_id(entry))
          subtrees.append((path, id, try ancestry.enter(id, from: next.tree, at: path)))
        } else {
          found.append(path)
        }
      }
      pending.append(contentsOf: subtrees.reversed())
    }
    return found
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
}

extension Repository {
  /// What a history walk needs of a commit: its tree, first parent and author time; no strings built.
  public func commitLinks(_ commit: ObjectID) throws(GitError) -> (tree: ObjectID, firstParent: ObjectID?, time: Int64)
  {
    try withCommit(commit) { pointerToCommit in
      let parent = git_commit_parentcount(pointerToCommit) > 0 ? git_commit_parent_id(pointerToCommit, 0) : nil
      let author = git_commit_author(pointerToCommit)
      return (ObjectID(git_commit_tree_id(pointerToCommit)), parent.map(ObjectID.init), author?.pointee.when.time ?? 0)
    }
  }

  /// The names and ids of a tree's direct entries.
  public func rootEntries(ofTree tree: ObjectID) throws(GitError) -> [(name: String, id: ObjectID)] {
    try children(ofTree: tree).map { ($0.name, $0.id) }
  }

  /// Names of direct entries that differ between two trees (added, removed or changed), sorted. Walks
  /// each tree once and looks names up in the other by libgit2's binary search; only changed names
  /// become Swift strings, because this runs once per commit of every history walk.
  public func changedRootEntries(from old: ObjectID, to new: ObjectID) throws(GitError) -> [String] {
    if old == new { return [] }
    var oldOID = old.gitOID
    var newOID = new.gitOID
    var before: OpaquePointer?
    var after: OpaquePointer?
    try check(git_tree_lookup(&before, pointer, &oldOID), "cannot read tree \(old.hex)")
    defer { git_tree_free(before) }
    try check(git_tree_lookup(&after, pointer, &newOID), "cannot read tree \(new.hex)")
    defer { git_tree_free(after) }
    var changed: [String] = []
    // While both trees hold the same names at the same places (the usual commit), each entry's
    // counterpart is at its own index and no name was removed: no search is needed.
    var aligned = git_tree_entrycount(after) == git_tree_entrycount(before)
    for index in 0..<git_tree_entrycount(after) {
      guard let entry = git_tree_entry_byindex(after, index), let name = git_tree_entry_name(entry) else { continue }
      var previous: OpaquePointer?
      if aligned, let counterpart = git_tree_entry_byindex(before, index),
        strcmp(git_tree_entry_name(counterpart), name) == 0
      {
        previous = counterpart
      } else {
        aligned = false
        previous = git_tree_entry_byname(before, name)
      }
      if previous == nil || git_oid_equal(git_tree_entry_id(previous), git_tree_entry_id(entry)) != 1 {
        changed.append(decodeName(name).0)
      }
    }
    if aligned { return changed.sorted() }
    for index in 0..<git_tree_entrycount(before) {
      guard let entry = git_tree_entry_byindex(before, index), let name = git_tree_entry_name(entry),
        git_tree_entry_byname(after, name) == nil
      else { continue }
      changed.append(decodeName(name).0)
    }
    return changed.sorted()
  }
}

extension Repository {
  /// A commit's root tree id, without building its metadata.
  public func treeID(ofCommit commit: ObjectID) throws(GitError) -> ObjectID {
    if let known = commitGraph?.links(of: commit) { return known.tree }
    return try withCommit(commit) { ObjectID(git_commit_tree_id($0)) }
  }
}
