import GitKit
import PlumbCore

/// What decides whether a repository's previous result still holds, read before scanning it.
public enum RepositoryState {
  /// Digest of the repository's reference files (HEAD, refs, packed-refs, config, shallow): equal digests
  /// mean equal refs, so the same scanned commit and the same tags and branches for estate knowledge.
  /// Read without opening the repository; nil when its git directory cannot be read as files.
  /// `userConfiguration` (the user's and system's git configuration) is folded in: its `insteadOf`
  /// rewrites change the remote addresses libgit2 reports.
  public static func refsFingerprint(
    _ location: RepositoryLocation, userConfiguration: ReferenceFiles.UserConfiguration
  ) -> String? {
    ReferenceFiles.state(at: location.path, home: userConfiguration.home).map {
      Fingerprint.digest(bytes: $0 + userConfiguration.material)
    }
  }

  /// The user's and the system's git configuration files and the files they include, read once per run.
  public static func userConfiguration(environment: [String: String]) -> ReferenceFiles.UserConfiguration {
    ReferenceFiles.userConfiguration(environment: environment)
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
