import PlumbCore

/// `--shard I/N`: a stable slice of the estate by repository name, the same on every machine and every night.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  /// 1-based, so `--shard 1/4` … `--shard 4/4` cover the estate.
  public let index: Int
  public let count: Int

  public init?(index: Int, count: Int) {
    guard count >= 1, (1...count).contains(index) else { return nil }
    self.index = index
    self.count = count
  }

  /// Parses `I/N`; nil for anything else.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
    self.init(index: index, count: count)
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether a repository belongs to this shard: FNV-1a of its name, so the slice never depends on
  /// discovery order, the machine, or which other repositories exist.
  public func contains(_ name: String) -> Bool {
    Int(Self.stableHash(name) % UInt64(count)) == index - 1
  }

  static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
