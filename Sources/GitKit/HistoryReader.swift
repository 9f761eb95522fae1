import CLibgit2

/// Reads a long walk's commits and trees through a handle of its own, renewed every `renewal`
/// commits: libgit2 keeps what a handle reads in caches that empty only when the handle is freed
/// (and, once past their cap, evict in time proportional to their size), so one handle would hold
/// memory in proportion to the history walked.
public final class HistoryReader {
  public private(set) var repository: Repository
  let renewal: Int
  var visited = 0

  public init(_ repository: Repository, renewal: Int = 1_000) throws(GitError) {
    self.repository = try Repository(at: repository.path)
    self.renewal = max(1, renewal)
  }

  /// Counts one commit visited, renewing the handle when its turn comes.
  public func visit() throws(GitError) {
    visited += 1
    if visited % renewal == 0 { repository = try Repository(at: repository.path) }
  }
}

extension Repository {
  /// What history walks need of a commit: its tree and parents, in one lookup.
  /// In a shallow clone a boundary commit's parents are left out, as git blame takes it for a root (`^commit`).
  public func links(ofCommit commit: ObjectID) throws(GitError) -> (tree: ObjectID, parents: [ObjectID]) {
    if let known = commitGraph?.links(of: commit) { return (known.tree, withinClone(known.parents)) }
    let (tree, parents) = try withCommit(commit) { pointerToCommit in
      let parents = (0..<git_commit_parentcount(pointerToCommit)).compactMap { index in
        git_commit_parent_id(pointerToCommit, index).map(ObjectID.init)
      }
      return (ObjectID(git_commit_tree_id(pointerToCommit)), parents)
    }
    return (tree, withinClone(parents))
  }

  /// The parents a shallow clone holds (all of them elsewhere).
  func withinClone(_ parents: [ObjectID]) -> [ObjectID] {
    guard isShallow, !parents.isEmpty else { return parents }
    var odb: OpaquePointer?
    guard git_repository_odb(&odb, pointer) == 0 else { return parents }
    defer { git_odb_free(odb) }
    return parents.filter { parent in
      var oid = parent.gitOID
      return git_odb_exists(odb, &oid) == 1
    }
  }

  /// A commit's committer time (seconds since the epoch), for ordering walks newest first.
  public func commitTime(_ commit: ObjectID) throws(GitError) -> Int64 {
    if let known = commitGraph?.links(of: commit) { return known.time }
    return try withCommit(commit) { git_commit_time($0) }
  }
}

extension Repository {
  /// Every commit reachable from `starts` (themselves included), each before all of its ancestors. Parents
  /// come from the commit-graph file when git wrote one, so most commits are never read; a commit that
  /// cannot be read ends its line of history, as it ends a revision walk.
  public func commitsInTopologicalOrder(from starts: [ObjectID]) -> [ObjectID] {
    topologicalWalk(from: starts).order
  }

  /// The same order, and how many of its commits (its last ones) the first start reaches: the walk takes the
  /// first start's whole history before any other's, so one walk also answers "is it on that branch?".
  public func topologicalWalk(from starts: [ObjectID]) -> (order: [ObjectID], reachedFromFirst: Int) {
    var reachedFromFirst = 0
    var expanded: Set<ObjectID> = []
    var postOrder: [ObjectID] = []
    // Depth first: a commit is listed once all its ancestors are, so the reversed list puts it before them.
    var stack: [(id: ObjectID, parents: [ObjectID], next: Int)] = []
    for start in starts where expanded.insert(start).inserted {
      stack.append((start, (try? links(ofCommit: start).parents) ?? [], 0))
      while let top = stack.last {
        if top.next < top.parents.count {
          stack[stack.count - 1].next += 1
          let parent = top.parents[top.next]
          if expanded.insert(parent).inserted {
            stack.append((parent, (try? links(ofCommit: parent).parents) ?? [], 0))
          }
        } else {
          postOrder.append(top.id)
          stack.removeLast()
        }
      }
      if reachedFromFirst == 0 { reachedFromFirst = postOrder.count }
    }
    return (postOrder.reversed(), reachedFromFirst)
  }
}
