import Foundation
import PlumbCore

/// Scans many repositories in parallel, one libgit2 handle per task, at most `jobs` at once.
public struct EstateScan: Sendable {
  public let scanner: RepositoryScanner
  public let jobs: Int

  public init(scanner: RepositoryScanner, jobs: Int) {
    self.scanner = scanner
    self.jobs = max(1, jobs)
  }

  /// Results in the order of `locations`; `progress` is called as each repository finishes.
  public func run(
    _ locations: [RepositoryLocation], progress: @escaping @Sendable (Int, RepositoryResult) -> Void = { _, _ in }
  ) async -> [RepositoryResult] {
    let scanner = self.scanner
    return await Self.map(locations, jobs: jobs, progress: progress) { scanner.scan($0) }
  }

  /// Runs `work` on every location with at most `jobs` running at once; results keep the input order.
  public static func map<T: Sendable>(
    _ locations: [RepositoryLocation], jobs: Int, progress: @escaping @Sendable (Int, T) -> Void = { _, _ in },
    _ work: @escaping @Sendable (RepositoryLocation) -> T
  ) async -> [T] {
    var results = [T?](repeating: nil, count: locations.count)
    var done = 0
    await stream(locations, jobs: jobs, work) { index, result in
      results[index] = result
      done += 1
      progress(done, result)
    }
    return results.compactMap { $0 }
  }

  /// Runs `work` on every location and hands each result to `deliver` as soon as it is ready, in
  /// completion order, keeping none: memory stays flat in the number of repositories.
  /// `started` is called as each repository's work begins.
  public static func stream<T: Sendable>(
    _ locations: [RepositoryLocation], jobs: Int, started: @escaping @Sendable (RepositoryLocation) -> Void = { _ in },
    _ work: @escaping @Sendable (RepositoryLocation) -> T, deliver: (Int, T) async -> Void
  ) async {
    await withTaskGroup(of: (Int, T).self) { group in
      var next = 0
      func startNext() {
        guard next < locations.count else { return }
        let index = next
        let location = locations[index]
        group.addTask {
          started(location)
          return (index, work(location))
        }
        next += 1
      }
      for _ in 0..<min(max(1, jobs), locations.count) { startNext() }
      while let (index, result) = await group.next() {
        await deliver(index, result)
        startNext()
      }
    }
  }
}
