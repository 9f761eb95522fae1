import GitKit

/// First-parent steps of one chain, read from the chain's commits and root trees and kept: walks from
/// the heads of successive periods (runbook/stale's) cover the same stretches again and again.
final class FirstParentSteps {
  let repository: Repository
  let chain: [ChainCommit]
  lazy var positions: [ObjectID: Int] = Dictionary(
    chain.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
  /// Steps by chain position, read a block at a time.
  var steps: [RepositoryHistory.FirstParentStep?]
  /// Consecutive steps read together: reading commits in one run and root trees in another keeps
  /// libgit2's pack caches warm, which interleaving them does not; walks rarely stop within a block.
  static let blockSize = 32

  init(repository: Repository, chain: [ChainCommit]) {
    self.repository = repository
    self.chain = chain
    steps = Array(repeating: nil, count: chain.count)
  }

  /// The step at a commit of the chain; nil off the chain (the walk then reads it itself).
  func step(_ id: ObjectID) -> RepositoryHistory.FirstParentStep? {
    guard let position = positions[id] else { return nil }
    if let known = steps[position] { return known }
    var block = position..<min(position + Self.blockSize, chain.count)
    if let read = block.firstIndex(where: { steps[$0] != nil }) { block = position..<read }
    // The commit-graph has no author times: they are read here, for the steps walks visit.
    let authorTimes = block.map { (try? repository.authorTime(ofCommit: chain[$0].id)) ?? chain[$0].time }
    for (offset, at) in block.enumerated() {
      let commit = chain[at]
      let parent = at + 1 < chain.count ? chain[at + 1] : nil
      let changed: [String]
      if let parent {
        changed = (try? repository.changedRootEntries(from: parent.tree, to: commit.tree)) ?? []
      } else {
        changed = ((try? repository.rootEntries(ofTree: commit.tree)) ?? []).map(\.name)
      }
      steps[at] = RepositoryHistory.FirstParentStep(
        commit: commit.id.hex, time: authorTimes[offset], changedRootEntries: changed, id: commit.id,
        parent: parent?.id)
    }
    return steps[position]
  }
}
