import GitKit
import PlumbCore

/// What a repository looks like from its references alone, read before deciding whether to scan it:
/// the key its cached result is filed under, and its tags for `tags/moved`.
public struct RepositoryState: Sendable, Equatable {
  /// Digest of the scanned commit and every reference; with `salt`, a result is reused only for the
  /// same commit, the same refs, the same policy and the same plumb.
  public let cacheKey: String
  /// Tag name → object id the reference points at.
  public let tags: [String: String]

  /// Nil when the repository cannot be read; the scan itself then reports why.
  public static func read(_ location: RepositoryLocation, revision: String?, salt: String) -> RepositoryState? {
    guard let repository = try? Repository(at: location.path), let names = try? repository.referenceNames() else {
      return nil
    }
    guard let scanned = try? repository.resolveCommit(revision ?? "HEAD") else { return nil }
    var material = salt + "\n" + scanned.hex + "\n" + (repository.symbolicHead() ?? "") + "\n"
    var tags: [String: String] = [:]
    for name in names.sorted() {
      guard let target = repository.referenceTarget(name) else { continue }
      material += name + " " + target.hex + "\n"
      if name.hasPrefix("refs/tags/") { tags[String(name.dropFirst(10))] = target.hex }
    }
    return RepositoryState(cacheKey: Fingerprint.digest(material), tags: tags)
  }
}
