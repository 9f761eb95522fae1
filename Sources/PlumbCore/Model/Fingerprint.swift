import Crypto

/// Content-based identity of a finding: never the line or the commit, so it survives unrelated edits and rebases.
public enum Fingerprint {
  public static func make(rule: String, repository: String, path: String?, subject: String) -> String {
    let material = [rule, repository, path ?? "", normalized(subject)].joined(separator: "\u{1F}")
    return hex(SHA256.hash(data: Array(material.utf8)).prefix(16))
  }

  /// Whitespace runs as one space, none at the ends; printable ASCII with single inner spaces, the
  /// common case, is already normal and skips the split by Character.
  static func normalized(_ subject: String) -> String {
    var afterSpace = true
    for byte in subject.utf8 {
      if byte == UInt8(ascii: " ") {
        if afterSpace { return subject.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        afterSpace = true
      } else if byte < 0x21 || byte > 0x7E {
        return subject.split(whereSeparator: \.isWhitespace).joined(separator: " ")
      } else {
        afterSpace = false
      }
    }
    if afterSpace && !subject.isEmpty { return subject.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    return subject
  }

  /// Lowercase hex, two digits a byte.
  static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}

extension Fingerprint {
  /// A 64-hex SHA-256 of some text: cache keys and digests of what a result depends on.
  public static func digest(_ material: String) -> String {
    digest(bytes: Array(material.utf8))
  }

  /// The same for bytes that need not be text.
  public static func digest(bytes: [UInt8]) -> String {
    hex(SHA256.hash(data: bytes))
  }
}
