import PlumbCore

/// Renders `plumb adoption`: `plumb/adoption@1` JSON, one CSV row per repository × period × category, or Markdown.
public struct AdoptionReport: Sendable {
  public static let schema = "plumb/adoption@1"

  public let estate: EstateAdoption
  public let run: RunInfo
  public let since: String
  public let every: AdoptionCadence
  public let generated: String
  /// Enabled rules of each category under the estate policy (a category with none passes trivially).
  public let rules: [AdoptionCategory: [String]]

  public init(
    estate: EstateAdoption, run: RunInfo, since: String, every: AdoptionCadence, generated: String,
    rules: [AdoptionCategory: [String]]
  ) {
    self.estate = estate
    self.run = run
    self.since = since
    self.every = every
    self.generated = generated
    self.rules = rules
  }

  static let categories = AdoptionCategory.allCases

  // MARK: JSON

  public func json() -> JSONValue {
    .object(jsonHead() + [("repositories", .array(estate.repositories.map(repository)))])
  }

  /// The same document as `json()`, serialised one repository at a time: a long weekly series of a large estate
  /// is never held whole, as values or as text.
  public func writeJSON(indent: Int?, _ emit: ([UInt8]) throws -> Void) rethrows {
    try JSONValue.streamObject(
      jsonHead(), array: "repositories", count: estate.repositories.count, indent: indent,
      element: { repository(estate.repositories[$0]) }, emit: emit)
  }

  /// Every field of the document but the repositories.
  func jsonHead() -> [(String, JSONValue)] {
    let series = estate.series
    return [
      ("schema", .string(Self.schema)),
      ("tool", .object([("name", .string(RunInfo.toolName)), ("version", .string(RunInfo.version))])),
      (
        "run",
        .object([
          ("policy_hash", .string(run.policyHash)), ("pack", .string(run.pack)), ("since", .string(since)),
          ("every", .string(every.rawValue)), ("generated", .string(generated)),
          ("rules", Self.byCategory { JSONValue(rules[$0] ?? []) }),
        ])
      ),
      ("categories", JSONValue(Self.categories.map(\.rawValue))),
      (
        "periods",
        .array(
          estate.periods.map {
            .object([
              ("label", .string($0.label)), ("start", .string($0.start.description)),
              ("end", .string($0.end.description)),
            ])
          })
      ),
      (
        "estate",
        .object([
          (
            "series",
            .array(
              zip(estate.periods, series).map { period, totals in
                .object([
                  ("period", .string(period.label)), ("repositories", .int(totals.repositories)),
                  ("passing", Self.byCategory { .int(totals.passing[$0] ?? 0) }),
                  ("share", Self.byCategory { Self.number(totals.share($0), places: 4) }),
                  ("findings", Self.byCategory { .int(totals.findings[$0] ?? 0) }),
                ])
              })
          ),
          ("adopted", Self.byCategory { .int(estate.adopted[$0] ?? 0) }),
          ("regressions", .int(estate.regressions)),
          ("delivery", Self.delivery(estate.delivery)),
          (
            "maturity",
            .object([
              ("levels", JSONValue(estate.levels.map(\.name))),
              ("distribution", .object(estate.maturity.map { ($0.level, .int($0.repositories)) })),
            ])
          ),
        ])
      ),
    ]
  }

