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
    if let answers = try? LineBlame(repository: repository).blame(
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
        let settings = policy.settings(ruleID)
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
    var paths = Array(log.paths)
    var ids = repository.entryIDs(atPaths: paths, inCommit: current)
    var tree = try repository.treeID(ofCommit: current)
    while !open.isEmpty {
      guard let parent = try repository.parents(of: current).first else { break }
      let parentTree = try repository.treeID(ofCommit: parent)
      // Paths under top-level entries this commit did not touch kept their ids: look up only the others.
      let changed = parentTree == tree ? [] : Set(try repository.changedRootEntries(from: parentTree, to: tree))
      let touched = paths.indices.filter { changed.contains(LineBlame.top(paths[$0])) }
      var parentIDs = ids
      for (index, id) in zip(touched, repository.entryIDs(atPaths: touched.map { paths[$0] }, inCommit: parent)) {
        parentIDs[index] = id
      }
      var same = parentIDs == ids
      if same && log.listed { same = !(try repository.pathSetsDiffer(tree, parentTree)) }
      if !same {
        // What the rule reads changed: ask it again at the parent.
        let older = Snapshot(
          repository: repository, name: snapshot.repositoryName, commit: parent,
          entries: try repository.files(ofTree: parentTree), cache: scanner.cache, textLimit: snapshot.textLimit)
        let (found, parentLog) = evaluate(rule, settings: settings, on: older)
        for fingerprint in open where !found.contains(fingerprint) { answers[fingerprint] = current }
        open = open.intersection(found)
        log = parentLog
        paths = Array(log.paths)
      }
      ids = same ? parentIDs : repository.entryIDs(atPaths: paths, inCommit: parent)
      current = parent
      tree = parentTree
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
