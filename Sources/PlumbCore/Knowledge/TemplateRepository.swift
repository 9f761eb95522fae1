import Version

/// A release of a template repository: a semver tag (no pre-release), its commit and its date.
public struct TemplateRelease: Sendable, Equatable {
  public let tag: String
  public let version: Version
  public let commit: String
  /// Seconds since the epoch: the tagger's date for annotated tags, else the commit's.
  public let time: Int64

  public init(tag: String, version: Version, commit: String, time: Int64) {
    self.tag = tag
    self.version = version
    self.commit = commit
    self.time = time
  }
}

/// A commit of a template repository, with its author date.
public struct TemplateCommit: Sendable, Equatable {
  public let sha: String
  public let time: Int64

  public init(sha: String, time: Int64) {
    self.sha = sha
    self.time = time
  }
}

/// A template repository of the estate, readable at any version. Estate backs it with git and caches
/// what it reads; rules call it without seeing libgit2. Safe to share between scan tasks.
public protocol TemplateRepository: Sendable {
  var name: String { get }
  /// Releases, newest version first.
  var releases: [TemplateRelease] { get }
  /// The commit a recorded version names: a tag, a full or abbreviated commit id, or `git describe`
  /// output (`v1.4.0-3-gabc1234`); nil when the repository has no such revision.
  func resolve(_ version: String) -> TemplateCommit?
  /// Every file path of the tree at a commit.
  func files(at commit: String) -> [String]?
  /// A small text file at a commit (the template's `copier.yml`).
  func text(_ path: String, at commit: String) -> String?
  /// Whether `ancestor` is `commit` or one of its ancestors.
  func isAncestor(_ ancestor: String, of commit: String) -> Bool
}

/// Opens estate repositories as templates on first use (Estate supplies the git-backed reader).
public protocol TemplateReader: Sendable {
  func template(at path: String, name: String) -> (any TemplateRepository)?
}

/// The reader of an estate whose repositories are not read as templates (tests, `EstateKnowledge.empty`).
public struct NoTemplates: TemplateReader {
  public init() {}
  public func template(at path: String, name: String) -> (any TemplateRepository)? { nil }
}
