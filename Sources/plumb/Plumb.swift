import ArgumentParser
import Foundation

/// The command line; each subcommand is thin and hands the work to the library modules.
@main
struct Plumb: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plumb",
    abstract: "A Git-native repository linter: prove that an estate of repositories keeps the platform's contract.",
    version: "0.1.0",
    subcommands: [
      ScanCommand.self, CheckCommand.self, BaselineCommand.self, PinsCommand.self, AdoptionCommand.self,
      ReportCommand.self,
      InterfaceCommand.self, OwnersCommand.self, RulesCommand.self, MergeCommand.self,
      InitCommand.self,
      DebugCommand.self,
    ]
  )

  /// Usage and configuration errors are exit 2, as the contract says (ArgumentParser's default is 64).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch let failure as PlumbFailure {
      FileHandle.standardError.write(Data("plumb: \(failure.message)\n".utf8))
      Foundation.exit(failure.code)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}

/// A failure with the exit status the contract assigns to it.
struct PlumbFailure: Error {
  let message: String
  let code: Int32

  static func usage(_ message: String) -> PlumbFailure { PlumbFailure(message: message, code: 2) }
}
