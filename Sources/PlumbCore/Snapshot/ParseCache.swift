import GitKit
import Synchronization

/// Parsed files keyed by blob id and parser, shared by every snapshot of a run, so an unchanged
/// file is parsed once per process, across commits and repositories.
public final class ParseCache: Sendable {
  struct Key: Hashable, Sendable {
    let blob: ObjectID
    let parser: String
  }

  let entries = Mutex<[Key: any Sendable]>([:])
  let capacity: Int

  /// `capacity` bounds memory: when full, the cache starts over rather than growing.
  public init(capacity: Int = 20_000) {
    self.capacity = capacity
  }

  func value<T: Sendable>(blob: ObjectID, parser: String, make: () -> T) -> T {
    let key = Key(blob: blob, parser: parser)
    // Unwrap the lookup before casting: a missing entry must not cast to an Optional T as a cached nil.
    if let hit = entries.withLock({ $0[key] }), let cached = hit as? T { return cached }
    let made = make()
    entries.withLock { table in
      if table.count >= capacity { table.removeAll(keepingCapacity: true) }
      table[key] = made
    }
    return made
  }

  public var count: Int { entries.withLock { $0.count } }
}
