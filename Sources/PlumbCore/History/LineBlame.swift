import GitKit

/// `git blame` for the lines findings point at: which commit wrote each line. Follows every parent,
/// so a line written on a side branch and merged is the side branch's commit; follows renames (edited
/// ones by line similarity, as git does), not copies.
/// Visits only commits that still hold a followed line, newest first, keeping only the followed
/// lines and their current versions' texts, so memory stays flat in the length of history.
struct LineBlame {
  let repository: Repository
  /// Commits a history handle reads before it is renewed (see `HistoryReader`).
  var renewal = 1_000

  /// One line being followed back: where it is now, and which request it answers.
  struct Tracked {
    let request: Int
    let line: Int  // 0-based, in the version being followed
  }

  /// Lines followed back in one version of a file.
  struct Track {
    var path: String
    var blob: ObjectID
    var lines: [Tracked]
    /// The version's lines once read, carried along so each version is read and split once.
    var text: [Substring]?
  }

  /// Commits still to visit, with the tracks that reached them.
  struct Frontier {
    var tracks: [ObjectID: [Track]] = [:]
    var times: [ObjectID: Int64] = [:]

    /// Adds one child's tracks to a parent; tracks from another child for the same version of the
    /// same file are joined, so a merged file is followed once.
    mutating func add(_ arriving: [Track], at commit: ObjectID) {
      guard !arriving.isEmpty else { return }
      guard var present = tracks[commit] else {
        tracks[commit] = arriving
        return
      }
      for track in arriving {
        if let index = present.firstIndex(where: { $0.blob == track.blob && $0.path == track.path }) {
          present[index].lines += track.lines
          if present[index].text == nil { present[index].text = track.text }
        } else {
          present.append(track)
        }
      }
      tracks[commit] = present
    }

    /// The newest commit to visit (by committer time, as git blame does), with its tracks. A commit
    /// met again later is visited again with the tracks that arrive then: each line's answer
    /// depends only on its own path back, so the order changes the work, never the answers.
    mutating func next(_ repository: Repository) throws(GitError) -> (ObjectID, [Track])? {
      guard var newest = tracks.keys.first else { return nil }
      if tracks.count > 1 {
        var newestTime = Int64.min
        for commit in tracks.keys {
          let time: Int64
          if let known = times[commit] {
            time = known
          } else {
            time = try repository.commitTime(commit)
            times[commit] = time
          }
          if time > newestTime || (time == newestTime && commit < newest) { (newest, newestTime) = (commit, time) }
        }
      }
      times[newest] = nil
      return (newest, tracks.removeValue(forKey: newest)!)
    }
  }

  /// For each (path, 1-based line) at `head`, the commit that introduced it.
  /// More visits to one commit than any real history's merges give; a damaged one that circles reaches it.
  static let maximumVisits = 1_000

