import Foundation
import GitKit

/// Ties findings to the commits that introduced them: `git blame` for findings on a line; for
/// file- and repository-level findings, the first commit of the finding's current unbroken run on
/// the first-parent history. Walks compare tree-entry ids of what the rule read and re-evaluate a
/// rule only where those changed; parses are reused by blob id.
struct Attribution {
  let scanner: RepositoryScanner
  let snapshot: Snapshot
  let policy: Policy
  /// Commits a history walk reads through one libgit2 handle before renewing it (see `HistoryReader`).
  var historyRenewal = 1_000
  /// Parses a first-parent walk keeps; by default a few per file of the scanned tree.
  var walkCacheCapacity: Int?

  var repository: Repository { snapshot.repository }

  func attribute(_ findings: [Finding]) -> [Finding] {
    var result = findings
    var commits: [ObjectID: CommitRef] = [:]
    func ref(_ id: ObjectID) -> CommitRef? {
      if let known = commits[id] { return known }
      guard let info = try? repository.commit(id) else { return nil }
      let made = CommitRef(info)
      commits[id] = made
      return made
    }
    // Findings on a line: blame them all in one walk.
    let lined = result.indices.filter { result[$0].commit == nil && result[$0].path != nil && result[$0].line != nil }
    if let answers = try? LineBlame(repository: repository, renewal: historyRenewal).blame(
      lined.map { (result[$0].path!, result[$0].line!) }, head: snapshot.commitID)
    {
      for (index, answer) in zip(lined, answers) { result[index].commit = answer.flatMap(ref) }
    }
    // The rest: one first-parent walk per rule.
    let unlined = result.indices.filter {
      result[$0].commit == nil && (result[$0].line == nil || result[$0].path == nil)
    }
    let byRule = Dictionary(grouping: unlined) { result[$0].rule }
    for (ruleID, indices) in byRule {
      guard let rule = scanner.options.rules.first(where: { $0.id == ruleID }), !rule.runsAfterWaivers,
        !rule.namesItsCommits, let settings = policy.settings(ruleID)
      else { continue }
      let starts = (try? runStarts(rule, settings: settings, fingerprints: Set(indices.map { result[$0].fingerprint })))
      for index in indices { result[index].commit = starts?[result[index].fingerprint].flatMap(ref) }
    }
    return result
  }

  /// Runs one rule alone on a snapshot, recording what it read.
  func evaluate(_ rule: any Rule, settings: RuleSettings, on target: Snapshot) -> (Set<String>, AccessLog) {
    let log = AccessLog()
    target.accessLog = log
    defer { target.accessLog = nil }
    let facts = RepositoryFacts(snapshot: target, policy: policy, knowledge: scanner.options.knowledge)
    let context = RuleContext(snapshot: target, facts: facts, settings: settings, policy: policy, ruleID: rule.id)
    return (Set(rule.check(context).map(\.fingerprint)), log)
  }

  /// For each fingerprint, the oldest first-parent commit from which it held without a break.
  func runStarts(_ rule: any Rule, settings: RuleSettings, fingerprints: Set<String>) throws(GitError) -> [String:
    ObjectID]
  {
    var answers: [String: ObjectID] = [:]
    var open = fingerprints
    var log = evaluate(rule, settings: settings, on: snapshot).1
    var current = snapshot.commitID
    var lookup = PathSet(Array(log.paths))
    var (tree, parents) = try repository.links(ofCommit: current)
    var ids = try repository.entryIDs(at: lookup, inTree: tree)
    let reader = try HistoryReader(repository, renewal: historyRenewal)
    // Parses of older versions live only as long as the walk needs them: memory stays flat in the length of history.
    let cache = ParseCache(
      capacity: walkCacheCapacity ?? 4 * max(256, snapshot.storedFiles.count), over: scanner.cache)
    var seen: Set<ObjectID> = [current]
    while !open.isEmpty, let parent = parents.first {
      guard seen.insert(parent).inserted else { throw Repository.cycle(parent) }
      try reader.visit()
      let history = reader.repository
      let (parentTree, grandparents) = try history.links(ofCommit: parent)
      // Only folders that differ from this commit's are read: the rest kept their entries.
      let parentIDs = try history.entryIDs(at: lookup, inTree: parentTree, comparedTo: tree, knownIDs: ids)
      var same = parentIDs == ids
      if same && log.listed { same = !(try history.pathSetsDiffer(tree, parentTree)) }
      if same {
        ids = parentIDs
      } else {
        // What the rule reads changed: ask it again at the parent.
        let older = Snapshot(
          repository: history, name: snapshot.repositoryName, commit: parent,
          entries: try history.files(ofTree: parentTree), cache: cache, textLimit: snapshot.textLimit)
        let (found, parentLog) = evaluate(rule, settings: settings, on: older)
        // A file the rule read there does not read: whether the findings held there is not known, so the walk ends
        // with them unanswered rather than blaming this commit.
        if parentLog.readUnreadable { return answers }
        for fingerprint in open where !found.contains(fingerprint) { answers[fingerprint] = current }
        open = open.intersection(found)
        log = parentLog
        lookup = PathSet(Array(log.paths))
        ids = try history.entryIDs(at: lookup, inTree: parentTree)
      }
      current = parent
      (tree, parents) = (parentTree, grandparents)
    }
    for fingerprint in open { answers[fingerprint] = current }  // held since the root commit
    return answers
  }
}

extension CommitRef {
  init(_ info: CommitInfo) {
    self.init(
      sha: info.id.hex, author: info.author.name, email: info.author.email, time: Self.utc(info.author.time),
      summary: info.summary)
  }

  /// `2026-01-02T03:04:05Z` by plain arithmetic: a date formatter per finding cost a quarter of a scan.
  static func utc(_ seconds: Int64) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
      + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }
}
