import FixtureKit
import Foundation
import XCTest

@testable import GitKit

/// The reads long history walks are made of give the same answers as plain commit and tree lookups:
/// path sets compared between trees, and commits read from git's commit-graph file.
final class HistoryReadingTests: XCTestCase {
  let history = """
    commits:
      - message: root
        date: 2026-01-01T00:00:00Z
        files: {a/b/c.txt: "1\\n", a/d.txt: "2\\n", top.md: "# t\\n", x: "file\\n"}
      - message: side one
        branch: one
        date: 2026-01-02T00:00:00Z
        files: {a/b/c.txt: "one\\n"}
      - message: side two
        branch: two
        from: main
        date: 2026-01-03T00:00:00Z
        files: {a/e.txt: "two\\n"}
      - message: a file becomes a folder
        branch: main
        date: 2026-01-04T00:00:00Z
        delete: [x]
        files: {x/y: "folder\\n"}
      - message: octopus
        branch: main
        merge: [one, two]
        date: 2026-01-05T00:00:00Z
        files: {a/b/c.txt: "one\\n", a/e.txt: "two\\n"}
      - message: delete a folder
        date: 2026-01-06T00:00:00Z
        delete: [a/b/c.txt]
    """

  /// Every commit reachable from HEAD.
  func commits(_ repository: Repository) throws -> [ObjectID] {
    let walk = try RevisionWalk(repository, from: try repository.head().commit)
    var all: [ObjectID] = []
    while let id = try walk.next() { all.append(id) }
    return all
  }

