import ArgumentParser
import FixtureKit
import Foundation

/// Turns repository specs from `fixtures/` into real git repositories (for `make demo` and benchmarks).
struct PlumbFixtures: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plumb-fixtures", abstract: "Materialise repository specs (YAML) into git repositories.")

  @Argument(help: "Spec files, or folders of *.yml specs.") var specs: [String]
  @Option(help: "Folder to write the repositories into (each named after its spec).") var into: String
  @Flag(help: "Replace repositories that already exist.") var force = false

  func run() throws {
    let manager = FileManager.default
    var files: [String] = []
    for spec in specs {
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: spec, isDirectory: &isFolder) else {
        throw ValidationError("\(spec) does not exist")
      }
      if isFolder.boolValue {
        let children = try manager.contentsOfDirectory(atPath: spec).filter { $0.hasSuffix(".yml") }.sorted()
        files += children.map { spec + "/" + $0 }
      } else {
        files.append(spec)
      }
    }
    for file in files {
      let text = try String(contentsOfFile: file, encoding: .utf8)
      let spec = try RepositorySpec.parse(yaml: text)
      let base = (file as NSString).lastPathComponent.replacingOccurrences(of: ".yml", with: "")
      let name = spec.name ?? base
      let target = into + "/" + name + (spec.bare ? ".git" : "")
      if manager.fileExists(atPath: target) {
        guard force else { throw ValidationError("\(target) exists; pass --force to replace it") }
        try manager.removeItem(atPath: target)
      }
      try Materializer.materialize(spec, at: target)
      print(target)
    }
  }
}

PlumbFixtures.main()
