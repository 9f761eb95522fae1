import GitKit
import PlumbCore

/// What decides whether a repository's previous result still holds, read before scanning it.
public enum RepositoryState {
  /// Digest of the repository's reference files (HEAD, refs, packed-refs, config and the files it includes,
  /// shallow): equal digests mean equal refs, so the same scanned commit and the same tags and branches for
  /// estate knowledge. Read without opening the repository; nil when its git directory cannot be read as
  /// files. The user's and the system's git configuration are not read: plumb tells libgit2 to ignore them.
  public static func refsFingerprint(_ location: RepositoryLocation, home: String) -> String? {
    ReferenceFiles.state(at: location.path, home: home).map { Fingerprint.digest(bytes: $0) }
  }

  /// The key a result is filed under: the refs, the repository's name, path and manifest entry (all in the
  /// result as written), and `salt` (policy, plumb, revision, estate knowledge; see `CacheSalt`).
  public static func cacheKey(_ location: RepositoryLocation, refsFingerprint: String, salt: String) -> String {
    let identity =
      [location.name, location.displayPath, location.metadata.team ?? "", location.metadata.tier ?? ""]
      + location.metadata.tags
    return Fingerprint.digest(salt + "\n" + identity.joined(separator: "\u{1}") + "\n" + refsFingerprint)
  }

  /// Tag name → object id the reference points at, for `tags/moved`; empty when the repository cannot be read.
  public static func tags(_ location: RepositoryLocation) -> [String: String] {
    guard let repository = try? Repository(at: location.path), let names = try? repository.referenceNames() else {
      return [:]
    }
    var tags: [String: String] = [:]
    for name in names where name.hasPrefix("refs/tags/") {
      if let target = repository.referenceTarget(name) { tags[String(name.dropFirst(10))] = target.hex }
    }
    return tags
  }
}
