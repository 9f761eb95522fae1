import GitKit
import Synchronization

/// Parsed files keyed by blob id and parser, shared by every snapshot of a run, so an unchanged
/// file is parsed once per process, across commits and repositories.
public final class ParseCache: Sendable {
  struct Key: Hashable, Sendable {
    /// nil for a parse of a short text named by `text` rather than of a blob.
    let blob: ObjectID?
    let parser: String
    var text = ""
  }

  /// Two generations: entries used since the last turnover, and those from before it.
  struct Generations {
    var recent: [Key: any Sendable] = [:]
    var older: [Key: any Sendable] = [:]
  }

  let entries = Mutex(Generations())
  let capacity: Int
  /// Consulted on a miss and never written: a short-lived cache starts from what the run already parsed.
  let shared: ParseCache?

  /// `capacity` bounds memory: at most that many entries, keeping those used most recently.
  public init(capacity: Int = 20_000) {
    self.capacity = max(2, capacity)
    self.shared = nil
  }

  /// A cache of its own, bounded by `capacity`, that reads `shared` on a miss.
  init(capacity: Int, over shared: ParseCache) {
    self.capacity = max(2, capacity)
    self.shared = shared
  }

  func value<T: Sendable>(blob: ObjectID, parser: String, make: () -> T) -> T {
    value(Key(blob: blob, parser: parser), make: make)
  }

  /// The parse of a short text found inside files (a module source), shared by every file that has it.
  func value<T: Sendable>(text: String, parser: String, make: () -> T) -> T {
    value(Key(blob: nil, parser: parser, text: text), make: make)
  }

  func value<T: Sendable>(_ key: Key, make: () -> T) -> T {
    // Unwrap the lookup before casting: a missing entry must not cast to an Optional T as a cached nil.
    if let hit = lookup(key), let cached = hit as? T { return cached }
    let made = make()
    entries.withLock { store(made, key, in: &$0) }
    return made
  }

  func lookup(_ key: Key) -> (any Sendable)? {
    let own = entries.withLock { generations -> (any Sendable)? in
      if let hit = generations.recent[key] { return hit }
      guard let hit = generations.older.removeValue(forKey: key) else { return nil }
      store(hit, key, in: &generations)  // still in use: keep it through the next turnover
      return hit
    }
    return own ?? shared?.lookup(key)
  }

  /// When the recent generation is full it becomes the older one and the previous older one is dropped.
  func store(_ value: any Sendable, _ key: Key, in generations: inout Generations) {
    if generations.recent.count >= capacity / 2 {
      generations.older = generations.recent
      generations.recent = [:]
    }
    generations.recent[key] = value
  }

  public var count: Int { entries.withLock { $0.recent.count + $0.older.count } }
}
