import Foundation
import GitKit
import XCTest

@testable import PlumbCore

/// The parse cache stays within its capacity and keeps what is still being used.
final class ParseCacheTests: XCTestCase {
  func blob(_ number: Int) -> ObjectID {
    ObjectID(hex: String(repeating: "0", count: 38) + String(format: "%02x", number))!
  }

  func testKeepsRecentlyUsedParsesWithinItsCapacity() {
    let cache = ParseCache(capacity: 4)
    var parses: [Int] = []
    func parse(_ number: Int) -> Int {
      cache.value(blob: blob(number), parser: "number") { () -> Int in
        parses.append(number)
        return number * 10
      }
    }
    for number in [1, 2, 3, 1, 4] { XCTAssertEqual(parse(number), number * 10) }
    XCTAssertEqual(parses, [1, 2, 3, 4], "1 was still cached when asked again")
    XCTAssertLessThanOrEqual(cache.count, 4)
    for number in [1, 4, 3] { _ = parse(number) }
    XCTAssertEqual(parses, [1, 2, 3, 4], "used since the last turnover: kept")
    _ = parse(2)
    XCTAssertEqual(parses, [1, 2, 3, 4, 2], "2 was not used for two turnovers: dropped")
    for number in 10..<40 { _ = parse(number) }
    XCTAssertLessThanOrEqual(cache.count, 4)
  }

  func testAWalkCacheReadsTheRunsCacheWithoutFillingIt() {
    let run = ParseCache()
    _ = run.value(blob: blob(7), parser: "number") { 70 }
    let walk = ParseCache(capacity: 2, over: run)
    XCTAssertEqual(
      walk.value(blob: blob(7), parser: "number") { () -> Int in
        XCTFail("parsed again"); return 0
      }, 70)
    _ = walk.value(blob: blob(8), parser: "number") { 80 }
    XCTAssertEqual(run.count, 1, "the walk's own parses stay in the walk's cache")
    XCTAssertEqual(walk.count, 1)
  }
}
