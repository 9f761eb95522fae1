import Formats
import GitKit
import Version

/// Delivery figures read from release tags: how often a repository releases and how long a change
/// waits on the default branch before a release contains it.
public struct DeliveryFigures: Sendable, Equatable {
  /// Releases tagged in the window.
  public var releases: Int
  /// Of those, patch bumps over the previous release of the same component.
  public var patchReleases: Int
  public var releasesPerMonth: Double
  /// Days from each first-parent commit of the window to the first release containing it, ascending.
  public var leadTimes: [Double]
  /// The newest release (any time), and when it was tagged.
  public var lastRelease: String?
  public var lastReleaseTime: Int64?
  /// Whole days for a repository; the estate's median of them may fall half way.
  public var daysSinceLastRelease: Double?
  /// First-parent commits of the default branch that no release contains yet.
  public var unreleasedCommits: Int

  public init(
    releases: Int, patchReleases: Int, releasesPerMonth: Double, leadTimes: [Double], lastRelease: String?,
    lastReleaseTime: Int64?, daysSinceLastRelease: Double?, unreleasedCommits: Int
  ) {
    self.releases = releases
    self.patchReleases = patchReleases
    self.releasesPerMonth = releasesPerMonth
    self.leadTimes = leadTimes
    self.lastRelease = lastRelease
    self.lastReleaseTime = lastReleaseTime
    self.daysSinceLastRelease = daysSinceLastRelease
    self.unreleasedCommits = unreleasedCommits
  }

  public var leadTimeMedian: Double? { Self.percentile(leadTimes, 0.5) }
  public var leadTimeP90: Double? { Self.percentile(leadTimes, 0.9) }
  public var patchShare: Double? { releases == 0 ? nil : Double(patchReleases) / Double(releases) }

  /// Linear interpolation between closest ranks (numpy's default) over ascending values; nil when empty.
  public static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let position = Double(sorted.count - 1) * fraction
    let lower = Int(position)
    guard lower + 1 < sorted.count else { return sorted[lower] }
    return sorted[lower] + (position - Double(lower)) * (sorted[lower + 1] - sorted[lower])
  }

  /// The estate's figures: counts summed, lead times pooled, days since the last release the median over
  /// repositories that have released.
  public static func estate(_ repositories: [(name: String, figures: DeliveryFigures)]) -> DeliveryFigures {
    let newest = repositories.filter { $0.figures.lastReleaseTime != nil }.max {
      ($0.figures.lastReleaseTime!, $1.name) < ($1.figures.lastReleaseTime!, $0.name)
    }
    let days = repositories.compactMap(\.figures.daysSinceLastRelease).sorted()
    return DeliveryFigures(
      releases: repositories.reduce(0) { $0 + $1.figures.releases },
      patchReleases: repositories.reduce(0) { $0 + $1.figures.patchReleases },
      releasesPerMonth: repositories.reduce(0) { $0 + $1.figures.releasesPerMonth },
      leadTimes: repositories.flatMap(\.figures.leadTimes).sorted(),
      lastRelease: newest.map { "\($0.name) \($0.figures.lastRelease ?? "")" },
      lastReleaseTime: newest?.figures.lastReleaseTime,
      daysSinceLastRelease: percentile(days, 0.5),
      unreleasedCommits: repositories.reduce(0) { $0 + $1.figures.unreleasedCommits })
  }
}

/// Computes a repository's delivery figures from its default branch's first-parent chain and its release tags.
struct DeliveryCalculator {
  struct ReleaseTagAt {
    let name: String
    let component: String
    let version: Version
    let time: Int64
    /// Position on the chain (0 = newest) of the newest commit the release contains; nil for none.
    let boundary: Int?
  }

  let repository: Repository
  /// Newest first.
  let chain: [ChainCommit]
  /// Chain positions of the commits that tags point at, when they are on the chain.
  let positions: [ObjectID: Int]

  /// Semver releases the policy names (pre-releases are not releases), with where each sits on the chain.
  func releases(_ tags: [RepositoryHistory.Tag], policy: ReleasePolicy) -> [ReleaseTagAt] {
    tags.compactMap { tag in
      guard policy.tags.contains(where: { Glob.matchesName($0, tag.name) }), let time = tag.time,
        let commit = tag.commit.flatMap({ ObjectID(hex: $0) })
      else { return nil }
      let parsed = ReleaseTag.parse(tag.name)
      guard let version = parsed.version, version.prereleaseIdentifiers.isEmpty else { return nil }
      return ReleaseTagAt(
        name: tag.name, component: parsed.component, version: version, time: time, boundary: boundary(of: commit))
    }
  }

  /// The newest chain commit that `commit` contains: its own position when on the chain, else found by
  /// bisection (the chain commits a commit contains are always an oldest-end run of the chain).
  func boundary(of commit: ObjectID) -> Int? {
    if let position = positions[commit] { return position }
    guard let oldest = chain.last, repository.isAncestor(oldest.id, of: commit) else { return nil }
    var (low, high) = (0, chain.count - 1)  // chain[high] is contained
    while low < high {
      let middle = (low + high) / 2
      if repository.isAncestor(chain[middle].id, of: commit) { high = middle } else { low = middle + 1 }
    }
    return high
  }

  func figures(releases: [ReleaseTagAt], windowStart: Int64, windowEnd: Int64) -> DeliveryFigures {
    let past = releases.filter { $0.time < windowEnd }
    let inWindow = past.filter { $0.time >= windowStart }
    // A release is a patch when the greatest lower version of its component shares its major and minor.
    // Versions sorted once per component and searched by bisection: a repository may carry thousands of tags.
    var patches = 0
    let versions = Dictionary(grouping: past) { $0.component }.mapValues { $0.map(\.version).sorted() }
    for release in inWindow {
      let sorted = versions[release.component]!
      var (low, high) = (0, sorted.count)  // the first version not below the release's
      while low < high {
        let middle = (low + high) / 2
        if sorted[middle] < release.version { low = middle + 1 } else { high = middle }
      }
      guard low > 0 else { continue }
      let previous = sorted[low - 1]
      if previous.major == release.version.major && previous.minor == release.version.minor { patches += 1 }
    }
    // Sweep the chain from the newest commit: releases whose boundary is at or before a position contain it.
    let byBoundary = past.filter { $0.boundary != nil }.sorted { $0.boundary! < $1.boundary! }
    var next = 0
    var earliest: Int64?
    var leadTimes: [Double] = []
    for (position, commit) in chain.enumerated() {
      while next < byBoundary.count && byBoundary[next].boundary! <= position {
        earliest = min(earliest ?? byBoundary[next].time, byBoundary[next].time)
        next += 1
      }
      guard commit.time >= windowStart, commit.time < windowEnd, let earliest else { continue }
      leadTimes.append(Double(max(0, earliest - commit.time)) / 86_400)
    }
    let newest = past.max { ($0.time, $0.name) < ($1.time, $1.name) }
    let months = Double(windowEnd - windowStart) / 86_400 / 30.436875
    return DeliveryFigures(
      releases: inWindow.count, patchReleases: patches,
      releasesPerMonth: months > 0 ? Double(inWindow.count) / months : 0,
      leadTimes: leadTimes.sorted(), lastRelease: newest?.name, lastReleaseTime: newest?.time,
      daysSinceLastRelease: newest.map { Double((windowEnd - $0.time) / 86_400) },
      unreleasedCommits: byBoundary.first?.boundary ?? chain.count)
  }
}
