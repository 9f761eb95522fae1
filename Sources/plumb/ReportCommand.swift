import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write the proof report: index.html (self-contained), report.md and data.json.",
    discussion: """
      FILE is the JSON of `plumb scan --format json` (or jsonl), `plumb adoption --format json` or \
      `plumb pins --format json`; give any mix of them.
      """)

  @Argument(help: "plumb JSON outputs to build the report from.") var files: [String] = []
  @Option(help: "The folder to write index.html, report.md and data.json into.") var output: String
  @Option(help: "Estate config (plumb.yml): its waivers are listed even when no finding mentions them.") var config:
    String?
  @Option(help: "Estate manifest (estate.yml): team, tier and tags of each repository.") var manifest: String?
  @Option(help: "Forge URL pattern for links, with {repo} {path} {line} {sha}.") var linkTemplate: String?
  @Option(help: "The page's title.") var title: String = "plumb proof report"

  func run() throws {
    // The store adapter slots in here once `--store` exists: it fills the same ProofInputs from the runs.
    guard !files.isEmpty else {
      throw PlumbFailure.usage("nothing to report: give plumb JSON files (scan, adoption or pins output)")
    }
    var inputs = ProofInputs(today: Environment.today())
    inputs.title = title
    inputs.linkTemplate = linkTemplate
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw PlumbFailure.usage("\(file): cannot read the file")
      }
      do {
        try inputs.add(data, file: file)
      } catch {
        throw PlumbFailure.usage(error.description)
      }
    }
    if let config {
      let loader = PolicyLoader(catalog: try Environment.catalog())
      let (policy, _) = try Environment.policyAndPath(configPath: config, loader: loader)
      inputs.waivers = policy.waivers
      if !inputs.policyHashes.isEmpty && !inputs.policyHashes.contains(policy.hash) {
        Environment.warn("\(config) is not the policy the inputs were made with (policy hash \(policy.hash))")
      }
    }
    if let manifest {
      let estate: EstateManifest
      do {
        estate = try EstateManifest.load(path: manifest)
      } catch {
        throw PlumbFailure.usage("invalid manifest: \(error)")
      }
      for repository in inputs.repositories {
        if let entry = estate.entry(name: repository.name, path: repository.path) {
          inputs.labels[repository.name] = RepositoryLabels(team: entry.team, tier: entry.tier, tags: entry.tags)
        }
      }
      for repository in inputs.adoption?.repositories ?? [] where inputs.labels[repository.name] == nil {
        if let entry = estate.entry(name: repository.name, path: repository.path ?? repository.name) {
          inputs.labels[repository.name] = RepositoryLabels(team: entry.team, tier: entry.tier, tags: entry.tags)
        }
      }
    }

    let proof = ProofData(inputs)
    let json: Data
    do {
      json = try proof.json()
    } catch {
      throw PlumbFailure(message: "cannot encode data.json: \(error)", code: 1)
    }
    do {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    } catch {
      throw PlumbFailure.usage("cannot create \(output): \(error.localizedDescription)")
    }
    try Environment.emit(ProofHTML.render(proof), to: output + "/index.html")
    try Environment.emit(ProofMarkdown.render(proof), to: output + "/report.md")
    try Environment.emit(String(decoding: json, as: UTF8.self) + "\n", to: output + "/data.json")
    let unreadable = proof.totals.unreadable > 0 ? " (\(proof.totals.unreadable) could not be read)" : ""
    print(
      "wrote \(output)/index.html, report.md and data.json: \(proof.totals.repositories) repositories\(unreadable), "
        + "\(proof.totals.findings) findings")
  }
}
