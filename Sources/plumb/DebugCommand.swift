import ArgumentParser
import Formats
import Foundation
import PlumbCore

/// Developer tools behind the benchmarks and the HCL differential check; not part of the contract.
struct DebugCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug", abstract: "Developer tools (parser checks and throughput).", shouldDisplay: false,
    subcommands: [HCLModules.self, HCLThroughput.self])

  /// One JSON line per file: its module blocks (name, source, version) or its syntax error.
  struct HCLModules: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hcl-modules")
    @Argument var files: [String]

    func run() throws {
      var out = ""
      for file in files {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
          out += JSONValue.object([("file", .string(file)), ("error", "unreadable")]).serialized() + "\n"
          continue
        }
        do {
          let body = try HCLParser.parse(text)
          let modules: [JSONValue] = body.blocks(ofType: "module").map { block in
            .object([
              ("name", JSONValue(block.labelValues.first)),
              ("source", JSONValue(block.body.attribute(named: "source")?.expression.stringValue)),
              ("version", JSONValue(block.body.attribute(named: "version")?.expression.stringValue)),
            ])
          }
          out += JSONValue.object([("file", .string(file)), ("modules", .array(modules))]).serialized() + "\n"
        } catch {
          out += JSONValue.object([("file", .string(file)), ("error", .string("\(error)"))]).serialized() + "\n"
        }
      }
      FileHandle.standardOutput.write(Data(out.utf8))
    }
  }

  /// Parses the files `repeat` times in memory and prints MB/s (reading the files is not timed).
  struct HCLThroughput: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hcl-throughput")
    @Option var `repeat`: Int = 5
    @Argument var files: [String]

    func run() throws {
      let texts = files.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
      let bytes = texts.reduce(0) { $0 + $1.utf8.count }
      var parsed = 0
      let clock = ContinuousClock()
      let elapsed = clock.measure {
        for _ in 0..<max(1, `repeat`) {
          for text in texts where (try? HCLParser.parse(text)) != nil { parsed += 1 }
        }
      }
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let megabytes = Double(bytes * max(1, `repeat`)) / 1_000_000
      print(
        String(
          format: "%d files, %.2f MB x %d: %.3f s, %.1f MB/s (%d parsed)", texts.count, Double(bytes) / 1e6, `repeat`,
          seconds, megabytes / seconds, parsed))
    }
  }
}
