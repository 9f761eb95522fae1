/// The areas of the platform contract an adoption series follows, in report order.
public enum AdoptionCategory: String, Sendable, CaseIterable, Hashable {
  case ownership, runbooks, pinning, templates, versioning

  /// The category a rule belongs to; nil for rules outside every category (repo/*, waiver/*).
  public static func of(rule id: String) -> AdoptionCategory? {
    switch id.prefix(while: { $0 != "/" }) {
    case "ownership": return .ownership
    case "runbook": return .runbooks
    case "pins": return .pinning
    case "template": return .templates
    case "tags": return .versioning
    default: return nil
    }
  }
}

/// One repository at one period's last first-parent commit.
public struct AdoptionPoint: Sendable, Equatable {
  public let commit: String
  /// A category passes when none of its rules has a warning or error left after waivers.
  public let passing: [AdoptionCategory: Bool]
  /// Findings of each category, every severity.
  public let findings: [AdoptionCategory: Int]

  public init(commit: String, findings: [Finding]) {
    self.commit = commit
    var passing = Dictionary(uniqueKeysWithValues: AdoptionCategory.allCases.map { ($0, true) })
    var counts = Dictionary(uniqueKeysWithValues: AdoptionCategory.allCases.map { ($0, 0) })
    for finding in findings {
      guard let category = AdoptionCategory.of(rule: finding.rule) else { continue }
      counts[category]! += 1
      if finding.severity >= .warning { passing[category] = false }
    }
    self.passing = passing
    self.findings = counts
  }
}

/// A passing category that failed again.
public struct AdoptionRegression: Sendable, Equatable {
  public let category: AdoptionCategory
  /// Index into the run's periods.
  public let period: Int
}

/// One repository's adoption series, delivery figures and maturity level.
public struct RepositoryAdoption: Sendable {
  public let name: String
  public let path: String
  public let head: String?
  /// nil when the repository was read; git's words otherwise.
  public let error: String?
  /// Team, tier and tags from the estate manifest, when there is one.
  public let metadata: RepositoryMetadata
  /// One entry per period; nil where the repository had no commit yet (not counted).
  public let points: [AdoptionPoint?]
  public let delivery: DeliveryFigures?
  /// The highest maturity level reached at the last period; nil for none.
  public let maturity: String?
  /// How many times a rule was run (the rest were reused because nothing they read changed).
  public let ruleEvaluations: Int
  /// A shallow clone's oldest commit day: periods before it read as before the repository existed, and
  /// adoption dates are no earlier. nil when the whole history is there.
  public let shallowSince: CivilDate?
  /// What did not read or parse at the last period (its `repo/parse-error` findings, as `path: message`): the
  /// categories judged without it.
  public let unreadable: [String]

  public init(
    name: String, path: String, head: String?, error: String?, metadata: RepositoryMetadata = .none,
    points: [AdoptionPoint?], delivery: DeliveryFigures?, maturity: String?, ruleEvaluations: Int,
    shallowSince: CivilDate? = nil, unreadable: [String] = []
  ) {
    self.name = name
    self.path = path
    self.head = head
    self.error = error
    self.metadata = metadata
    self.points = points
    self.delivery = delivery
    self.maturity = maturity
    self.ruleEvaluations = ruleEvaluations
    self.shallowSince = shallowSince
    self.unreadable = unreadable
  }

  public static func failed(_ location: RepositoryLocation, error: String, periods: Int) -> RepositoryAdoption {
    RepositoryAdoption(
      name: location.name, path: location.displayPath, head: nil, error: error, metadata: location.metadata,
      points: Array(repeating: nil, count: periods), delivery: nil, maturity: nil, ruleEvaluations: 0)
  }

  /// For each category, the first period from which it kept passing to the last period; nil when failing at the end.
  public var adopted: [AdoptionCategory: Int] {
    var result: [AdoptionCategory: Int] = [:]
    for category in AdoptionCategory.allCases {
      var since: Int?
      for (index, point) in points.enumerated() {
        guard let point else { continue }
        if point.passing[category] == true {
          if since == nil { since = index }
        } else {
          since = nil
        }
      }
      if let since { result[category] = since }
    }
    return result
  }

  /// Periods where a category that passed at the repository's previous period fails.
  public var regressions: [AdoptionRegression] {
    var result: [AdoptionRegression] = []
    var previous: AdoptionPoint?
    for (index, point) in points.enumerated() {
      guard let point else { continue }
      for category in AdoptionCategory.allCases
      where previous?.passing[category] == true && point.passing[category] == false {
        result.append(AdoptionRegression(category: category, period: index))
      }
      previous = point
    }
    return result
  }
}

/// The estate over the periods: how many repositories existed, passed, and what they found.
public struct EstateAdoption: Sendable {
  public struct PeriodTotals: Sendable, Equatable {
    /// Repositories that had a commit by the end of the period.
    public let repositories: Int
    public let passing: [AdoptionCategory: Int]
    public let findings: [AdoptionCategory: Int]

    /// Passing repositories over existing ones; nil when none existed.
    public func share(_ category: AdoptionCategory) -> Double? {
      repositories == 0 ? nil : Double(passing[category] ?? 0) / Double(repositories)
    }
  }

  public let periods: [AdoptionPeriod]
  public let repositories: [RepositoryAdoption]
  public let levels: [MaturityLevel]

  public init(periods: [AdoptionPeriod], repositories: [RepositoryAdoption], levels: [MaturityLevel]) {
    self.periods = periods
    self.repositories = repositories
    self.levels = levels
  }

  var readable: [RepositoryAdoption] { repositories.filter { $0.error == nil } }

  public var series: [PeriodTotals] {
    periods.indices.map { index in
      let points = readable.compactMap { $0.points[index] }
      var passing: [AdoptionCategory: Int] = [:]
      var findings: [AdoptionCategory: Int] = [:]
      for category in AdoptionCategory.allCases {
        passing[category] = points.filter { $0.passing[category] == true }.count
        findings[category] = points.reduce(0) { $0 + ($1.findings[category] ?? 0) }
      }
      return PeriodTotals(repositories: points.count, passing: passing, findings: findings)
    }
  }

  /// Repositories that adopted each category (kept passing to the last period).
  public var adopted: [AdoptionCategory: Int] {
    var counts = Dictionary(uniqueKeysWithValues: AdoptionCategory.allCases.map { ($0, 0) })
    for repository in readable { for category in repository.adopted.keys { counts[category]! += 1 } }
    return counts
  }

  public var regressions: Int { readable.reduce(0) { $0 + $1.regressions.count } }

  public var delivery: DeliveryFigures {
    DeliveryFigures.estate(readable.compactMap { repository in repository.delivery.map { (repository.name, $0) } })
  }

  /// Repositories per level, `none` first, then the pack's levels lowest first.
  public var maturity: [(level: String, repositories: Int)] {
    let names = ["none"] + levels.map(\.name)
    return names.map { name in
      (name, readable.filter { ($0.maturity ?? "none") == name }.count)
    }
  }
}
