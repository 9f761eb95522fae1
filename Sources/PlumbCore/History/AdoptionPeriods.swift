/// A calendar day in UTC, by plain arithmetic (no calendars, no time zones, no formatters).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// `YYYY-MM-DD`, with a day that exists in its month; nil for anything else.
  public init?(iso text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day)
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// The day holding an instant (seconds since the epoch).
  public init(seconds: Int64) {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    self.init(daysSinceEpoch: Int(days))
  }

  /// Howard Hinnant's civil-from-days.
  public init(daysSinceEpoch: Int) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shifted = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shifted + 2) / 5 + 1
    let month = shifted < 10 ? shifted + 3 : shifted - 9
    self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
  }

  /// Howard Hinnant's days-from-civil.
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Midnight UTC at the start of the day, in seconds since the epoch.
  public var startSeconds: Int64 { Int64(daysSinceEpoch) * 86_400 }

  public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

  /// The first day of the month `count` months later.
  public func firstOfMonth(adding count: Int) -> CivilDate {
    let index = year * 12 + (month - 1) + count
    return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)
  }

  /// The same day `count` months later, or that month's last day when it is shorter (03-31 − 1 month = 02-28).
  public func adding(months count: Int) -> CivilDate {
    let first = firstOfMonth(adding: count)
    return CivilDate(
      year: first.year, month: first.month, day: min(day, Self.days(inMonth: first.month, year: first.year)))
  }

  /// 1 for Monday … 7 for Sunday (1970-01-01 was a Thursday).
  public var isoWeekday: Int { ((daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1 }

  public var description: String {
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))"
  }

  public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

  static func days(inMonth month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// How long each period of an adoption series is.
public enum AdoptionCadence: String, Sendable, CaseIterable {
  case week, month, quarter
}

/// One period of an adoption series: calendar dates in UTC, both ends included.
public struct AdoptionPeriod: Sendable, Equatable {
  /// `2026-W03`, `2026-01` or `2026-Q1`.
  public let label: String
  public let start: CivilDate
  public let end: CivilDate

  /// The first instant after the period: commits before it belong to the period or an earlier one.
  public var cutoff: Int64 { end.adding(days: 1).startSeconds }

  /// Calendar periods from the one holding `since` to the one holding `today` (ISO weeks start on Monday).
  public static func series(since: CivilDate, through today: CivilDate, every cadence: AdoptionCadence)
    -> [AdoptionPeriod]
  {
    var periods: [AdoptionPeriod] = []
    var start: CivilDate
    switch cadence {
    case .week: start = since.adding(days: 1 - since.isoWeekday)
    case .month: start = since.firstOfMonth(adding: 0)
    case .quarter: start = since.firstOfMonth(adding: -((since.month - 1) % 3))
    }
    while start <= today {
      let next: CivilDate
      switch cadence {
      case .week: next = start.adding(days: 7)
      case .month: next = start.firstOfMonth(adding: 1)
      case .quarter: next = start.firstOfMonth(adding: 3)
      }
      periods.append(AdoptionPeriod(label: label(start, cadence), start: start, end: next.adding(days: -1)))
      start = next
    }
    return periods
  }

  static func label(_ start: CivilDate, _ cadence: AdoptionCadence) -> String {
    let month = start.description.prefix(7)
    switch cadence {
    case .month: return String(month)
    case .quarter: return "\(start.year)-Q\((start.month - 1) / 3 + 1)"
    case .week:
      // The ISO week belongs to the year of its Thursday and counts from that year's first Thursday.
      let thursday = start.adding(days: 3)
      let week = (thursday.daysSinceEpoch - CivilDate(year: thursday.year, month: 1, day: 1).daysSinceEpoch) / 7 + 1
      return "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)"
    }
  }
}
