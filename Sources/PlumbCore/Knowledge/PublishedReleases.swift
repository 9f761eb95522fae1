import Synchronization
import Version

/// The release dates adoption has met so far, across every period: a rule's findings that read the estate
/// can be reused in a later period only when no release it could have seen was published in between.
public final class ReleaseClock: Sendable {
  struct State {
    var recorded: Set<String> = []
    /// Sorted.
    var times: [Int64] = []
  }
  let state = Mutex(State())

  public init() {}

  /// Notes the release dates of a repository (by path) or registry module (by address), once each.
  func record(_ source: String, _ times: [Int64]) {
    state.withLock { state in
      guard state.recorded.insert(source).inserted else { return }
      state.times = (state.times + times).sorted()
    }
  }

  /// Whether a release of a repository looked up so far was published after one time and by the other.
  public func published(between first: Int64, and second: Int64) -> Bool {
    let (low, high) = (min(first, second), max(first, second))
    return state.withLock { state in state.times.contains { $0 > low && $0 <= high } }
  }
}

extension EstateKnowledge {
  /// The estate as it stood at `time` (seconds since the epoch): releases of module sources and templates
  /// published later are not known yet. The registry index has no dates and stays as it is.
  public func asOf(_ time: Int64, clock: ReleaseClock) -> EstateKnowledge {
    var knowledge = self
    knowledge.published = (time, clock)
    return knowledge
  }

  /// A repository's releases by `published`'s time, newest first; nil when not dated or not readable.
  func publishedReleases(of repository: RepositoryRefs) -> [Version]? {
    guard let published, let template = templates.template(at: repository.path, name: repository.name) else {
      return nil
    }
    published.clock.record(repository.path, template.releases.map(\.time))
    return template.releases.filter { $0.time <= published.time }.map(\.version)
  }

  /// A registry module's versions from the index; as of `published`'s time, those it dates later left out.
  func registryVersions(_ address: String) -> [Version]? {
    guard let versions = registryIndex[address] else { return nil }
    guard let published, let dates = registryPublished[address] else { return versions }
    published.clock.record("registry " + address, Array(dates.values))
    return versions.filter { dates[$0].map { $0 <= published.time } ?? true }
  }
}

/// A template repository seen at a past time: its releases published since are left out.
struct PublishedTemplate: TemplateRepository {
  let base: any TemplateRepository
  let time: Int64

  var name: String { base.name }
  var releases: [TemplateRelease] { base.releases.filter { $0.time <= time } }
  func resolve(_ version: String) -> TemplateCommit? { base.resolve(version) }
  func files(at commit: String) -> [String]? { base.files(at: commit) }
  func text(_ path: String, at commit: String) -> String? { base.text(path, at: commit) }
  func isAncestor(_ ancestor: String, of commit: String) -> Bool { base.isAncestor(ancestor, of: commit) }
}
