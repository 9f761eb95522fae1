/// What a rule's code declares about itself; everything else (severity, parameters, examples) lives in its `rules/` file.
public struct RuleDescription: Sendable {
  public let id: String
  public init(id: String) { self.id = id }
}

/// One check of the platform contract. It sees a snapshot and its settings, never libgit2.
public protocol Rule: Sendable {
  static var description: RuleDescription { get }
  /// The findings at this snapshot; reading problems are facts, so a rule never throws.
  func check(_ context: RuleContext) -> [Finding]
  /// Waiver rules judge the waivers, so they run after every other rule's findings are known.
  var runsAfterWaivers: Bool { get }
}

extension Rule {
  public var id: String { Self.description.id }
  public var runsAfterWaivers: Bool { false }
  /// Tag rules name the tagged commit themselves; a finding they leave without one (a tag on a tree or blob)
  /// has no commit, and history is not walked for one.
  var namesItsCommits: Bool { id.hasPrefix("tags/") }
}

/// Everything one rule run may look at, and the way it makes findings.
public struct RuleContext {
  public let snapshot: Snapshot
  public let facts: RepositoryFacts
  public let settings: RuleSettings
  public let policy: Policy
  public let ruleID: String

  /// A finding of this rule at this repository, fingerprinted by its subject (never by line).
  /// `commit` names the introducing commit when the rule knows it (a tag's commit); otherwise attribution finds it.
  /// Characters a finding's message keeps.
  static let messageLimit = 2_000

  public func finding(
    _ message: String, path: String? = nil, line: Int? = nil, subject: String, evidence: [(String, JSONValue)] = [],
    commit: CommitRef? = nil
  ) -> Finding {
    // A hostile file can put megabytes into a message (a heredoc marker, a module source): reports keep a line.
    let shown = message.count > Self.messageLimit ? message.prefix(Self.messageLimit) + "… (message cut)" : message
    return Finding(
      rule: ruleID, severity: settings.severity, message: String(shown), path: path, line: line,
      fingerprint: Fingerprint.make(rule: ruleID, repository: snapshot.repositoryName, path: path, subject: subject),
      commit: commit, evidence: .object(evidence))
  }
}
