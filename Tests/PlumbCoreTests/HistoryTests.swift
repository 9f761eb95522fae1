import FixtureKit
import Foundation
import GitKit
import XCTest

@testable import PlumbCore

/// Release tags and module interfaces judged over real histories.
final class HistoryTests: XCTestCase {
  /// 30 releases of a module; the breaking ones are known, and only some of them bump the major.
  func testThirtyReleasesFlagOnlyBreaksWithoutMajor() throws {
    var versions: [(String, String)] = []  // (tag, variables.tf)
    var major = 1
    var minor = 0
    var variables = ["name"]
    var expectedFlags: [String] = []
    for release in 0..<30 {
      var breaking = false
      switch release {
      case 5, 12, 20:  // add a required variable: breaking
        variables.append("required_\(release)")
        breaking = true
      case 9, 25:  // remove a variable: breaking
        variables.removeLast()
        breaking = true
      default: break
      }
      let bumpMajor = breaking && (release == 12 || release == 25)
      if release > 0 {
        if bumpMajor {
          major += 1
          minor = 0
        } else {
          minor += 1
        }
      }
      let tag = "v\(major).\(minor).0"
      if breaking && !bumpMajor { expectedFlags.append(tag) }
      let text =
        variables.map { "variable \"\($0)\" {\n  type = string\n}\n" }.joined()
        + (0...release).map { "variable \"optional_\($0)\" {\n  type    = string\n  default = \"x\"\n}\n" }.joined()
      versions.append((tag, text))
    }
    let commits = versions.map { tag, text in
      RepositorySpec.Commit(
        message: "release \(tag)",
        files: [("variables.tf", .text(text)), ("CHANGELOG.md", .text(versions.map(\.0).joined(separator: "\n")))],
        tags: [.init(name: tag, message: "Release \(tag)")])
    }
    let folder = TemporaryFolder()
    let made = try folder.repository("tf-module", RepositorySpec(commits: commits))
    let result = try scan(made.path)
    let flagged = result.findings(of: "tags/breaking-without-major").compactMap { $0.evidence["to_tag"]?.stringValue }
    XCTAssertEqual(flagged.sorted(), expectedFlags.sorted())
    XCTAssertEqual(expectedFlags.count, 3)
    let breaks = result.findings(of: "tags/breaking-without-major")
    let first = try XCTUnwrap(breaks.first { $0.evidence["to_tag"] == .string(expectedFlags[0]) })
    XCTAssertEqual(first.commit?.summary, "release \(expectedFlags[0])", "tied to the release's commit")
    XCTAssertEqual(first.evidence["changes"]?.arrayValue?.first?["kind"], "variableAddedWithoutDefault")
    XCTAssertEqual(result.findings(of: "tags/non-monotonic").count, 0)
    XCTAssertEqual(result.findings(of: "tags/missing-changelog").count, 0)
  }

  func testTagsOnSideBranchesAnnotatedTagsOfTagsAndOrder() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "svc",
      yaml: """
        commits:
          - message: one
            files: {README.md: one}
            tags: [{name: v1.0.0, message: r}]
          - message: side
            branch: side
            files: {README.md: side}
            tags: [{name: v1.1.0, message: side release}]
          - message: two
            branch: main
            files: {README.md: two}
            tags: [{name: v1.0.1, message: r}, v1.2.0]
          - message: merged later
            branch: merged
            from: main
            files: {README.md: merged}
            tags: [{name: v1.3.0, message: r}]
          - message: merge
            branch: main
            merge: [merged]
            files: {README.md: merged}
        """)
    // An annotated tag of an annotated tag peels to the same commit.
    try Materializer.run([
      "-C", made.path, "-c", "user.name=Rel", "-c", "user.email=rel@acme.test", "-c", "advice.nestedTag=false",
      "tag", "-a", "-m", "outer", "v1.4.0", "v1.3.0",
    ])
    let repository = try Repository(at: made.path)
    let outer = try XCTUnwrap(try repository.tags().first { $0.name == "v1.4.0" })
    XCTAssertTrue(outer.isAnnotated)
    XCTAssertEqual(outer.commit, try repository.resolveCommit("v1.3.0"))

    let result = try scan(made.path)
    XCTAssertEqual(result.findings(of: "tags/not-on-default-branch").map { $0.evidence["tag"] }, ["v1.1.0"])
    XCTAssertEqual(result.findings(of: "tags/lightweight").map { $0.evidence["tag"] }, ["v1.2.0"])
    XCTAssertEqual(result.findings(of: "tags/not-on-default-branch").first?.commit?.summary, "side")
    XCTAssertEqual(result.findings(of: "tags/non-monotonic").count, 0, "v1.1.0 is on a side branch, not an ancestor")
  }

  func testNoAttributionStripsTagCommits() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("svc", yaml: "files: {README.md: x}\ntags: [v1.0.0]")
    let loader = PolicyLoader(catalog: sharedCatalog)
    let options = ScanOptions(
      policy: try loader.estatePolicy(configText: nil, file: "plumb.yml"), today: "2026-11-21", attribution: false)
    let result = RepositoryScanner(options: options, loader: loader).scan(RepositoryLocation(path: made.path))
    XCTAssertEqual(result.findings(of: "tags/lightweight").count, 1)
    XCTAssertTrue(result.findings.allSatisfy { $0.commit == nil })
  }
}