  func blame(_ requests: [(path: String, line: Int)], head: ObjectID) throws(GitError) -> [ObjectID?] {
    var answers = [ObjectID?](repeating: nil, count: requests.count)
    var byPath: [String: [Tracked]] = [:]
    var paths: [String] = []
    for (index, request) in requests.enumerated() {
      if byPath[request.path] == nil { paths.append(request.path) }
      byPath[request.path, default: []].append(Tracked(request: index, line: request.line - 1))
    }
    var frontier = Frontier()
    frontier.add(
      zip(paths, repository.entryIDs(atPaths: paths, inCommit: head)).compactMap { path, blob in
        blob.map { Track(path: path, blob: $0, lines: byPath[path]!) }
      }, at: head)
    let reader = try HistoryReader(repository, renewal: renewal)
    var lookup = PathSet([])
    // A commit is visited again only when lines reach it by another path; far more often means a circle.
    var visits: [ObjectID: Int] = [:]
    while let (commit, tracks) = try frontier.next(reader.repository) {
      visits[commit, default: 0] += 1
      guard visits[commit]! <= Self.maximumVisits else { throw Repository.cycle(commit) }
      try reader.visit()
      let history = reader.repository
      let (tree, parents) = try history.links(ofCommit: commit)
      let trackedPaths = tracks.map(\.path)
      if trackedPaths != lookup.paths { lookup = PathSet(trackedPaths) }
      let blobs = tracks.map { Optional($0.blob) }
      // Each parent's entries at the followed paths, reading only the folders that differ from this commit's.
      let parentEntries = try parents.map { (parent) throws(GitError) -> [ObjectID?] in
        try history.entryIDs(at: lookup, inTree: history.treeID(ofCommit: parent), comparedTo: tree, knownIDs: blobs)
      }
      var arriving = [[Track]](repeating: [], count: parents.count)
      for (position, track) in tracks.enumerated() {
        // A parent with the same content is where the lines came from (git's TREESAME rule).
        if let same = parents.indices.first(where: { parentEntries[$0][position] == track.blob }) {
          arriving[same].append(track)
          continue
        }
        var remaining = track.lines
        // Content that does not read (a damaged object) cannot be followed: its lines stay unanswered.
        guard let current = track.text ?? lines(track.blob) else { continue }
        for (parentIndex, parent) in parents.enumerated() where !remaining.isEmpty {
          var path = track.path
          var oldBlob = parentEntries[parentIndex][position]
          // The same content under another name that this commit removed: a rename. One it kept is the source
          // of a copy, which git blame (without -C) does not follow either: the copy's lines are this commit's.
          if oldBlob == nil,
            let renamed = try history.paths(ofBlob: track.blob, inTree: history.treeID(ofCommit: parent)).first(
              where: { history.entryID(atPath: $0, inCommit: commit) == nil })
          {
            (path, oldBlob) = (renamed, track.blob)
          } else if oldBlob == nil,
            let similar = try similarSource(
              of: current, removedFrom: history.treeID(ofCommit: parent), to: tree, in: history)
          {
            (path, oldBlob) = similar  // moved and edited in one commit: git's rename detection finds it too
          }
          guard let oldBlob else { continue }
          guard let old = oldBlob == track.blob ? current : lines(oldBlob) else {
            remaining = []
            break
          }
          let map = LineMap.map(old: old, new: current)
          var moved: [Tracked] = []
          var kept: [Tracked] = []
          for tracked in remaining {
            if tracked.line < map.count, let oldLine = map[tracked.line] {
              moved.append(Tracked(request: tracked.request, line: oldLine))
            } else {
              kept.append(tracked)
            }
          }
          if !moved.isEmpty { arriving[parentIndex].append(Track(path: path, blob: oldBlob, lines: moved, text: old)) }
          remaining = kept
        }
        for tracked in remaining { answers[tracked.request] = commit }
      }
      for (parent, tracks) in zip(parents, arriving) { frontier.add(tracks, at: parent) }
    }
    return answers
  }

  /// The file this commit removed that the new text is most like, when at least half their lines are shared
  /// (git's default rename threshold, counted in lines rather than bytes).
  func similarSource(of text: [Substring], removedFrom parentTree: ObjectID, to tree: ObjectID, in history: Repository)
    throws(GitError) -> (path: String, blob: ObjectID)?
  {
    let candidates = try history.removedFiles(from: parentTree, to: tree, limit: Self.renameCandidates)
    guard !candidates.isEmpty, candidates.count < Self.renameCandidates else { return nil }
    var counts: [Substring: Int] = [:]
    for line in text { counts[line, default: 0] += 1 }
    var best: (path: String, blob: ObjectID, score: Double)?
    for candidate in candidates {
      guard let old = lines(candidate.id) else { continue }
      var remaining = counts
      var shared = 0
      for line in old where remaining[line, default: 0] > 0 {
        remaining[line]! -= 1
        shared += 1
      }
      let score = Double(2 * shared) / Double(max(1, text.count + old.count))
      if score >= 0.5 && score > (best?.score ?? 0) { best = (candidate.path, candidate.id, score) }
    }
    return best.map { ($0.path, $0.blob) }
  }

  /// Removed files past which a commit is not searched for an edited rename (git's renameLimit is 1,000).
  static let renameCandidates = 1_000

  /// A blob's lines, split at each LF byte as git does (a CRLF line keeps its CR; Swift's "\r\n" Character would
  /// make a CRLF file one line); nil when it does not read (damaged, or over 16 MB).
  func lines(_ blob: ObjectID) -> [Substring]? {
    guard let bytes = try? repository.blob(blob, limit: 16 << 20) else { return nil }
    return String(decoding: bytes, as: UTF8.self).utf8.split(
      separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
    )
    .map { Substring($0) }
  }
}
