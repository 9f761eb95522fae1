import CLibgit2

/// A 20-byte git object id, stored as plain integers so it hashes and compares cheaply.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
  let a: UInt64
  let b: UInt64
  let c: UInt32

  init(_ oid: git_oid) {
    var copy = oid
    (a, b, c) = withUnsafeBytes(of: &copy.id) { raw in
      (
        raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
        raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
        raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
      )
    }
  }

  init(_ pointer: UnsafePointer<git_oid>) { self.init(pointer.pointee) }

  /// Parses a full 40-hex id; nil for anything else.
  public init?(hex: String) {
    guard hex.utf8.count == 40, hex.utf8.allSatisfy({ $0.isHexDigit }) else { return nil }
    var oid = git_oid()
    guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
    self.init(oid)
  }

  var gitOID: git_oid {
    var oid = git_oid()
    withUnsafeMutableBytes(of: &oid.id) { raw in
      raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
      raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
      raw.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
    }
    return oid
  }

  public var hex: String {
    var oid = gitOID
    let digits = Array("0123456789abcdef".utf8)
    return withUnsafeBytes(of: &oid.id) { raw in
      String(unsafeUninitializedCapacity: 40) { buffer in
        for (index, byte) in raw.enumerated() {
          buffer[2 * index] = digits[Int(byte >> 4)]
          buffer[2 * index + 1] = digits[Int(byte & 0x0F)]
        }
        return 40
      }
    }
  }

  public var description: String { hex }

  public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }
}

extension UInt8 {
  var isHexDigit: Bool {
    (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
  }
}
