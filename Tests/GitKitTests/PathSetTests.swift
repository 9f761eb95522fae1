import FixtureKit
import Foundation
import XCTest

@testable import GitKit

/// Path lookups over deep folders: a loop, not recursion, so a path thousands of folders deep does not use up
/// a worker thread's stack (blame and attribution ask for it at every commit they visit).
final class PathSetTests: XCTestCase {
  final class Outcome: @unchecked Sendable {
    var ids: [ObjectID?]?
    var error: String?
  }

  func testAPathThreeThousandFoldersDeepResolvesOnASmallStack() throws {
    let folder = TemporaryFolder()
    let deep = Array(repeating: "a", count: 3_000).joined(separator: "/") + "/main.tf"
    // An explicit YAML key: a plain one may not be over 1,024 characters.
    let made = try folder.repository(
      "deep",
      yaml:
        "commits:\n  - files:\n      ? \(deep)\n      : one\n  - files:\n      ? \(deep)\n      : two\n      README.md: x\n"
    )
    let repository = try Repository(at: made.path)
    let head = try repository.head().commit
    let (tree, parents) = try repository.links(ofCommit: head)
    let parentTree = try repository.links(ofCommit: parents[0]).tree
    let paths = PathSet([deep, "README.md"])
    let known = try repository.entryIDs(at: paths, inTree: parentTree)
    XCTAssertNotNil(known[0])
    XCTAssertNil(known[1])
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let path = made.path
    // 512 KB: the recursive lookup needed about 2.5 KB a folder, so 3,000 folders overflowed even 8 MB.
    let thread = Thread {
      do {
        let reader = try Repository(at: path)
        outcome.ids = try reader.entryIDs(at: paths, inTree: tree, comparedTo: parentTree, knownIDs: known)
      } catch {
        outcome.error = "\(error)"
      }
      done.signal()
    }
    thread.stackSize = 512 << 10
    thread.start()
    XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
    XCTAssertNil(outcome.error)
    XCTAssertEqual(outcome.ids?.count, 2)
    XCTAssertNotNil(outcome.ids?[0] ?? nil)
    XCTAssertNotEqual(outcome.ids?[0] ?? nil, known[0], "the file changed")
    XCTAssertNotNil(outcome.ids?[1] ?? nil, "README.md is new")
  }
}
