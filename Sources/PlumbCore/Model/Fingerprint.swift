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
    SHA256.hash(data: Array(material.utf8)).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }
}
