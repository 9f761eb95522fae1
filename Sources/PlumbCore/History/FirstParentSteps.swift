import GitKit

/// First-parent steps of one chain, read from the chain's commits and root trees and kept: walks from
/// the heads of successive periods (runbook/stale's) cover the same stretches again and again.
final class FirstParentSteps {
  let repository: Repository
  let chain: [ChainCommit]
  lazy var positions: [ObjectID: Int] = Dictionary(
    chain.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
  /// Steps by chain position.
  var steps: [RepositoryHistory.FirstParentStep?]
  /// Author times by chain position, read when a walk asks (the commit-graph holds none).
  var authorTimes: [Int64?]

  init(repository: Repository, chain: [ChainCommit]) {
    self.repository = repository
    self.chain = chain
    steps = Array(repeating: nil, count: chain.count)
    authorTimes = Array(repeating: nil, count: chain.count)
  }

  /// The step at a commit of the chain; nil off the chain (the walk then reads it itself).
  func step(_ id: ObjectID) -> RepositoryHistory.FirstParentStep? {
    guard let position = positions[id] else { return nil }
    if let known = steps[position] { return known }
    let commit = chain[position]
    let parent = position + 1 < chain.count ? chain[position + 1] : nil
    let changed: [String]
    if let parent {
      changed = (try? repository.changedRootEntries(from: parent.tree, to: commit.tree)) ?? []
    } else {
      changed = ((try? repository.rootEntries(ofTree: commit.tree)) ?? []).map(\.name)
    }
    let step = RepositoryHistory.FirstParentStep(
      knownTime: nil, changedRootEntries: changed, id: id, parent: parent?.id)
    steps[position] = step
    return step
  }

  /// The author time of a commit of the chain, kept once read; nil off the chain.
  func authorTime(_ id: ObjectID) -> Int64? {
    guard let position = positions[id] else { return nil }
    if let known = authorTimes[position] { return known }
    let time = (try? repository.authorTime(ofCommit: id)) ?? chain[position].time
    authorTimes[position] = time
    return time
  }
}
