import Foundation
import PlumbCore

/// What every command needs from its surroundings: the rules folder, the policy, today's date, output.
enum Environment {
  static func catalog() throws -> RuleCatalog {
    guard let directory = RuleCatalog.locate() else {
      throw PlumbFailure.usage("cannot find plumb's rules/ folder; set PLUMB_RULES_DIR to it")
    }
    do {
      return try RuleCatalog.load(directory: directory)
    } catch {
      throw PlumbFailure.usage("cannot read rules from \(directory): \(error)")
    }
  }

  /// The estate policy from `--config` (or `plumb.yml` in the current folder when present).
  static func policy(configPath: String?, loader: PolicyLoader) throws -> Policy {
    var path = configPath
    if path == nil, FileManager.default.fileExists(atPath: "plumb.yml") { path = "plumb.yml" }
    guard let path else {
      return try wrap { () throws(ConfigError) in try loader.estatePolicy(configText: nil, file: "plumb.yml") }
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlumbFailure.usage("\(path): cannot read config file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PlumbFailure.usage("\(path): config is not UTF-8 text")
    }
    return try wrap { () throws(ConfigError) in try loader.estatePolicy(configText: text, file: path) }
  }

  static func wrap<T>(_ body: () throws(ConfigError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw PlumbFailure.usage("invalid configuration: \(error)")
    }
  }

  /// Today in UTC as `YYYY-MM-DD`, for waiver expiry.
  static func today() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date())
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Writes to `--output` or standard output.
  static func emit(_ text: String, to output: String?) throws {
    if let output {
      do {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        throw PlumbFailure.usage("cannot write \(output): \(error.localizedDescription)")
      }
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }

  static func warn(_ message: String) {
    FileHandle.standardError.write(Data("plumb: \(message)\n".utf8))
  }
}
