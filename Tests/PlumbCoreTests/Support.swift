import FixtureKit
import Foundation
import XCTest

@testable import PlumbCore

/// The real rules folder, read once per test process.
let sharedCatalog: RuleCatalog = {
  do {
    return try RuleCatalog.load(directory: projectRoot() + "/rules")
  } catch {
    fatalError("cannot load rules/: \(error)")
  }
}()

/// Scans one materialised repository with an estate config (YAML text) on top of the default pack.
func scan(_ path: String, config: String? = nil, revision: String? = nil, today: String = "2026-11-21") throws
  -> RepositoryResult
{
  let loader = PolicyLoader(catalog: sharedCatalog)
  let policy = try loader.estatePolicy(configText: config, file: "plumb.yml")
  let scanner = RepositoryScanner(
    options: ScanOptions(revision: revision, policy: policy, today: today), loader: loader)
  return scanner.scan(RepositoryLocation(path: path))
}

extension RepositoryResult {
  func findings(of rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
}