  func testPathSetLookupsMatchLookupsOnePathAtATime() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    let paths = ["a/b/c.txt", "a/d.txt", "a/e.txt", "a/b", "a", "", "top.md", "x", "x/y", "missing", "a/missing/z"]
    let lookup = PathSet(paths)
    var compared = 0
    for commit in try commits(repository) {
      let info = try repository.commit(commit)
      let ids = try repository.entryIDs(at: lookup, inTree: info.tree)
      XCTAssertEqual(ids, repository.entryIDs(atPaths: paths, inCommit: commit), info.summary)
      for parent in info.parents {
        let parentIDs = try repository.entryIDs(
          at: lookup, inTree: try repository.treeID(ofCommit: parent), comparedTo: info.tree, knownIDs: ids)
        XCTAssertEqual(parentIDs, repository.entryIDs(atPaths: paths, inCommit: parent), "\(info.summary) ← parent")
        compared += 1
      }
    }
    XCTAssertEqual(compared, 7, "five first parents and the octopus's two others")
  }

  func testPathSetsDifferExactlyWhenTheListedPathsDo() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    var differing = 0
    for commit in try commits(repository) {
      let info = try repository.commit(commit)
      for parent in info.parents {
        let parentTree = try repository.treeID(ofCommit: parent)
        let listed =
          try repository.files(ofTree: info.tree).map(\.path) != repository.files(ofTree: parentTree).map(\.path)
        XCTAssertEqual(try repository.pathSetsDiffer(info.tree, parentTree), listed, info.summary)
        if listed { differing += 1 }
      }
    }
    XCTAssertEqual(differing, 6, "all but side one, which only edits c.txt")
  }

  func testCommitGraphGivesWhatTheCommitsSay() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    try Materializer.run(["-C", made.path, "commit-graph", "write", "--reachable"])
    let repository = try Repository(at: made.path)
    let graph = try XCTUnwrap(repository.commitGraph, "git wrote objects/info/commit-graph")
    for commit in try commits(repository) {
      let info = try repository.commit(commit)
      let links = try XCTUnwrap(graph.links(of: commit), info.summary)
      XCTAssertEqual(links.tree, info.tree, info.summary)
      XCTAssertEqual(links.parents, info.parents, info.summary)
      XCTAssertEqual(links.time, info.committer.time, info.summary)
      XCTAssertEqual(try repository.links(ofCommit: commit).parents, info.parents)
    }
    let octopus = try repository.commit(try repository.resolveCommit("HEAD~1"))
    XCTAssertEqual(octopus.parents.count, 3, "the octopus's third parent comes from the graph's extra-edge list")

    // A commit made after the graph was written is read from the object database.
    try Materializer.run([
      "-C", made.path, "-c", "user.name=Late", "-c", "user.email=late@acme.test", "commit", "--allow-empty", "-m",
      "late",
    ])
    let later = try Repository(at: made.path)
    let head = try later.head().commit
    XCTAssertNil(later.commitGraph?.links(of: head))
    XCTAssertEqual(try later.links(ofCommit: head).parents, try later.commit(head).parents)
    XCTAssertEqual(try later.treeID(ofCommit: head), try later.commit(head).tree)
  }

  func testTopologicalOrderListsWhatAWalkReachesWithDescendantsFirst() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    func check(_ repository: Repository, _ label: String) throws {
      let starts = [
        try repository.resolveCommit("one"), try repository.head().commit, try repository.resolveCommit("two"),
      ]
      let ordered = repository.commitsInTopologicalOrder(from: starts)
      let walk = try RevisionWalk(repository, fromAll: starts)
      var walked: [ObjectID] = []
      while let id = try walk.next() { walked.append(id) }
      XCTAssertEqual(ordered.count, Set(ordered).count, "\(label): each commit once")
      XCTAssertEqual(Set(ordered), Set(walked), label)
      let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
      for commit in ordered {
        for parent in try repository.commit(commit).parents {
          XCTAssertLessThan(try XCTUnwrap(position[commit]), try XCTUnwrap(position[parent]), "\(label): child first")
        }
      }
      XCTAssertEqual(repository.commitsInTopologicalOrder(from: [try repository.resolveCommit("one")]).count, 2)
      // The first start's whole history comes last, counted: what a walk from it alone reaches.
      for first in starts {
        let walk = repository.topologicalWalk(from: [first] + starts)
        XCTAssertEqual(walk.order, repository.commitsInTopologicalOrder(from: [first] + starts), label)
        XCTAssertEqual(
          Set(walk.order.suffix(walk.reachedFromFirst)), Set(repository.commitsInTopologicalOrder(from: [first])),
          label)
      }
      XCTAssertEqual(repository.topologicalWalk(from: []).reachedFromFirst, 0)
    }
    try check(try Repository(at: made.path), "without a commit-graph")
    try Materializer.run(["-C", made.path, "commit-graph", "write", "--reachable"])
    let graphed = try Repository(at: made.path)
    XCTAssertNotNil(graphed.commitGraph)
    try check(graphed, "from the commit-graph")
  }

  /// The first-parent chain read from the commit-graph is the one read commit by commit, also when the
  /// newest commits are not in the graph yet; author times come from the commits.
  func testFirstParentChainFromTheCommitGraphMatchesTheCommits() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let plain = try Repository(at: made.path)
    let head = try plain.head().commit
    let expected = try plain.firstParentChain(from: head)
    XCTAssertNil(plain.commitGraph, "no graph written yet")
    XCTAssertEqual(expected.count, 4, "root, a file becomes a folder, octopus, delete a folder")
    var walked: [ObjectID] = []
    var next: ObjectID? = head
    while let id = next {
      let info = try plain.commit(id)
      walked.append(id)
      XCTAssertEqual(try plain.authorTime(ofCommit: id), info.author.time)
      next = info.parents.first
    }
    XCTAssertEqual(expected.map(\.id), walked)

    try Materializer.run(["-C", made.path, "commit-graph", "write", "--reachable"])
    let graphed = try Repository(at: made.path)
    XCTAssertNotNil(graphed.commitGraph)
    XCTAssertEqual(try graphed.firstParentChain(from: head), expected)

    try Materializer.run([
      "-C", made.path, "-c", "user.name=Late", "-c", "user.email=late@acme.test", "commit", "--allow-empty", "-m",
      "late",
    ])
    let later = try Repository(at: made.path)
    let newest = try later.head().commit
    XCTAssertNil(later.commitGraph?.links(of: newest))
    let chain = try later.firstParentChain(from: newest)
    XCTAssertEqual(chain.first?.id, newest)
    XCTAssertEqual(chain.first?.tree, try later.commit(newest).tree)
    XCTAssertEqual(Array(chain.dropFirst()), expected, "the rest comes from the graph")
  }

  /// Changed top-level names between any two commits' trees are those whose entry differs, whichever
  /// way the trees line up (added, removed, a file becoming a folder, nothing at all).
  func testChangedRootEntriesAreTheNamesWhoseEntriesDiffer() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    let roots = try commits(repository).map { try repository.commit($0).tree }
    // Folder `a` of each commit too: trees whose names do not line up with the roots' at all.
    let folders = try roots.compactMap { root in try repository.rootEntries(ofTree: root).first { $0.name == "a" }?.id }
    let trees = roots + folders
    XCTAssertEqual(folders.count, roots.count)
    for old in trees {
      for new in trees {
        let before = Dictionary(uniqueKeysWithValues: try repository.rootEntries(ofTree: old).map { ($0.name, $0.id) })
        let after = Dictionary(uniqueKeysWithValues: try repository.rootEntries(ofTree: new).map { ($0.name, $0.id) })
        let expected = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        XCTAssertEqual(try repository.changedRootEntries(from: old, to: new), expected)
      }
    }
  }

  func testBrokenCommitGraphsAreIgnored() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    try Materializer.run(["-C", made.path, "commit-graph", "write", "--reachable"])
    let file = made.path + "/.git/objects/info/commit-graph"
    let whole = try Data(contentsOf: URL(fileURLWithPath: file))
    for broken in [Data("not a commit-graph at all".utf8), whole.prefix(100), Data()] {
      try FileManager.default.removeItem(atPath: file)
      try broken.write(to: URL(fileURLWithPath: file))
      let repository = try Repository(at: made.path)
      XCTAssertNil(repository.commitGraph)
      let head = try repository.head().commit
      XCTAssertEqual(try repository.links(ofCommit: head).tree, try repository.commit(head).tree)
    }
  }

  func testHistoryReaderRenewsItsHandle() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let repository = try Repository(at: made.path)
    let reader = try HistoryReader(repository, renewal: 2)
    let first = reader.repository
    XCTAssertFalse(first === repository, "a handle of its own")
    try reader.visit()
    XCTAssertTrue(reader.repository === first)
    try reader.visit()
    XCTAssertFalse(reader.repository === first, "renewed after two commits")
    XCTAssertEqual(try reader.repository.head().commit, try repository.head().commit)
  }
}
