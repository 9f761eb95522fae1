import CLibgit2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// git's commit-graph file (`objects/info/commit-graph`, written by `git gc`): each commit's root
/// tree, parents and time without inflating the commit, which is what lets `git log` walk long
/// histories quickly. Only the single-file form is read; a commit it does not hold (newer than the
/// file, or in a split graph) is read from the object database as before.
final class CommitGraph {
  let base: UnsafeRawPointer
  let length: Int
  let count: Int
  let fanoutOffset: Int
  let idsOffset: Int
  let dataOffset: Int
  let edgesOffset: Int?
  let edgesCount: Int

  static let noParent: UInt32 = 0x7000_0000
  static let dataWidth = 36  // root tree id, two parent positions, generation and time

  /// Maps and checks the file; nil when it is missing, malformed, or of a kind not read here.
  init?(path: String) {
    // Non-blocking: a FIFO planted in its place is passed over, not waited on.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 8 + 12 else { return nil }
    let length = Int(info.st_size)
    guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
      return nil
    }
    let base = UnsafeRawPointer(mapped)
    func byte(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
    func word(_ offset: Int) -> UInt32 {
      UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    // Header: "CGPH", version 1, SHA-1, chunk count, no base graphs.
    let chunkCount = Int(byte(6))
    guard word(0) == 0x4347_5048, byte(4) == 1, byte(5) == 1, byte(7) == 0, 8 + 12 * (chunkCount + 1) <= length
    else {
      munmap(mapped, length)
      return nil
    }
    var chunks: [UInt32: (start: Int, end: Int)] = [:]
    for index in 0..<chunkCount {
      let entry = 8 + 12 * index
      let start = Int(truncatingIfNeeded: UInt64(word(entry + 4)) << 32 | UInt64(word(entry + 8)))
      let end = Int(truncatingIfNeeded: UInt64(word(entry + 16)) << 32 | UInt64(word(entry + 20)))
      guard start >= 0, start <= end, end <= length else {
        munmap(mapped, length)
        return nil
      }
      chunks[word(entry)] = (start, end)
    }
    // OIDF (fan-out), OIDL (sorted ids), CDAT (commit data), EDGE (octopus parents, optional).
    guard let fanout = chunks[0x4F49_4446], fanout.end - fanout.start == 256 * 4, let ids = chunks[0x4F49_444C],
      let data = chunks[0x4344_4154]
    else {
      munmap(mapped, length)
      return nil
    }
    let count = Int(word(fanout.start + 255 * 4))
    guard ids.end - ids.start >= count * 20, data.end - data.start >= count * Self.dataWidth else {
      munmap(mapped, length)
      return nil
    }
    self.base = base
    self.length = length
    self.count = count
    self.fanoutOffset = fanout.start
    self.idsOffset = ids.start
    self.dataOffset = data.start
    let edges = chunks[0x4544_4745]
    self.edgesOffset = edges?.start
    self.edgesCount = edges.map { ($0.end - $0.start) / 4 } ?? 0
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

  func word(_ offset: Int) -> UInt32 { UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }

  func id(at position: Int) -> ObjectID {
    ObjectID(base.advanced(by: idsOffset + 20 * position).assumingMemoryBound(to: git_oid.self))
  }

  /// Where a commit sits in the file, by binary search within its first byte's fan-out range.
  func position(of commit: ObjectID) -> Int? {
    var oid = commit.gitOID
    return withUnsafeBytes(of: &oid.id) { key -> Int? in
      let first = Int(key[0])
      var low = first == 0 ? 0 : Int(word(fanoutOffset + 4 * (first - 1)))
      var high = Int(word(fanoutOffset + 4 * first))
      guard low <= high, high <= count else { return nil }
      while low < high {
        let middle = (low + high) / 2
        let order = memcmp(base.advanced(by: idsOffset + 20 * middle), key.baseAddress!, 20)
        if order == 0 { return middle }
        if order < 0 { low = middle + 1 } else { high = middle }
      }
      return nil
    }
  }

  /// The root tree, first parent (as a position in the file) and committer time of the commit at a
  /// position: a first-parent walk follows positions without searching the ids again.
  func firstParentRecord(at position: Int) -> (tree: ObjectID, firstParent: Int?, time: Int64) {
    let record = dataOffset + Self.dataWidth * position
    let tree = ObjectID(base.advanced(by: record).assumingMemoryBound(to: git_oid.self))
    let first = word(record + 20)
    let time = Int64(word(record + 28) & 0x3) << 32 | Int64(word(record + 32))
    return (tree, first != Self.noParent && Int(first) < count ? Int(first) : nil, time)
  }

  /// A commit's root tree, parents and committer time; nil when the file does not hold it.
  func links(of commit: ObjectID) -> (tree: ObjectID, parents: [ObjectID], time: Int64)? {
    guard let position = position(of: commit) else { return nil }
    let record = dataOffset + Self.dataWidth * position
    let tree = ObjectID(base.advanced(by: record).assumingMemoryBound(to: git_oid.self))
    var positions: [UInt32] = []
    let first = word(record + 20)
    let second = word(record + 24)
    if first != Self.noParent { positions.append(first) }
    if second & 0x8000_0000 != 0 {
      // More than two parents: the rest are listed in EDGE, the last one flagged.
      guard let edgesOffset else { return nil }
      var edge = Int(second & 0x7FFF_FFFF)
      while true {
        guard edge < edgesCount else { return nil }
        let value = word(edgesOffset + 4 * edge)
        positions.append(value & 0x7FFF_FFFF)
        if value & 0x8000_0000 != 0 { break }
        edge += 1
      }
    } else if second != Self.noParent {
      positions.append(second)
    }
    guard positions.allSatisfy({ Int($0) < count }) else { return nil }
    let time = Int64(word(record + 28) & 0x3) << 32 | Int64(word(record + 32))
    return (tree, positions.map { id(at: Int($0)) }, time)
  }
}
