import ArgumentParser
import Foundation
import PlumbCore

struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "List the rules, or explain one.",
    subcommands: [List.self, Explain.self], defaultSubcommand: List.self)

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every rule with its default severity and summary.")

    func run() throws {
      let catalog = try Environment.catalog()
      let width = catalog.rules.map(\.id.count).max() ?? 0
      var out = ""
      for rule in catalog.rules {
        let id = rule.id.padding(toLength: width, withPad: " ", startingAt: 0)
        let severity = rule.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        out += "\(id)  \(severity) \(rule.summary)\n"
      }
      FileHandle.standardOutput.write(Data(out.utf8))
    }
  }

  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print a rule's file: rationale, parameters and examples.")
    @Argument(help: "A rule id, such as ownership/codeowners-missing.") var id: String

    func run() throws {
      let catalog = try Environment.catalog()
      guard let rule = catalog.rule(id) else {
        throw PlumbFailure.usage("unknown rule '\(id)' (see `plumb rules list`)")
      }
      FileHandle.standardOutput.write(Data(rule.text.utf8))
    }
  }
}
