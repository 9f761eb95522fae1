import Foundation
import PlumbCore

/// Scans many repositories in parallel, one libgit2 handle per repository, at most `jobs` at once.
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
    _ locations: [RepositoryLocation], jobs: Int, deadline: Deadline<T>? = nil,
    progress: @escaping @Sendable (Int, T) -> Void = { _, _ in }, _ work: @escaping @Sendable (RepositoryLocation) -> T
  ) async -> [T] {
    var results = [T?](repeating: nil, count: locations.count)
    var done = 0
    await stream(locations, jobs: jobs, deadline: deadline, work) { index, result in
      results[index] = result
      done += 1
      progress(done, result)
    }
    return results.compactMap { $0 }
  }

  /// Runs `work` on every location and hands each result to `deliver` as soon as it is ready, in
  /// completion order, keeping only the few not yet delivered: memory stays flat in the number of repositories.
  /// `started` is called as each repository's work begins; with a `deadline`, work that overruns it is given up on.
  public static func stream<T: Sendable>(
    _ locations: [RepositoryLocation], jobs: Int, deadline: Deadline<T>? = nil,
    started: @escaping @Sendable (RepositoryLocation) -> Void = { _ in },
    _ work: @escaping @Sendable (RepositoryLocation) -> T, deliver: (Int, T) async -> Void
  ) async {
    let pool = WorkerPool(locations: locations, jobs: jobs, deadline: deadline, started: started, work: work)
    for await (index, result) in pool.results {
      await deliver(index, result)
      pool.consumed()
    }
  }
}

/// How long one repository's work may take, and what stands for it when it takes longer. libgit2 1.5.1 can loop
/// for ever on a damaged pack (a delta that refers to itself): the work runs on a
/// thread of its own, so a repository given up on keeps only that thread (spinning until the process ends),
/// never the cooperative pool, and the run goes on to report it and the rest.
public struct Deadline<T: Sendable>: Sendable {
  public let seconds: Double
  /// The result standing for a repository given up on, given why.
  public let givenUp: @Sendable (RepositoryLocation, String) -> T

  public init(seconds: Double, givenUp: @escaping @Sendable (RepositoryLocation, String) -> T) {
    self.seconds = seconds
    self.givenUp = givenUp
  }

  var reason: String {
    "gave up after \(Int(seconds)) s: reading it did not finish (libgit2 can loop for ever on a damaged object; "
      + "`git fsck` names it); the rest of the estate is still read"
  }
}

/// Repository work on threads of its own, `jobs` at a time, results handed on as they come. A repository past its
/// deadline is reported given up and a new thread takes its place; the old one is left to its loop until the
/// process ends. Workers run ahead of the consumer by at most `window` results, so memory stays flat.
private final class WorkerPool<T: Sendable>: @unchecked Sendable {
  let locations: [RepositoryLocation]
  let deadline: Deadline<T>?
  /// Results handed on but not yet consumed, at most: twice the workers keeps them busy while one is written.
  let window: Int
  let started: @Sendable (RepositoryLocation) -> Void
  let work: @Sendable (RepositoryLocation) -> T
  let results: AsyncStream<(Int, T)>
  private let output: AsyncStream<(Int, T)>.Continuation
  private let lock = NSCondition()
  private var next = 0
  private var delivered = 0
  private var unconsumed = 0
  /// Start times of the repositories being read, by index.
  private var running: [Int: ContinuousClock.Instant] = [:]
  private var givenUp: Set<Int> = []

  init(
    locations: [RepositoryLocation], jobs: Int, deadline: Deadline<T>?,
    started: @escaping @Sendable (RepositoryLocation) -> Void, work: @escaping @Sendable (RepositoryLocation) -> T
  ) {
    self.locations = locations
    self.deadline = deadline
    window = 2 * max(1, jobs)
    self.started = started
    self.work = work
    (results, output) = AsyncStream.makeStream(of: (Int, T).self)
    guard !locations.isEmpty else {
      output.finish()
      return
    }
    for _ in 0..<min(max(1, jobs), locations.count) { detachThread { self.workLoop() } }
    if let deadline { detachThread { self.watch(deadline) } }
  }

  /// The consumer has dealt with one result: a worker waiting for room may go on.
  func consumed() {
    lock.lock()
    unconsumed -= 1
    lock.broadcast()
    lock.unlock()
  }

  /// Takes the next repository until none is left; a thread whose repository was given up on stops there.
  func workLoop() {
    while true {
      lock.lock()
      while unconsumed >= window && next < locations.count { lock.wait() }
      guard next < locations.count else {
        lock.unlock()
        return
      }
      let index = next
      next += 1
      running[index] = .now
      lock.unlock()
      started(locations[index])
      let result = work(locations[index])
      lock.lock()
      running[index] = nil
      let late = givenUp.contains(index)
      if !late { hand(index, result) }
      lock.unlock()
      if late { return }
    }
  }

  /// Gives up on repositories past the deadline, each replaced by a new thread; ends when all are handed on.
  func watch(_ deadline: Deadline<T>) {
    let limit = Duration.milliseconds(Int64(deadline.seconds * 1000))
    let tick = min(1.0, deadline.seconds / 4)
    lock.lock()
    defer { lock.unlock() }
    while delivered < locations.count {
      _ = lock.wait(until: Date(timeIntervalSinceNow: tick))
      let now = ContinuousClock.Instant.now
      for (index, start) in running where !givenUp.contains(index) && now - start > limit {
        givenUp.insert(index)
        hand(index, deadline.givenUp(locations[index], deadline.reason))
        detachThread { self.workLoop() }
      }
    }
  }

  /// Called with the lock held.
  private func hand(_ index: Int, _ result: T) {
    output.yield((index, result))
    delivered += 1
    unconsumed += 1
    if delivered == locations.count {
      output.finish()
      lock.broadcast()
    }
  }
}

/// Starts `body` on a plain detached pthread (default attributes, so the default stack): Foundation's Thread
/// made a 1,000-repository scan a third slower.
private func detachThread(_ body: @escaping @Sendable () -> Void) {
  final class Body {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
  }
  let context = Unmanaged.passRetained(Body(body)).toOpaque()
  var thread = pthread_t()
  let status = pthread_create(
    &thread, nil,
    { raw in
      Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
      return nil
    }, context)
  guard status == 0 else {
    // No thread to be had: run here rather than not at all.
    Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
    return
  }
  pthread_detach(thread)
}
