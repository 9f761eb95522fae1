import FixtureKit
import Foundation

/// Runs the `plumb` executable built beside the test bundle, as a user would.
enum CLI {
  struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  static let binary: String = {
    var folder = URL(
      fileURLWithPath: CommandLine.arguments.first { $0.contains(".xctest") } ?? CommandLine.arguments[0])
    while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("plumb").path) {
      folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("plumb").path
  }()

  static func run(
    _ arguments: [String], in directory: String? = nil, environment extra: [String: String] = [:],
    executable: String = binary
  ) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["PLUMB_RULES_DIR"] = projectRoot() + "/rules"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read stderr on another thread so neither pipe can fill up and stall the child.
    let errors = Collected()
    let finished = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errors.data = err.fileHandleForReading.readDataToEndOfFile()
      finished.signal()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    finished.wait()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: errors.data, as: UTF8.self))
  }

  /// Written by one thread before the semaphore is signalled, read after it: no overlap.
  final class Collected: @unchecked Sendable {
    var data = Data()
  }
}

/// Small estates of service repositories that tests then change with git, as a team's commits would.
enum TestEstate {
  /// `count` repositories under `estate/`, checked out; the even ones have CODEOWNERS; each has release v1.0.0.
  static func services(in folder: TemporaryFolder, count: Int) throws -> [String] {
    let paths = try (0..<count).map { index in
      let owners = index % 2 == 0 ? "CODEOWNERS: \"* @acme/team\\n\", " : ""
      return try folder.repository(
        "estate/svc-\(index)",
        yaml: """
          commits:
            - files: {\(owners)README.md: "# \(index)\\n"}
              tags: [{name: v1.0.0, message: first}]
          """
      ).path
    }
    // Fixture repositories are written without a checkout; the edits tests make need one.
    for path in paths { try git(path, ["reset", "-q", "--hard"]) }
    return paths
  }

  static func git(_ repository: String, _ arguments: [String]) throws {
    _ = try Materializer.run(
      ["-C", repository, "-c", "user.name=Dev", "-c", "user.email=dev@example.com"] + arguments)
  }
}
