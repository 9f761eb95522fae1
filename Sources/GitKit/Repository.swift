import CLibgit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open repository; one handle per task, never shared between threads.
public final class Repository {
  let pointer: OpaquePointer
  /// Where it was opened from, as given.
  public let path: String
  /// Commits' trees and parents without reading the commits, when git has written a commit-graph.
  lazy var commitGraph: CommitGraph? = openCommitGraph()

  /// Opens a work tree, a bare repository, a `.git` folder or a `.git` file, without searching upwards.
  public init(at path: String) throws(GitError) {
    Libgit2.ensure()
    var opened: OpaquePointer?
    var target = path
    if target.hasSuffix("/.git") || target == ".git" {
      // A `.git` file (worktree or submodule) is opened through the folder that holds it.
      let parent = String(target.dropLast(4))
      if !parent.isEmpty && !isDirectory(target) { target = parent }
    }
    let home = getenv("HOME").map { String(cString: $0) } ?? ""
    if let blocking = ReferenceFiles.blockingFile(at: target, home: home) {
      throw GitError(
        code: .other(-1),
        message: "\(blocking) is not a regular file (a FIFO or device there would block reading for ever); not read")
    }
    let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
    let status = git_repository_open_ext(&opened, target, flags, nil)
    if status == GIT_ENOTFOUND.rawValue {
      throw GitError(code: .notARepository, message: "\(path) is not a git repository")
    }
    try check(status, "cannot open \(path)")
    guard let opened else { throw GitError(code: .notARepository, message: "cannot open \(path)") }
    // libgit2 1.5's own loose-object read trusts the object's header, and a lying one corrupts the heap.
    let checked = plumb_git_check_loose_reads(opened)
    if checked < 0 {
      let error = GitError.last(checked, "cannot open the object database of \(path)")
      git_repository_free(opened)
      throw error
    }
    pointer = opened
    self.path = path
  }

  deinit { git_repository_free(pointer) }

  public var isBare: Bool { git_repository_is_bare(pointer) == 1 }
  /// Read once: libgit2 looks for the `shallow` file at every call, and walks ask at every commit.
  public private(set) lazy var isShallow: Bool = git_repository_is_shallow(pointer) == 1
  /// No references at all (libgit2's own check assumes the unborn branch is `master`).
  public var isEmpty: Bool { ((try? referenceNames()) ?? []).isEmpty }

  /// The git directory libgit2 resolved (for a `.git` file, the folder it points at).
  public var gitDirectory: String { String(cString: git_repository_path(pointer)) }

