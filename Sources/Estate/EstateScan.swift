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
    _ locations: [RepositoryLocation], progress: @Sendable (Int, RepositoryResult) -> Void = { _, _ in }
  ) async -> [RepositoryResult] {
    var results = [RepositoryResult?](repeating: nil, count: locations.count)
    await withTaskGroup(of: (Int, RepositoryResult).self) { group in
      var next = 0
      func startNext() {
        guard next < locations.count else { return }
        let index = next
        let location = locations[index]
        let scanner = self.scanner
        group.addTask { (index, scanner.scan(location)) }
        next += 1
      }
      for _ in 0..<min(jobs, locations.count) { startNext() }
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
