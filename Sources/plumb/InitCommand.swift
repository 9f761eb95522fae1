import ArgumentParser
import Foundation
import PlumbCore

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "Write a commented starter plumb.yml.")

  @Option(help: "Where to write it.") var output: String = "plumb.yml"
  @Flag(help: "Overwrite an existing file.") var force = false

  func run() throws {
    if FileManager.default.fileExists(atPath: output) && !force {
      throw PlumbFailure.usage("\(output) exists; pass --force to overwrite it")
    }
    let catalog = try Environment.catalog()
    try Environment.emit(StarterConfig.text(catalog: catalog), to: output)
    print("wrote \(output)")
  }
}