  /// Resolves any revision git understands (`main`, `v1.2.0`, `HEAD~3`, a short or full id) to a commit.
  public func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
    var object: OpaquePointer?
    try check(git_revparse_single(&object, pointer, revision), "cannot resolve revision '\(revision)'")
    defer { git_object_free(object) }
    do {
      return try peeledCommit(object)
    } catch {
      throw GitError(code: error.code, message: "'\(revision)' does not name a commit: \(error.message)")
    }
  }

  /// HEAD as a reference name and commit; throws `.unbornBranch` or `.notFound` for empty or dangling HEADs.
  public func head() throws(GitError) -> (ref: String?, commit: ObjectID) {
    var ref: OpaquePointer?
    let status = git_repository_head(&ref, pointer)
    if status == GIT_EUNBORNBRANCH.rawValue {
      throw GitError(
        code: .unbornBranch, message: "HEAD points at \(symbolicHead() ?? "a branch") which has no commits")
    }
    try check(status, "cannot read HEAD")
    defer { git_reference_free(ref) }
    // The object HEAD's branch names (git_repository_head resolved it), peeled here: libgit2's own peel would
    // follow a circle of tags for ever.
    guard var target = git_reference_target(ref)?.pointee else {
      throw GitError(code: .notFound, message: "HEAD does not point at a commit")
    }
    var object: OpaquePointer?
    try check(git_object_lookup(&object, pointer, &target, GIT_OBJECT_ANY), "HEAD does not point at a commit")
    defer { git_object_free(object) }
    let commit: ObjectID
    do {
      commit = try peeledCommit(object)
    } catch {
      throw GitError(code: error.code, message: "HEAD does not point at a commit: \(error.message)")
    }
    let isDetached = git_repository_head_detached(pointer) == 1
    let name = isDetached ? nil : String(cString: git_reference_name(ref))
    return (name, commit)
  }

  /// The branch HEAD names, even when that branch does not exist (unborn).
  public func symbolicHead() -> String? {
    var ref: OpaquePointer?
    guard git_reference_lookup(&ref, pointer, "HEAD") == 0 else { return nil }
    defer { git_reference_free(ref) }
    guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(ref)
    else { return nil }
    return String(cString: target)
  }

  /// The default branch: HEAD's branch, else origin's HEAD, else main or master, whichever exists.
  public func defaultBranch() -> String? {
    if let head = symbolicHead(), referenceTarget(head) != nil { return head }
    if let remoteHead = symbolicTarget("refs/remotes/origin/HEAD"), referenceTarget(remoteHead) != nil {
      return remoteHead
    }
    for candidate in ["refs/heads/main", "refs/heads/master"] where referenceTarget(candidate) != nil {
      return candidate
    }
    return nil
  }

  func symbolicTarget(_ name: String) -> String? {
    var ref: OpaquePointer?
    guard git_reference_lookup(&ref, pointer, name) == 0 else { return nil }
    defer { git_reference_free(ref) }
    guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(ref)
    else { return nil }
    return String(cString: target)
  }

  /// The object a reference finally points at, following symbolic references; nil when missing.
  public func referenceTarget(_ name: String) -> ObjectID? {
    var oid = git_oid()
    guard git_reference_name_to_id(&oid, pointer, name) == 0 else { return nil }
    return ObjectID(oid)
  }

  /// The URL of a remote (`origin` by default), used to recognise a repository across the estate.
  public func remoteURL(_ name: String = "origin") -> String? {
    var config: OpaquePointer?
    guard git_repository_config_snapshot(&config, pointer) == 0 else { return nil }
    defer { git_config_free(config) }
    var value: UnsafePointer<CChar>?
    guard git_config_get_string(&value, config, "remote.\(name).url") == 0, let value else { return nil }
    return String(cString: value)
  }
}

extension Repository {
  /// The commit-graph, unless the repository is one git would not use it for (shallow, grafted, or
  /// `core.commitGraph` off).
  func openCommitGraph() -> CommitGraph? {
    guard !isShallow else { return nil }
    var buffer = git_buf()
    guard git_repository_item_path(&buffer, pointer, GIT_REPOSITORY_ITEM_OBJECTS) == 0, let raw = buffer.ptr else {
      return nil
    }
    let objects = String(cString: raw)
    git_buf_dispose(&buffer)
    var info = stat()
    if stat(objects + "info/grafts", &info) == 0 { return nil }
    var config: OpaquePointer?
    if git_repository_config_snapshot(&config, pointer) == 0 {
      defer { git_config_free(config) }
      var enabled: Int32 = 1
      if git_config_get_bool(&enabled, config, "core.commitGraph") == 0 && enabled == 0 { return nil }
    }
    return CommitGraph(path: objects + "info/commit-graph")
  }
}

/// Whether `path` (relative to the open directory `folder`, or to the working directory) is a directory.
func isDirectory(_ path: String, in folder: Int32 = AT_FDCWD) -> Bool {
  var info = stat()
  return fstatat(folder, path, &info, 0) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

extension Repository {
  /// Every remote's URL (`origin` first), for recognising a repository across the estate.
  public func remoteURLs() -> [String] {
    // Remote names from the config and what it includes, read by plumb; each URL from libgit2, as written.
    let common = String(cString: git_repository_commondir(pointer))
    let config = (common.hasSuffix("/") ? common : common + "/") + "config"
    let home = getenv("HOME").map { String(cString: $0) } ?? ""
    var remotes: [String] = []
    var seen: Set<String> = []
    func collect(_ bytes: [UInt8]?) {
      for name in ConfigIncludes.remoteNames(in: bytes ?? []) where seen.insert(name).inserted { remotes.append(name) }
    }
    if let bytes = ReferenceFiles.readFile(config) {
      collect(bytes)
      ReferenceFiles.forEachInclude(of: bytes, from: config, home: home) { _, contents in collect(contents) }
    }
    remotes.sort { ($0 == "origin" ? 0 : 1, $0) < ($1 == "origin" ? 0 : 1, $1) }
    return remotes.compactMap { remoteURL($0) }
  }
}
