import CLibgit2

/// Paths looked up together, tree after tree: the paths as a tree of their components, so the
/// lookups share the folders on their common prefixes.
public struct PathSet: Sendable {
  struct Node: Sendable {
    var name: String
    var children: [Int] = []
    /// Indices of the paths that end at this node.
    var ends: [Int] = []
    /// Indices of every path at or below this node.
    var below: [Int] = []
  }

  public let paths: [String]
  /// nodes[0] is the root; a path "" ends at the root and stands for the root tree itself.
  let nodes: [Node]

  public init(_ paths: [String]) {
    self.paths = paths
    var nodes = [Node(name: "")]
    var nodeAtPrefix: [String: Int] = [:]
    for (index, path) in paths.enumerated() {
      var node = 0
      var prefix = ""
      nodes[0].below.append(index)
      for component in path.split(separator: "/") {
        prefix += "/" + component
        if let known = nodeAtPrefix[prefix] {
          node = known
        } else {
          nodes.append(Node(name: String(component)))
          nodes[node].children.append(nodes.count - 1)
          node = nodes.count - 1
          nodeAtPrefix[prefix] = node
        }
        nodes[node].below.append(index)
      }
      nodes[node].ends.append(index)
    }
    self.nodes = nodes
  }

  public var count: Int { paths.count }
}

extension Repository {
  /// The id of the entry at each path below `tree` (nil where there is none).
  public func entryIDs(at paths: PathSet, inTree tree: ObjectID) throws(GitError) -> [ObjectID?] {
    var result = [ObjectID?](repeating: nil, count: paths.count)
    try resolve(paths, node: 0, tree: tree, reference: nil, known: result, into: &result)
    return result
  }

  /// The same, given the ids the paths have below another tree: a folder with the same id in both
  /// trees holds the same entries, so only folders that differ are read (git's path-limited diff).
  public func entryIDs(
    at paths: PathSet, inTree tree: ObjectID, comparedTo reference: ObjectID, knownIDs known: [ObjectID?]
  ) throws(GitError) -> [ObjectID?] {
    precondition(known.count == paths.count, "one known id per path")
    if tree == reference { return known }
    var result = [ObjectID?](repeating: nil, count: paths.count)
    try resolve(paths, node: 0, tree: tree, reference: reference, known: known, into: &result)
    return result
  }

  /// Fills `result` for the paths at or below `node`, whose folder is `tree` (and `reference` in the other tree).
  /// A loop over pending folders, not recursion: a path thousands of folders deep must not use up a thread's stack.
  func resolve(
    _ paths: PathSet, node: Int, tree: ObjectID, reference: ObjectID?, known: [ObjectID?],
    into result: inout [ObjectID?]
  ) throws(GitError) {
    var pending: [(node: Int, tree: ObjectID, reference: ObjectID?)] = [(node, tree, reference)]
    while let (node, tree, reference) = pending.popLast() {
      let here = paths.nodes[node]
      if tree == reference {
        for index in here.below { result[index] = known[index] }
        continue
      }
      for index in here.ends { result[index] = tree }
      guard !here.children.isEmpty else { continue }
      pending += try subfolders(paths, of: here, tree: tree, reference: reference, into: &result)
    }
  }

  /// The children of one folder node that are folders here, with their ids (here and in the other tree); the
  /// paths that end at a file are answered on the way.
  private func subfolders(
    _ paths: PathSet, of here: PathSet.Node, tree: ObjectID, reference: ObjectID?, into result: inout [ObjectID?]
  ) throws(GitError) -> [(node: Int, tree: ObjectID, reference: ObjectID?)] {
    var oid = tree.gitOID
    var treePointer: OpaquePointer?
    try check(git_tree_lookup(&treePointer, pointer, &oid), "cannot read tree \(tree.hex)")
    defer { git_tree_free(treePointer) }
    var referencePointer: OpaquePointer?
    if let reference {
      var referenceOID = reference.gitOID
      try check(git_tree_lookup(&referencePointer, pointer, &referenceOID), "cannot read tree \(reference.hex)")
    }
    defer { if referencePointer != nil { git_tree_free(referencePointer) } }
    var folders: [(node: Int, tree: ObjectID, reference: ObjectID?)] = []
    for child in here.children {
      let name = paths.nodes[child].name
      guard let entry = name.withCString({ git_tree_entry_byname(treePointer, $0) }) else { continue }
      let id = ObjectID(git_tree_entry_id(entry))
      let isTree = git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE
      guard isTree else {
        // A file where the paths need a folder: only the paths ending here exist.
        for index in paths.nodes[child].ends { result[index] = id }
        continue
      }
      var referenceID: ObjectID?
      if referencePointer != nil,
        let other = name.withCString({ git_tree_entry_byname(referencePointer, $0) }),
        git_tree_entry_filemode(other) == GIT_FILEMODE_TREE
      {
        referenceID = ObjectID(git_tree_entry_id(other))
      }
      folders.append((child, id, referenceID))
    }
    return folders
  }
}
