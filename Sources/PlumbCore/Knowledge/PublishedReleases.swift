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

  /// Notes the release dates of the repository at `path`, once per repository.
  func record(_ path: String, _ releases: [TemplateRelease]) {
    state.withLock { state in
      guard state.recorded.insert(path).inserted else { return }
      state.times = (state.times + releases.map(\.time)).sorted()
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
    published.clock.record(repository.path, template.releases)
    return template.releases.filter { $0.time <= published.time }.map(\.version)
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
