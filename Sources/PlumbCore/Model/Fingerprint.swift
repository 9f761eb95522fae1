import Crypto

/// Content-based identity of a finding: never the line or the commit, so it survives unrelated edits and rebases.
public enum Fingerprint {
  public static func make(rule: String, repository: String, path: String?, subject: String) -> String {
    let normalizedSubject = subject.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    let material = [rule, repository, path ?? "", normalizedSubject].joined(separator: "\u{1F}")
    let digest = SHA256.hash(data: Array(material.utf8))
    return digest.prefix(16).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}

extension Fingerprint {
  /// A 64-hex SHA-256 of some text: cache keys and digests of what a result depends on.
  public static func digest(_ material: String) -> String {
    digest(bytes: Array(material.utf8))
  }

  /// The same for bytes that need not be text.
  public static func digest(bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(64)
    for byte in SHA256.hash(data: bytes) {
      hex.append(digits[Int(byte >> 4)])
      hex.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: hex, as: UTF8.self)
  }
}
