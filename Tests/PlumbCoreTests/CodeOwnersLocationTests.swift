import FixtureKit
import XCTest

@testable import PlumbCore

/// Which CODEOWNERS decides when a repository has several: GitHub's `.github/`, root, `docs/`, then GitLab's
/// `.gitlab/` (which GitLab itself reads after the root and `docs/`).
final class CodeOwnersLocationTests: XCTestCase {
  func testDocsComesBeforeGitLabsFolderAndGitHubsFolderBeforeAll() throws {
    let folder = TemporaryFolder()
    let cases: [(files: [String], decides: String)] = [
      (["docs/CODEOWNERS", ".gitlab/CODEOWNERS"], "docs/CODEOWNERS"),
      (["CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"], "CODEOWNERS"),
      ([".github/CODEOWNERS", "CODEOWNERS", ".gitlab/CODEOWNERS"], ".github/CODEOWNERS"),
      ([".gitlab/CODEOWNERS"], ".gitlab/CODEOWNERS"),
    ]
    for (index, (files, decides)) in cases.enumerated() {
      let spec = "files:\n" + files.map { "  \($0): \"* @acme/\($0.count)\\n\"\n" }.joined()
      let made = try folder.repository("svc-\(index)", yaml: spec)
      let loaded = try SnapshotLoader.load(RepositoryLocation(path: made.path), revision: nil, cache: ParseCache())
      let policy = try PolicyLoader(catalog: sharedCatalog).estatePolicy(configText: nil, file: "plumb.yml")
      let facts = RepositoryFacts(snapshot: loaded.snapshot, policy: policy)
      XCTAssertEqual(facts.codeOwners?.path, decides, "\(files)")
    }
  }
}
