import CLibgit2

/// Who made a commit and when, as recorded in it.
public struct Signature: Sendable, Hashable {
  public let name: String
  public let email: String
  /// Seconds since the Unix epoch.
  public let time: Int64
  /// Minutes east of UTC.
  public let offsetMinutes: Int32
}

/// The facts of one commit that plumb uses.
public struct CommitInfo: Sendable, Hashable {
  public let id: ObjectID
  public let tree: ObjectID
  public let parents: [ObjectID]
  public let author: Signature
  public let committer: Signature
  public let summary: String
}

extension Repository {
  /// Reads one commit's metadata.
  public func commit(_ id: ObjectID) throws(GitError) -> CommitInfo {
    try withCommit(id) { commit in commitInfo(id, commit) }
  }

  /// Looks a commit up, lends it to `body`, and frees it: the one place commit pointers live.
  func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer?) -> T) throws(GitError) -> T {
    var oid = id.gitOID
    var commit: OpaquePointer?
    try check(git_commit_lookup(&commit, pointer, &oid), "cannot read commit \(id.hex)")
    defer { git_commit_free(commit) }
    return body(commit)
  }

  func commitInfo(_ id: ObjectID, _ commit: OpaquePointer?) -> CommitInfo {
    let parentCount = git_commit_parentcount(commit)
    var parents: [ObjectID] = []
    parents.reserveCapacity(Int(parentCount))
    for index in 0..<parentCount {
      if let parent = git_commit_parent_id(commit, index) { parents.append(ObjectID(parent)) }
    }
    let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
    return CommitInfo(
      id: id,
      tree: ObjectID(git_commit_tree_id(commit)),
      parents: parents,
      author: Signature(git_commit_author(commit)),
      committer: Signature(git_commit_committer(commit)),
      summary: summary
    )
  }
}

extension Signature {
  init(_ signature: UnsafePointer<git_signature>?) {
    guard let signature else {
      self.init(name: "", email: "", time: 0, offsetMinutes: 0)
      return
    }
    let value = signature.pointee
    self.init(
      name: value.name.map { String(cString: $0) } ?? "",
      email: value.email.map { String(cString: $0) } ?? "",
      time: value.when.time,
      offsetMinutes: value.when.offset
    )
  }
}
