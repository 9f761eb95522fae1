import Foundation
import PlumbCore
import XCTest

@testable import Estate

/// The cache salt's ISO week, by arithmetic, is Foundation's ISO 8601 calendar week on every day.
final class CacheSaltTests: XCTestCase {
  func testISOWeekIsTheCalendarsOnEveryDayOfFortyYears() {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let first = CivilDate(year: 2000, month: 1, day: 1).daysSinceEpoch
    let last = CivilDate(year: 2040, month: 12, day: 31).daysSinceEpoch
    for days in first...last {
      let day = CivilDate(daysSinceEpoch: days)
      let parts = calendar.dateComponents(
        [.yearForWeekOfYear, .weekOfYear], from: Date(timeIntervalSince1970: Double(day.startSeconds)))
      let expected = "\(parts.yearForWeekOfYear ?? 0)-W\(parts.weekOfYear ?? 0)"
      guard CacheSalt.isoWeek(day.description) == expected else {
        return XCTFail("\(day): \(CacheSalt.isoWeek(day.description)), the calendar says \(expected)")
      }
    }
    XCTAssertEqual(CacheSalt.isoWeek("2026-12-31"), "2026-W53")
    XCTAssertEqual(CacheSalt.isoWeek("2027-01-01"), "2026-W53")
    XCTAssertEqual(CacheSalt.isoWeek("not a day"), "not a day")
  }
}
