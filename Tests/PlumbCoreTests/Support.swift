import Estate
import FixtureKit
import Foundation
import Version
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
func scan(
  _ path: String, config: String? = nil, revision: String? = nil, today: String = "2026-11-21",
  estate: [RepositoryLocation] = [], recordedTags: [String: String]? = nil
) throws
  -> RepositoryResult
{
  let loader = PolicyLoader(catalog: sharedCatalog)
  let policy = try loader.estatePolicy(configText: config, file: "plumb.yml")
  var index: [String: [Version]] = [:]
  if let relative = policy.registryIndex {
    // Rule examples name their data files relative to rules/.
    let file = sharedCatalog.directory + "/" + relative
    index = try RegistryIndex.parse(try String(contentsOfFile: file, encoding: .utf8), file: file)
  }
  let location = RepositoryLocation(path: path)
  var knowledge = KnowledgeBuilder.build(estate.isEmpty ? [location] : estate, registryIndex: index)
  if let recordedTags { knowledge.recordedTags = [location.name: recordedTags] }
  let options = ScanOptions(revision: revision, policy: policy, today: today, knowledge: knowledge)
  return RepositoryScanner(options: options, loader: loader).scan(location)
}

extension RepositoryResult {
  func findings(of rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
}

/// The demo estate of `fixtures/demo`, materialised into `folder` (bare repositories keep their `.git` name).
func materializeDemoEstate(into folder: TemporaryFolder) throws {
  let root = projectRoot()
  let specs = try FileManager.default.contentsOfDirectory(atPath: root + "/fixtures/demo").filter {
    $0.hasSuffix(".yml")
  }.sorted()
  for spec in specs {
    let parsed = try RepositorySpec.parse(
      yaml: try String(contentsOfFile: root + "/fixtures/demo/" + spec, encoding: .utf8))
    try folder.repository((parsed.name ?? spec) + (parsed.bare ? ".git" : ""), parsed)
  }
}
