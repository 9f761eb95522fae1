import GitKit

/// First-parent steps of one chain, read from the chain's commits and root trees and kept: walks from
/// the heads of successive periods (runbook/stale's) cover the same stretches again and again.
final class FirstParentSteps {
  let repository: Repository
  let chain: [ChainCommit]
  lazy var positions: [ObjectID: Int] = Dictionary(
    chain.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
  var steps: [ObjectID: RepositoryHistory.FirstParentStep] = [:]

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
    let changed: [String]
    if let parent {
      changed = (try? repository.changedRootEntries(from: parent.tree, to: commit.tree)) ?? []
    } else {
      changed = ((try? repository.rootEntries(ofTree: commit.tree)) ?? []).map(\.name)
    }
    let step = RepositoryHistory.FirstParentStep(
      commit: id.hex, time: commit.authorTime, changedRootEntries: changed, id: id, parent: parent?.id)
    steps[id] = step
    return step
  }
}
