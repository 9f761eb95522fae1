import Foundation
import PlumbCore

/// Everything the proof report shows, as plain values: the page, report.md and data.json (`plumb/report@1`)
/// are all rendered from one of these, so they never disagree.
public struct ProofData: Sendable, Equatable, Codable {
  public static let schemaName = "plumb/report@1"

  public enum Trend: String, Sendable, Codable {
    case up, down, same, none
  }

  public struct Tool: Sendable, Equatable, Codable {
    public var name: String
    public var version: String
  }

  public struct Totals: Sendable, Equatable, Codable {
    public var repositories = 0
    /// Repositories that could not be read; they count in no category.
    public var unreadable = 0
    public var findings = 0
    /// By severity; nil when the inputs do not say (adoption counts findings per category only).
    public var errors: Int? = 0
    public var warnings: Int? = 0
    public var notes: Int? = 0
  }

  /// One category now: the share of repositories passing it, against the point before.
  public struct Score: Sendable, Equatable, Codable {
    public var category: String
    public var repositories: Int
    public var passing: Int
    /// passing / repositories; nil with no repositories.
    public var share: Double?
    public var previousShare: Double?
    public var previousLabel: String?
    public var trend: Trend
    /// Findings of every severity in the category.
    public var findings: Int
  }

  /// One point of the adoption chart; `shares` follow `categories`.
  public struct TimelinePoint: Sendable, Equatable, Codable {
    public var label: String
    public var repositories: Int
    public var shares: [Double?]
  }

  public struct CategoryCount: Sendable, Equatable, Codable {
    public var category: String
    public var repositories: Int
  }

  public struct LevelCount: Sendable, Equatable, Codable {
    public var level: String
    public var repositories: Int
  }

  public struct Delivery: Sendable, Equatable, Codable {
    public var releases: Int?
    public var releasesPerMonth: Double?
    public var leadTimeMedianDays: Double?
    public var leadTimeP90Days: Double?
    public var patchShare: Double?
    public var lastRelease: String?
    public var daysSinceLastRelease: Double?
    public var unreleasedCommits: Int?
  }

  public struct Commit: Sendable, Equatable, Codable {
    public var sha: String
    public var author: String
    public var time: String
    public var summary: String
    public var url: String?
  }

  public struct FindingEntry: Sendable, Equatable, Codable {
    public var rule: String
    public var severity: Severity
    public var message: String
    public var path: String?
    public var line: Int?
    public var fingerprint: String
    /// The file at the scanned commit, when a link template was given.
    public var url: String?
    public var commit: Commit?
  }

  public struct Repository: Sendable, Equatable, Codable {
    public var name: String
    public var path: String
    public var team: String?
    public var tier: String?
    public var tags: [String]
    /// The commit scanned.
    public var head: String?
    public var headLink: String?
    public var status: String
    public var error: String?
    /// Categories with a warning or worse; every other category passes (for a repository that could be read).
    public var failing: [String]
    /// By severity; nil when known only from adoption, which counts findings per category.
    public var errors: Int?
    public var warnings: Int?
    public var notes: Int?
    public var maturity: String?
    public var delivery: Delivery?
    public var findings: [FindingEntry]
  }

  public struct VersionUse: Sendable, Equatable, Codable {
    public var version: String
    public var pins: Int
  }

  public struct PinSource: Sendable, Equatable, Codable {
    public var kind: String
    public var source: String
    public var versions: [VersionUse]
    public var consumers: Int
    public var newest: String?
    public var behindMajor: [String]
  }

  public struct Pins: Sendable, Equatable, Codable {
    public var pins: Int
    public var repositories: Int
    public var sources: [PinSource]
  }

  public struct ReleaseEvent: Sendable, Equatable, Codable {
    public var repository: String
    public var tag: String?
    public var message: String
    public var commit: Commit?
  }

  public struct Releases: Sendable, Equatable, Codable {
    /// `tags/breaking-without-major`: a module's interface broke without a major release.
    public var breaking: [ReleaseEvent] = []
    /// `tags/moved`: a tag points elsewhere than a previous run recorded.
    public var moved: [ReleaseEvent] = []
  }

  public struct WaiverEntry: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
      case active, expired, unused
    }
    public var rule: String
    public var owner: String
    public var expires: String
    public var reason: String?
    public var paths: [String]
    public var repositories: [String]
    public var declaredIn: String?
    /// `estate` (the config) or `repository` (a repository's .plumb.yml).
    public var scope: String
    public var state: State
    /// Repositories where plumb reported the waiver expired or unused.
    public var reportedIn: [String]
  }

  public var schema = Self.schemaName
  public var tool = Tool(name: RunInfo.toolName, version: RunInfo.version)
  public var title: String
  public var generated: String
  public var sources: [String]
  public var policyHashes: [String]
  public var categories: [String]
  public var totals: Totals
  public var scorecard: [Score]
  public var timeline: [TimelinePoint]
  /// Repositories that adopted each category and kept passing (from adoption history).
  public var adopted: [CategoryCount]
  public var regressions: Int?
  /// Repositories per maturity level, `none` first; empty without adoption data.
  public var maturity: [LevelCount]
  public var delivery: Delivery?
  public var teams: [String]
  public var repositories: [Repository]
  public var pins: Pins?
  public var releases: Releases
  public var waivers: [WaiverEntry]
}

extension ProofData {
  /// `plumb/report@1`: keys in snake_case, sorted, so the file diffs well between runs.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  public static func read(json data: Data) throws -> ProofData {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(ProofData.self, from: data)
  }

  /// Repositories that could be read pass the categories they do not fail.
  public func passes(_ repository: Repository, _ category: String) -> Bool? {
    repository.status == "ok" ? !repository.failing.contains(category) : nil
  }
}
