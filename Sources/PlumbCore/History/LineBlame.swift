import GitKit

/// `git blame` for the lines findings point at: which commit wrote each line. Follows every parent,
/// so a line written on a side branch and merged is the side branch's commit; follows exact renames.
struct LineBlame {
  let repository: Repository

  /// One line being followed back: where it is now, and which request it answers.
  struct Tracked {
    let request: Int
    let line: Int  // 0-based, in the version being followed
  }

  struct Track {
    var path: String
    var blob: ObjectID
    var lines: [Tracked]
  }

  /// For each (path, 1-based line) at `head`, the commit that introduced it.
  func blame(_ requests: [(path: String, line: Int)], head: ObjectID) throws(GitError) -> [ObjectID?] {
    var answers = [ObjectID?](repeating: nil, count: requests.count)
    var pending: [ObjectID: [Track]] = [:]
    var byPath: [String: [Tracked]] = [:]
    for (index, request) in requests.enumerated() {
      byPath[request.path, default: []].append(Tracked(request: index, line: request.line - 1))
    }
    let paths = Array(byPath.keys)
    for (path, blob) in zip(paths, repository.entryIDs(atPaths: paths, inCommit: head)) {
      guard let blob else { continue }
      pending[head, default: []].append(Track(path: path, blob: blob, lines: byPath[path]!))
    }
    var texts: [ObjectID: [Substring]] = [:]
    func lines(_ blob: ObjectID) -> [Substring] {
      if let known = texts[blob] { return known }
      let bytes = (try? repository.blob(blob, limit: 16 << 20)) ?? []
      let split = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      if texts.count > 256 { texts.removeAll() }  // memory stays flat in the length of history
      texts[blob] = split
      return split
    }
    let walk = try RevisionWalk(repository, from: head)
    while !pending.isEmpty, let commit = try walk.next() {
      guard let tracks = pending.removeValue(forKey: commit) else { continue }
      let parents = try repository.parents(of: commit)
      let tree = try repository.treeID(ofCommit: commit)
      // Only paths under a top-level entry the commit changed need a lookup; the rest kept their blob.
      let parentEntries = try parents.map { (parent) throws(GitError) -> [ObjectID?] in
        let parentTree = try repository.treeID(ofCommit: parent)
        if parentTree == tree { return tracks.map(\.blob) }
        let changed = Set(try repository.changedRootEntries(from: parentTree, to: tree))
        let lookups = tracks.filter { changed.contains(Self.top($0.path)) }.map(\.path)
        let found = Dictionary(
          zip(lookups, repository.entryIDs(atPaths: lookups, inCommit: parent)), uniquingKeysWith: { first, _ in first }
        )
        return tracks.map { track in
          changed.contains(Self.top(track.path)) ? (found[track.path] ?? nil) : track.blob
        }
      }
      for (position, track) in tracks.enumerated() {
        // A parent with the same content is where the lines came from (git's TREESAME rule).
        if let same = parents.indices.first(where: { parentEntries[$0][position] == track.blob }) {
          pending[parents[same], default: []].append(track)
          continue
        }
        var remaining = track.lines
        let current = lines(track.blob)
        for (parentIndex, parent) in parents.enumerated() where !remaining.isEmpty {
          var path = track.path
          var oldBlob = parentEntries[parentIndex][position]
          if oldBlob == nil, let renamed = try renameSource(of: track.blob, path: track.path, in: parent) {
            (path, oldBlob) = (renamed.path, renamed.blob)
          }
          guard let oldBlob else { continue }
          let map = LineMap.map(old: lines(oldBlob), new: current)
          var moved: [Tracked] = []
          var kept: [Tracked] = []
          for tracked in remaining {
            if tracked.line < map.count, let old = map[tracked.line] {
              moved.append(Tracked(request: tracked.request, line: old))
            } else {
              kept.append(tracked)
            }
          }
          if !moved.isEmpty { pending[parent, default: []].append(Track(path: path, blob: oldBlob, lines: moved)) }
          remaining = kept
        }
        for tracked in remaining { answers[tracked.request] = commit }
      }
    }
    return answers
  }

  static func top(_ path: String) -> String {
    String(path.prefix { $0 != "/" })
  }

  /// Where a file came from when its path is new in this commit: the same content under another name.
  func renameSource(of blob: ObjectID, path: String, in parent: ObjectID) throws(GitError) -> (
    path: String, blob: ObjectID
  )? {
    let tree = try repository.commit(parent).tree
    guard let previous = try repository.paths(ofBlob: blob, inTree: tree).first else { return nil }
    return (previous, blob)
  }
}