  func repository(_ repository: RepositoryAdoption) -> JSONValue {
    let adopted = repository.adopted
    return .object([
      ("name", .string(repository.name)), ("path", .string(repository.path)), ("head", JSONValue(repository.head)),
      ("status", .string(repository.error == nil ? "ok" : "error")), ("error", JSONValue(repository.error)),
      ("team", JSONValue(repository.metadata.team)), ("tier", JSONValue(repository.metadata.tier)),
      (
        "series",
        .array(
          zip(estate.periods, repository.points).map { period, point in
            .object([
              ("period", .string(period.label)), ("commit", JSONValue(point?.commit)),
              // Before the repository's first commit there is nothing to judge: null, not false.
              ("passing", point.map { point in Self.byCategory { .bool(point.passing[$0] ?? true) } } ?? .null),
              ("findings", point.map { point in Self.byCategory { .int(point.findings[$0] ?? 0) } } ?? .null),
            ])
          })
      ),
      ("adopted", Self.byCategory { JSONValue(adopted[$0].map { estate.periods[$0].label }) }),
      (
        "regressions",
        .array(
          repository.regressions.map {
            .object([("category", .string($0.category.rawValue)), ("period", .string(estate.periods[$0.period].label))])
          })
      ),
      ("delivery", repository.delivery.map(Self.delivery) ?? .null),
      // A readable repository below every level is at `none`, as the distribution counts it; null means unknown.
      (
        "maturity",
        repository.error == nil && !estate.levels.isEmpty
          ? .string(repository.maturity ?? "none") : JSONValue(repository.maturity)
      ),
      ("rule_evaluations", .int(repository.ruleEvaluations)),
      ("shallow_since", JSONValue(repository.shallowSince?.description)),
      ("unreadable", JSONValue(repository.unreadable)),
    ])
  }

  static func delivery(_ figures: DeliveryFigures) -> JSONValue {
    var leadTime: JSONValue = .null
    if let median = figures.leadTimeMedian, let p90 = figures.leadTimeP90 {
      leadTime = .object([("median", number(median, places: 2)), ("p90", number(p90, places: 2))])
    }
    return .object([
      ("releases", .int(figures.releases)), ("releases_per_month", number(figures.releasesPerMonth, places: 2)),
      ("lead_time_days", leadTime), ("patch_share", number(figures.patchShare, places: 3)),
      ("last_release", JSONValue(figures.lastRelease)),
      ("days_since_last_release", wholeOrHalf(figures.daysSinceLastRelease)),
      ("unreleased_commits", .int(figures.unreleasedCommits)),
    ])
  }

  static func byCategory(_ value: (AdoptionCategory) -> JSONValue) -> JSONValue {
    .object(categories.map { ($0.rawValue, value($0)) })
  }

