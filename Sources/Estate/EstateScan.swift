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
    await withTaskGroup(of: (Int, T).self) { group in
      var next = 0
      func startNext() {
        guard next < locations.count else { return }
        let index = next
        let location = locations[index]
        group.addTask { (index, work(location)) }
        next += 1
      }
      for _ in 0..<min(max(1, jobs), locations.count) { startNext() }
      var done = 0
      while let (index, result) = await group.next() {
        results[index] = result
        done += 1
        progress(done, result)
        startNext()
      }
    }
    return results.compactMap { $0 }
  }
}
