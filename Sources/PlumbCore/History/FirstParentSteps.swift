import GitKit

/// First-parent steps of one chain, read from the chain's commits and root trees and kept: walks from
/// the heads of successive periods (runbook/stale's) cover the same stretches again and again.
final class FirstParentSteps {
  let repository: Repository
  let chain: [ChainCommit]
  lazy var positions: [ObjectID: Int] = Dictionary(
    chain.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
  var steps: [ObjectID: RepositoryHistory.FirstParentStep] = [:]
  /// The root entries read last: a walk reads each tree as a commit's and then as its parent's.
  var lastRoot: (tree: ObjectID, entries: [(name: String, id: ObjectID)])?

  init(repository: Repository, chain: [ChainCommit]) {
    self.repository = repository
    self.chain = chain
  }

  /// The step at a commit of the chain; nil off the chain (the walk then reads it itself).
  func step(_ id: ObjectID) -> RepositoryHistory.FirstParentStep? {
    if let known = steps[id] { return known }
    guard let position = positions[id] else { return nil }
    let commit = chain[position]
    let parent = position + 1 < chain.count ? chain[position + 1] : nil
    let now = root(commit.tree)
    let changed: [String]
    if let parent {
      let before = root(parent.tree)
      if before.count == now.count && zip(before, now).allSatisfy({ $0.name == $1.name }) {
        // The usual step: the same names, some with new ids.
        changed = zip(before, now).filter { $0.id != $1.id }.map(\.1.name).sorted()
      } else {
        let old = Dictionary(before.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(now.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        changed = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
      }
    } else {
      changed = now.map(\.name).sorted()
    }
    let step = RepositoryHistory.FirstParentStep(
      commit: id.hex, time: commit.authorTime, changedRootEntries: changed, id: id, parent: parent?.id)
    steps[id] = step
    return step
  }

  func root(_ tree: ObjectID) -> [(name: String, id: ObjectID)] {
    if let lastRoot, lastRoot.tree == tree { return lastRoot.entries }
    let entries = (try? repository.rootEntries(ofTree: tree)) ?? []
    lastRoot = (tree, entries)
    return entries
  }
}
