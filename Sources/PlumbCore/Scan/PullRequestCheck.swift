import GitKit

/// `plumb check`: what a branch introduces. Findings at head whose fingerprints are absent at the
/// merge base are new; those present at the base and gone at head are fixed; the rest existing.
public struct PullRequestCheck: Sendable {
  public struct Outcome: Sendable {
    public let head: RepositoryResult
    public let mergeBase: String
    public let base: String
    public let new: [Finding]
    public let fixed: [Finding]
    public let existing: [Finding]
  }

  /// Why the check cannot run, with what fixes it (exit 2: nothing was judged).
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The repository itself could not be read (missing, corrupt, empty), as opposed to a base or head that
    /// does not resolve in it.
    public var unreadable = false
  }

  public let scanner: RepositoryScanner

  public init(scanner: RepositoryScanner) {
    self.scanner = scanner
  }

  /// `attributeExisting`: tie findings that were already at the merge base to commits too (when they are shown).
  public func run(
    _ location: RepositoryLocation, base: String, head: String?, attributeExisting: Bool = true
  ) throws(Failure) -> Outcome {
    let (headID, headRef, mergeBase) = try resolve(location, base: base, head: head)
    // History rules judge what lies between the merge base and head: each side sees only its own tags.
    var atBase = scanner.options
    atBase.revision = mergeBase
    atBase.attribution = false
    atBase.tagsReachableOnly = true
    let baseResult = RepositoryScanner(options: atBase, loader: scanner.loader, cache: scanner.cache).scan(location)
    // The commit resolved but its objects do not read: the repository is damaged, not the arguments wrong.
    guard baseResult.status == .ok else {
      throw Failure(description: baseResult.error ?? "cannot read the merge base", unreadable: true)
    }
    let before = Set(baseResult.findings.map(\.fingerprint))
    var atHead = scanner.options
    atHead.revision = headID
    atHead.tagsReachableOnly = true
    // Blame is the costly part of a check: it is spent on what the branch introduces unless more is shown.
    let headResult = RepositoryScanner(options: atHead, loader: scanner.loader, cache: scanner.cache).scan(
      location, attributing: attributeExisting ? nil : { !before.contains($0.fingerprint) })
    guard headResult.status == .ok else {
      throw Failure(description: headResult.error ?? "cannot read head", unreadable: true)
    }
    let after = Set(headResult.findings.map(\.fingerprint))
    return Outcome(
      head: RepositoryResult(
        path: headResult.path, name: headResult.name, head: headResult.head, ref: headRef, status: .ok,
        error: nil, findings: headResult.findings),
      mergeBase: mergeBase, base: base,
      new: headResult.findings.filter { !before.contains($0.fingerprint) },
      fixed: baseResult.findings.filter { !after.contains($0.fingerprint) },
      existing: headResult.findings.filter { before.contains($0.fingerprint) })
  }

  func resolve(_ location: RepositoryLocation, base: String, head: String?) throws(Failure) -> (
    head: String, ref: String?, mergeBase: String
  ) {
    let repository: Repository
    do {
      repository = try Repository(at: location.path)
    } catch {
      throw Failure(description: error.message, unreadable: true)
    }
    let headID: ObjectID
    let headRef: String?
    do throws(GitError) {
      (headRef, headID) = try SnapshotLoader.resolve(repository, head)
    } catch {
      // With no head named, HEAD not resolving means the repository has nothing to check (empty, dangling HEAD).
      throw Failure(description: "cannot resolve head \(head ?? "HEAD"): \(error.message)", unreadable: head == nil)
    }
    let baseID: ObjectID
    do throws(GitError) {
      baseID = try repository.resolveCommit(base)
    } catch {
      // A name that finds nothing is the caller's to fix; an object that does not read is the repository's.
      let damaged = if case .other = error.code { true } else { false }
      throw Failure(description: Self.unresolvedBase(base, error), unreadable: damaged)
    }
    var mergeBase: ObjectID?
    do throws(GitError) {
      mergeBase = try repository.mergeBase(baseID, headID)
    } catch {
      // A commit that does not read (not one that is missing beyond a shallow boundary): the history is damaged.
      guard repository.isShallow else {
        throw Failure(
          description: "cannot find the merge base of \(base) and \(head ?? "HEAD"): \(error.message)",
          unreadable: true)
      }
      mergeBase = nil
    }
    if mergeBase == nil && repository.isShallow {
      mergeBase = Self.shallowMergeBase(repository, baseID, headID)
    }
    guard let mergeBase else {
      // Without a shallow boundary every commit is here: the two histories never meet, and no fetch changes that.
      guard repository.isShallow else {
        // Unless one of them goes round in a circle (a damaged repository), which libgit2 reports as no base.
        do throws(GitError) {
          _ = try repository.firstParentChain(from: headID)
          _ = try repository.firstParentChain(from: baseID)
        } catch {
          throw Failure(description: error.message, unreadable: true)
        }
        throw Failure(
          description:
            "\(base) and \(head ?? "HEAD") share no history (unrelated histories): there is no merge base to "
            + "compare against. Pass the branch the pull request targets as --base")
      }
      throw Failure(
        description:
          "the merge base of \(base) and \(head ?? "HEAD") is not in this clone. This clone is shallow. Fetch more history: "
          + "actions/checkout with `fetch-depth: 0` (GitHub), `GIT_DEPTH: 0` (GitLab), or "
          + "`git fetch --unshallow` / `git fetch --deepen=200 origin \(base)` until they share a commit")
    }
    return (headID.hex, headRef, mergeBase.hex)
  }

  /// The merge base as the clone's own commits show it. libgit2's merge-base fails at a shallow boundary (the
  /// boundary's parents are missing) even when the answer is here: a PR's merge commit fetched with depth 2,
  /// base `HEAD^1`. A shallow clone holds few commits, so both sides are walked; the newest commit of the base's
  /// side that head's side holds is the answer.
  static func shallowMergeBase(_ repository: Repository, _ base: ObjectID, _ head: ObjectID) -> ObjectID? {
    func ancestors(_ start: ObjectID) -> [CommitInfo] {
      var seen: Set<ObjectID> = [start]
      var pending = [start]
      var found: [CommitInfo] = []
      while let id = pending.popLast(), found.count < 1_000_000 {
        guard let commit = try? repository.commit(id) else { continue }  // beyond the boundary
        found.append(commit)
        for parent in commit.parents where seen.insert(parent).inserted { pending.append(parent) }
      }
      return found
    }
    let headSide = Set(ancestors(head).map(\.id))
    return ancestors(base).filter { headSide.contains($0.id) }.max { $0.committer.time < $1.committer.time }?.id
  }

  /// Why the base did not resolve; a fetch is suggested only for a branch name that is simply not here.
  static func unresolvedBase(_ base: String, _ error: GitError) -> String {
    let reason = error.message.hasSuffix(".") ? String(error.message.dropLast()) : error.message
    let isRevisionExpression = base.contains { ":^~@{} ".contains($0) }
    guard error.code == .notFound, !isRevisionExpression, base.count < 40 || !base.allSatisfy(\.isHexDigit) else {
      return "cannot resolve base '\(base)' in this clone: \(reason)"
    }
    let branch = base.hasPrefix("origin/") ? String(base.dropFirst("origin/".count)) : base
    let fetch = "`git fetch origin \(branch):refs/remotes/origin/\(branch)`"
    // `cafe` or `1a2b3c` may be an abbreviated commit or a branch name: both readings are offered.
    if base.count >= 4 && base.allSatisfy(\.isHexDigit) {
      return "cannot resolve base '\(base)' in this clone: \(reason). If it is a commit id, fetch the branch "
        + "that holds it; if it is a branch name, fetch it, for example \(fetch)"
    }
    return "cannot resolve base '\(base)' in this clone: \(reason). Fetch it, for example \(fetch)"
  }
}
