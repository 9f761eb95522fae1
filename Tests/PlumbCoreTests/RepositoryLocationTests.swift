import Foundation
import XCTest

@testable import PlumbCore

final class RepositoryLocationTests: XCTestCase {
  func testAnEstateNameIsTheRepositoryFolderWithoutDotGit() {
    let expected = [
      "estate/payments-api.git": "payments-api", "estate/payments-api": "payments-api",
      "estate/payments-api/.git": "payments-api", "/srv/mirrors/ledger.git/": "ledger", "./svc": "svc",
      "a/./b//c": "c", "a/b/../c": "c", "a/b/..": "a", "svc/.git/": "svc",
    ]
    for (path, name) in expected { XCTAssertEqual(RepositoryLocation.name(for: path), name, path) }
  }

  func testTheNameReadFromThePathIsTheOneFoundationGives() {
    let paths = [
      "estate/payments-api.git", "/srv/mirrors/ledger.git/", "./svc", "a/./b//c", "a/b/../c", "a/b/..", ".", "..",
      "../x", "x/../..", ".git", "svc/.git", "/", "/tmp/nw/svc-0001",
    ]
    for path in paths {
      XCTAssertEqual(RepositoryLocation.name(for: path), RepositoryLocation.nameFromFoundation(path), path)
    }
  }
}
