import CLibgit2

#if canImport(Glibc)
  import Glibc
#endif

/// One file (blob, symlink or submodule) in a tree, with its full path.
public struct TreeEntry: Sendable, Hashable {
  public enum Kind: Sendable, Hashable { case file, executable, symlink, submodule, directory }
  /// The path, '/'-separated; invalid UTF-8 bytes are replaced (see `pathIsValidUTF8`).
  public let path: String
  public let id: ObjectID
  public let kind: Kind
  /// False when git stored path bytes that are not UTF-8.
  public let pathIsValidUTF8: Bool
}

extension Repository {
  /// Every file below a commit's tree (directories are implied by the paths), in git's order.
  /// Iterative, so a deep tree cannot overflow the stack.
  public func files(ofTree treeID: ObjectID, limit: Int = 2_000_000) throws(GitError) -> [TreeEntry] {
    var result: [TreeEntry] = []
    var ancestry = TreeAncestry(root: treeID)
    var pending: [(prefix: String, id: ObjectID, valid: Bool, tree: Int)] = [("", treeID, true, 0)]
    while let next = pending.popLast() {
      var oid = next.id.gitOID
      var tree: OpaquePointer?
      try check(git_tree_lookup(&tree, pointer, &oid), "cannot read tree \(next.id.hex) at '\(next.prefix)'")
      defer { git_tree_free(tree) }
      let count = git_tree_entrycount(tree)
      var subtrees: [(String, ObjectID, Bool, Int)] = []
      for index in 0..<count {
        guard let entry = git_tree_entry_byindex(tree, index) else { continue }
        let (name, valid) = decodeName(git_tree_entry_name(entry))
        let path = next.prefix.isEmpty ? name : next.prefix + "/" + name
        let id = ObjectID(git_tree_entry_id(entry))
        let mode = git_tree_entry_filemode(entry)
        switch mode {
        case GIT_FILEMODE_TREE:
          subtrees.append((path, id, valid && next.valid, try ancestry.enter(id, from: next.tree, at: path)))
        case GIT_FILEMODE_BLOB_EXECUTABLE:
          result.append(TreeEntry(path: path, id: id, kind: .executable, pathIsValidUTF8: valid && next.valid))
        case GIT_FILEMODE_LINK:
          result.append(TreeEntry(path: path, id: id, kind: .symlink, pathIsValidUTF8: valid && next.valid))
        case GIT_FILEMODE_COMMIT:
          result.append(TreeEntry(path: path, id: id, kind: .submodule, pathIsValidUTF8: valid && next.valid))
        default: result.append(TreeEntry(path: path, id: id, kind: .file, pathIsValidUTF8: valid && next.valid))
        }
        if result.count > limit {
          throw GitError(code: .tooLarge, message: "tree has more than \(limit) files")
        }
      }
      // Reverse so popLast visits subtrees in tree order, keeping output sorted like git ls-tree.
      pending.append(contentsOf: subtrees.reversed())
    }
    return result
  }

  /// The tree entry at a path below a tree, or nil when there is none (compares ids without reading blobs).
  public func entry(atPath path: String, inTree treeID: ObjectID) throws(GitError) -> TreeEntry? {
    var oid = treeID.gitOID
    var tree: OpaquePointer?
    try check(git_tree_lookup(&tree, pointer, &oid), "cannot read tree \(treeID.hex)")
    defer { git_tree_free(tree) }
    var entry: OpaquePointer?
    let status = git_tree_entry_bypath(&entry, tree, path)
    if status == GIT_ENOTFOUND.rawValue { return nil }
    try check(status, "cannot look up '\(path)'")
    defer { git_tree_entry_free(entry) }
    let kind: TreeEntry.Kind
    switch git_tree_entry_filemode(entry) {
    case GIT_FILEMODE_TREE: kind = .directory
    case GIT_FILEMODE_BLOB_EXECUTABLE: kind = .executable
    case GIT_FILEMODE_LINK: kind = .symlink
    case GIT_FILEMODE_COMMIT: kind = .submodule
    default: kind = .file
    }
    return TreeEntry(path: path, id: ObjectID(git_tree_entry_id(entry)), kind: kind, pathIsValidUTF8: true)
  }

  /// A blob's size from the object header, without inflating it.
  public func blobSize(_ id: ObjectID) throws(GitError) -> Int {
    var odb: OpaquePointer?
    try check(git_repository_odb(&odb, pointer), "cannot open object database")
    defer { git_odb_free(odb) }
    var oid = id.gitOID
    var size = 0
    var type = GIT_OBJECT_ANY
    try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read object \(id.hex)")
    return size
  }

  /// A blob's bytes; refuses blobs over `limit` before inflating them.
  public func blob(_ id: ObjectID, limit: Int) throws(GitError) -> [UInt8] {
    let size = try blobSize(id)
    if size > limit {
      throw GitError(code: .tooLarge, message: "object \(id.hex) is \(size) bytes, over the \(limit)-byte limit")
    }
    var oid = id.gitOID
    var blob: OpaquePointer?
    try check(git_blob_lookup(&blob, pointer, &oid), "cannot read blob \(id.hex)")
    defer { git_blob_free(blob) }
    let length = Int(git_blob_rawsize(blob))
    guard length > 0, let raw = git_blob_rawcontent(blob) else { return [] }
    return Array(UnsafeRawBufferPointer(start: raw, count: length))
  }
}

/// Decodes a C path component, remembering whether it was valid UTF-8.
func decodeName(_ cString: UnsafePointer<CChar>?) -> (String, Bool) {
  guard let cString else { return ("", false) }
  if let valid = String(validatingCString: cString) { return (valid, true) }
  let bytes = UnsafeRawBufferPointer(start: cString, count: strlen(cString))
  return (String(decoding: bytes, as: UTF8.self), false)
}

/// The trees a walk has entered, each with the one it was found in. Object ids are not re-hashed on read, so a
/// damaged repository can hold a tree whose content names itself as a subtree: walked blindly, its paths grow
/// for ever. A tree met again among its own ancestors, or nested deeper than git allows, ends the walk.
struct TreeAncestry {
  /// git's own limit (core.maxTreeDepth).
  static let maximumDepth = 4096
  private var trees: [(id: ObjectID, parent: Int)]

  init(root: ObjectID) { trees = [(root, -1)] }

  /// Records `id`, found in the tree numbered `parent` at `path`, and returns its number.
  mutating func enter(_ id: ObjectID, from parent: Int, at path: String) throws(GitError) -> Int {
    var ancestor = parent
    var depth = 1
    while ancestor >= 0 {
      if trees[ancestor].id == id {
        throw GitError(
          code: .other(-1), message: "tree \(id.hex) at '\(path)' contains itself: the repository is corrupt")
      }
      ancestor = trees[ancestor].parent
      depth += 1
    }
    if depth > Self.maximumDepth {
      throw GitError(
        code: .tooLarge, message: "'\(path.prefix(200))…' is nested over \(Self.maximumDepth) folders deep")
    }
    trees.append((id, parent))
    return trees.count - 1
  }
}
