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
      `plumb pins --format json`; give any mix of them, with or without --store. Files read after the store \
      replace its view of the repositories they hold.
      """)

  @Argument(help: "plumb JSON outputs to build the report from.") var files: [String] = []
  @Option(help: "The store (plumb scan --store): repositories, open findings and trends over its runs.") var store:
    String?
  @Option(help: "The folder to write index.html, report.md and data.json into.") var output: String
  @Option(help: "Estate config (plumb.yml): its waivers are listed even when no finding mentions them.") var config:
    String?
  @Option(help: "Estate manifest (estate.yml): team, tier and tags of each repository.") var manifest: String?
  @Option(help: "Forge URL pattern for links, with {repo} {path} {line} {sha}.") var linkTemplate: String?
  @Option(help: "The page's title.") var title: String = "plumb proof report"

  func run() throws {
    guard !files.isEmpty || store != nil else {
      throw PlumbFailure.usage("nothing to report: give --store or plumb JSON files (scan, adoption or pins output)")
    }
    var inputs = ProofInputs(today: Environment.today())
    inputs.title = title
    inputs.linkTemplate = linkTemplate
    if let store {
      // Opening never creates a store here: a report of an empty new file would only hide a wrong path.
      guard FileManager.default.fileExists(atPath: store) else { throw PlumbFailure.usage("\(store): no such store") }
      do {
        try inputs.add(store: try EstateStore.open(path: store))
      } catch {
        throw PlumbFailure.usage("\(store): \(error)")
      }
    }
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
      // The store's latest whole run, or a whole set of shard files, tells which of this config's waivers no
      // repository used.
      if let usage = inputs.estateWaiverUsage ?? inputs.shardWaiverUsage, usage.policyHash == policy.hash {
        if let unused = policy.unusedEstateWaivers(
          used: usage.used, repositories: usage.repositories, today: inputs.today)
        {
          inputs.unusedEstateWaivers += unused
        } else {
          Environment.warn(
            "\(config): its waivers are not on the lines the scanned results name; unused estate waivers are not marked"
          )
        }
      }
    }
    if let manifest { inputs.labels = try labels(manifest, inputs: inputs) }

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

  /// Team, tier and tags per repository from the manifest: an entry matches a repository by path (the manifest's
  /// path, or one ending in it) or by name.
  func labels(_ path: String, inputs: ProofInputs) throws -> [String: RepositoryMetadata] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlumbFailure.usage("\(path): cannot read the manifest")
    }
    let manifest = try Environment.wrap { () throws(ConfigError) in
      try EstateManifest.parse(String(decoding: data, as: UTF8.self), file: path)
    }
    func normalized(_ text: String) -> String {
      var text = text
      while text.hasPrefix("./") { text.removeFirst(2) }
      while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
      return text
    }
    var named: [(name: String, path: String)] = inputs.repositories.map { ($0.name, $0.path) }
    named += (inputs.adoption?.repositories ?? []).map { ($0.name, $0.path ?? $0.name) }
    var labels: [String: RepositoryMetadata] = [:]
    for (name, repositoryPath) in named where labels[name] == nil {
      let wanted = normalized(repositoryPath)
      let entry =
        manifest.entries.first { normalized($0.path) == wanted }
        ?? manifest.entries.first { wanted.hasSuffix("/" + normalized($0.path)) }
        ?? manifest.entries.first { ($0.name ?? RepositoryLocation.name(for: $0.path)) == name }
      if let entry { labels[name] = entry.metadata }
    }
    return labels
  }
}