  /// Days as an integer when whole (a repository's), else as the half an even estate's median can be.
  static func wholeOrHalf(_ value: Double?) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    return value == value.rounded() ? .int(Int(value)) : .double(value)
  }

  static func number(_ value: Double?, places: Int) -> JSONValue {
    guard let value, value.isFinite else { return .null }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return .double((value * scale).rounded() / scale)
  }

  // MARK: CSV

  /// The CSV in pieces, one repository's rows at a time: a weekly series of a large estate runs to millions of rows.
  public func writeCSV(_ emit: (String) throws -> Void) rethrows {
    try emit("repository,period,category,exists,passing,findings\n")
    let labels = estate.periods.map { PinsReport.csvField($0.label) }
    for repository in estate.repositories where repository.error == nil {
      let name = PinsReport.csvField(repository.name)
      var rows = ""
      for (label, point) in zip(labels, repository.points) {
        for category in Self.categories {
          rows += name + "," + label + "," + category.rawValue
          if let point {
            rows += (point.passing[category] ?? true) ? ",true,true," : ",true,false,"
            rows += String(point.findings[category] ?? 0) + "\n"
          } else {
            rows += ",false,,\n"
          }
        }
      }
      try emit(rows)
    }
  }

  // MARK: Markdown

  public func markdown() -> String {
    let readable = estate.repositories.filter { $0.error == nil }
    let unreadable = estate.repositories.filter { $0.error != nil }
    let first = estate.periods.first?.label ?? since
    let last = estate.periods.last?.label ?? since
    var out = "## Adoption \(first) – \(last) (every \(every.rawValue))\n\n"
    out += "\(estate.repositories.count) repositor\(estate.repositories.count == 1 ? "y" : "ies")"
    out += unreadable.isEmpty ? "" : " (\(unreadable.count) could not be read)"
    out += ", pack \(run.pack), generated \(generated). A category passes when none of its rules has a warning or "
    out += "error; repositories count from their first commit.\n"
    let empty = Self.categories.filter { (rules[$0] ?? []).isEmpty }
    if !empty.isEmpty {
      out += "No rule is enabled for \(empty.map(\.rawValue).joined(separator: ", ")): it passes trivially.\n"
    }
    out += "\n### Share of repositories passing (findings)\n\n"
    let header = ["period", "repositories"] + Self.categories.map(\.rawValue)
    out += Self.table(
      header,
      zip(estate.periods, estate.series).map { period, totals in
        [period.label, String(totals.repositories)]
          + Self.categories.map { category in
            let share = totals.share(category).map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
            return "\(share) (\(totals.findings[category] ?? 0))"
          }
      })
    out += "\n### Adopted (first period from which it kept passing)\n\n"
    var adoptedRows = readable.map { repository in
      let adopted = repository.adopted
      return [repository.name]
        + Self.categories.map { category in adopted[category].map { estate.periods[$0].label } ?? "–" }
        + [repository.maturity ?? "none"]
    }
    adoptedRows.append(
      ["**estate**"] + Self.categories.map { "\(estate.adopted[$0] ?? 0) of \(readable.count)" } + [
        estate.maturity.map { "\($0.level) \($0.repositories)" }.joined(separator: ", ")
      ])
    out += Self.table(["repository"] + Self.categories.map(\.rawValue) + ["maturity"], adoptedRows)
    out += "\n### Regressions\n\n"
    let regressions = readable.flatMap { repository in repository.regressions.map { (repository.name, $0) } }
    if regressions.isEmpty {
      out += "None.\n"
    } else {
      for (name, regression) in regressions {
        out += "- \(name): \(regression.category.rawValue) failed again in \(estate.periods[regression.period].label)\n"
      }
    }
    out += "\n### Delivery (releases since \(estate.periods.first?.start.description ?? since))\n\n"
    var deliveryRows = readable.compactMap { repository in
      repository.delivery.map { Self.deliveryRow(repository.name, $0) }
    }
    deliveryRows.append(Self.deliveryRow("**estate**", estate.delivery))
    out += Self.table(
      [
        "repository", "releases", "per month", "lead time median (days)", "lead time p90 (days)", "patch share",
        "last release", "days since", "unreleased commits",
      ], deliveryRows)
    out +=
      "\nThe estate row sums releases and unreleased commits, pools every release's lead time, names the newest "
      + "release, and gives the median of days since each repository's last release.\n"
    let shallow = readable.filter { $0.shallowSince != nil }
    if !shallow.isEmpty {
      out += "\n### Shallow clones\n\nTheir history starts at the day shown: earlier periods are not counted, and "
      out += "adoption dates are no earlier than that.\n\n"
      for repository in shallow { out += "- \(repository.name): from \(repository.shallowSince!)\n" }
    }
    if !unreadable.isEmpty {
      out += "\n### Could not be read\n\n"
      for repository in unreadable { out += "- \(repository.name): \(repository.error ?? "")\n" }
    }
    return out
  }

  static func deliveryRow(_ name: String, _ figures: DeliveryFigures) -> [String] {
    func format(_ value: Double?) -> String {
      guard let value else { return "–" }
      return String((value * 10).rounded() / 10)
    }
    return [
      name, String(figures.releases), format(figures.releasesPerMonth), format(figures.leadTimeMedian),
      format(figures.leadTimeP90), figures.patchShare.map { "\(Int(($0 * 100).rounded()))%" } ?? "–",
      figures.lastRelease ?? "–", figures.daysSinceLastRelease.map { wholeOrHalf($0).serialized() } ?? "–",
      String(figures.unreleasedCommits),
    ]
  }

  static func table(_ header: [String], _ rows: [[String]]) -> String {
    func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
    var out = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
    for row in rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
    return out
  }
}
