import GitKit

/// A repository that could not be read, with git's own words.
public struct RepositoryReadError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// A snapshot and the reference it was reached through.
public struct LoadedSnapshot {
  public let snapshot: Snapshot
  /// The full reference name scanned (`refs/heads/main`), nil for a detached HEAD or a bare commit id.
  public let ref: String?
}

/// Opens a repository and takes the snapshot at a revision (HEAD by default): the one way git objects become a snapshot.
public enum SnapshotLoader {
  public static func load(
    _ location: RepositoryLocation, revision: String?, cache: ParseCache, textLimit: Int = 3 << 20
  ) throws(RepositoryReadError) -> LoadedSnapshot {
    do throws(GitError) {
      let repository = try Repository(at: location.path)
      let (ref, commit) = try resolve(repository, revision)
      let info = try repository.commit(commit)
      let entries = try repository.files(ofTree: info.tree)
      let snapshot = Snapshot(
        repository: repository, name: location.name, commit: commit, entries: entries, cache: cache,
        textLimit: textLimit)
      return LoadedSnapshot(snapshot: snapshot, ref: ref)
    } catch {
      throw RepositoryReadError(message: error.message)
    }
  }

  static func resolve(_ repository: Repository, _ revision: String?) throws(GitError) -> (String?, ObjectID) {
    if let revision {
      return (fullReferenceName(repository, revision), try repository.resolveCommit(revision))
    }
    do throws(GitError) {
      let head = try repository.head()
      return (head.ref, head.commit)
    } catch  where error.code == .unbornBranch || error.code == .notFound {
      if repository.isEmpty {
        throw GitError(code: error.code, message: "repository is empty (no commits): \(error.message)")
      }
      if error.code == .unbornBranch { throw GitError(code: error.code, message: "HEAD is dangling: \(error.message)") }
      // HEAD names a commit, but the commit does not read: a missing or damaged object (pack, index or loose).
      throw GitError(
        code: error.code,
        message: "HEAD's commit cannot be read (an object is missing or damaged; `git fsck` names it): \(error.message)"
      )
    }
  }

  /// The full reference name a revision names, when it names one (`main` → `refs/heads/main`).
  static func fullReferenceName(_ repository: Repository, _ revision: String) -> String? {
    for candidate in [revision, "refs/heads/\(revision)", "refs/tags/\(revision)", "refs/remotes/\(revision)"]
    where candidate.hasPrefix("refs/") && repository.referenceTarget(candidate) != nil {
      return candidate
    }
    return nil
  }
}
