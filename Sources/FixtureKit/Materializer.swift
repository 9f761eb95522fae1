import Foundation

/// Where a `↓` marker stood in a materialised file: the place a finding must point at.
public struct Marker: Sendable, Hashable, CustomStringConvertible {
  public let path: String
  public let line: Int
  public var description: String { "\(path):\(line)" }
}

/// A repository written to disk from a spec.
public struct MaterializedRepository: Sendable {
  public let path: String
  /// Markers in the files of the last commit that touched each file.
  public let markers: [Marker]
}

/// Writes real git repositories from specs with `git fast-import` (test and demo support only: plumb itself never runs git).
public enum Materializer {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  static let marker = "↓"
  static let baseTime = 1_767_225_600  // 2026-01-01T00:00:00Z

  /// Materialises `spec` at `path` (which must not exist yet).
  @discardableResult
  public static func materialize(_ spec: RepositorySpec, at path: String) throws -> MaterializedRepository {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let initialBranch = spec.commits.first?.branch ?? "main"
    var initArgs = ["init", "-q", "--initial-branch=\(initialBranch)"]
    if spec.bare { initArgs.append("--bare") }
    try run(initArgs + [path])
    let gitDir = spec.bare ? path : path + "/.git"
    var markers: [String: [Int]] = [:]
    if !spec.commits.isEmpty {
      let stream = try fastImportStream(spec, initialBranch: initialBranch, markers: &markers)
      try run(["--git-dir", gitDir, "fast-import", "--quiet", "--date-format=raw"], input: stream)
    }
    if let head = spec.head {
      let ref = head.hasPrefix("refs/") ? head : "refs/heads/\(head)"
      try run(["--git-dir", gitDir, "symbolic-ref", "HEAD", ref])
    }
    let found = markers.flatMap { path, lines in lines.map { Marker(path: path, line: $0) } }
    return MaterializedRepository(path: path, markers: found.sorted { ($0.path, $0.line) < ($1.path, $1.line) })
  }

  static func fastImportStream(_ spec: RepositorySpec, initialBranch: String, markers: inout [String: [Int]]) throws
    -> Data
  {
    var out = Data()
    func write(_ text: String) { out.append(contentsOf: Array(text.utf8)) }
    func writeData(_ bytes: [UInt8]) {
      write("data \(bytes.count)\n")
      out.append(contentsOf: bytes)
      write("\n")
    }
    var tips: [String: Int] = [:]  // branch -> mark
    var tagMarks: [String: Int] = [:]
    var current = initialBranch
    for (index, commit) in spec.commits.enumerated() {
      let mark = index + 1
      let branch = commit.branch ?? current
      // A new branch starts where the previous commit's branch is, as `git switch -c` would.
      let startingPoint = commit.from ?? (tips[branch] == nil ? current : nil)
      current = branch
      let (name, email) = parseAuthor(commit.author)
      let time = try parseDate(commit.date) ?? (baseTime + index * 3600)
      write("commit refs/heads/\(branch)\nmark :\(mark)\n")
      write("author \(name) <\(email)> \(time) +0000\ncommitter \(name) <\(email)> \(time) +0000\n")
      writeData(Array((commit.message ?? "commit \(mark)").utf8))
      if let tip = tips[branch] {
        write("from :\(tip)\n")
      } else if let from = startingPoint, !commit.orphan, let tip = tips[from] ?? tagMarks[from] {
        write("from :\(tip)\n")
      } else if let from = commit.from {
        guard let tip = tips[from] ?? tagMarks[from] else {
          throw Failure(description: "commit \(mark): 'from: \(from)' names no earlier branch or tag")
        }
        write("from :\(tip)\n")
      }
      for other in commit.merge {
        guard let tip = tips[other] else {
          throw Failure(description: "commit \(mark): cannot merge unknown branch \(other)")
        }
        write("merge :\(tip)\n")
      }
      for path in commit.delete { write("D \(quote(path))\n") }
      for (path, content) in commit.files {
        let (bytes, lines) = contentBytes(content)
        markers[path] = lines.isEmpty ? nil : lines
        if lines.isEmpty { markers.removeValue(forKey: path) }
        write("M 100644 inline \(quote(path))\n")
        writeData(bytes)
      }
      for (path, target) in commit.symlinks {
        write("M 120000 inline \(quote(path))\n")
        writeData(Array(target.utf8))
      }
      write("\n")
      tips[branch] = mark
      for tag in commit.tags {
        tagMarks[tag.name] = mark
        if let message = tag.message {
          write("tag \(tag.name)\nfrom :\(mark)\ntagger \(name) <\(email)> \(time) +0000\n")
          writeData(Array(message.utf8))
        } else {
          write("reset refs/tags/\(tag.name)\nfrom :\(mark)\n\n")
        }
      }
    }
    return out
  }

  /// Removes `↓` markers, returning the bytes and the 1-based lines that carried one.
  static func contentBytes(_ content: RepositorySpec.FileContent) -> ([UInt8], [Int]) {
    switch content {
    case .bytes(let bytes): return (bytes, [])
    case .repeated(let unit, let times):
      var bytes: [UInt8] = []
      let unitBytes = Array(unit.utf8)
      bytes.reserveCapacity(unitBytes.count * max(times, 0))
      for _ in 0..<max(times, 0) { bytes.append(contentsOf: unitBytes) }
      return (bytes, [])
    case .text(let text):
      guard text.contains(marker) else { return (Array(text.utf8), []) }
      var lines: [Int] = []
      var cleaned: [String] = []
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if line.contains(marker) { lines.append(number + 1) }
        cleaned.append(line.replacingOccurrences(of: marker, with: ""))
      }
      return (Array(cleaned.joined(separator: "\n").utf8), lines)
    }
  }

  /// fast-import's C-style quoting; `\xHH` in a spec path becomes that raw byte (octal in the stream).
  static func quote(_ path: String) -> String {
    var result = "\""
    var bytes = Array(path.utf8)[...]
    while let byte = bytes.first {
      bytes = bytes.dropFirst()
      if byte == UInt8(ascii: "\\"), bytes.first == UInt8(ascii: "x"), bytes.count >= 3,
        let value = UInt8(String(decoding: bytes.dropFirst().prefix(2), as: UTF8.self), radix: 16)
      {
        result += "\\" + String(value, radix: 8)
        bytes = bytes.dropFirst(3)
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        result += "\\" + String(UnicodeScalar(byte))
      } else if byte == UInt8(ascii: "\n") {
        result += "\\n"
      } else if byte >= 0x80 {
        result += "\\" + String(byte, radix: 8)
      } else {
        result += String(UnicodeScalar(byte))
      }
    }
    return result + "\""
  }

  static func parseAuthor(_ author: String?) -> (String, String) {
    guard let author, let open = author.firstIndex(of: "<"), let close = author.lastIndex(of: ">") else {
      return (author ?? "Plumb Fixtures", "fixtures@plumb.test")
    }
    let name = author[..<open].trimmingCharacters(in: .whitespaces)
    return (name, String(author[author.index(after: open)..<close]))
  }

  static func parseDate(_ date: String?) throws -> Int? {
    guard let date else { return nil }
    let formatter = ISO8601DateFormatter()
    if let parsed = formatter.date(from: date) { return Int(parsed.timeIntervalSince1970) }
    formatter.formatOptions = [.withFullDate]
    if let parsed = formatter.date(from: date) { return Int(parsed.timeIntervalSince1970) }
    throw Failure(description: "date '\(date)' is not ISO 8601 (2026-01-02 or 2026-01-02T03:04:05Z)")
  }

  /// Moves every object of a repository's packs into loose files, as `git init` and commits leave them, so a test
  /// can damage one object; returns the loose file of `revision` (anything `git rev-parse` takes), if given.
  @discardableResult
  public static func unpackObjects(gitDir: String, revision: String? = nil) throws -> String? {
    let packFolder = gitDir + "/objects/pack"
    let packs = try FileManager.default.contentsOfDirectory(atPath: packFolder).filter { $0.hasSuffix(".pack") }.map {
      try Data(contentsOf: URL(fileURLWithPath: packFolder + "/" + $0))
    }
    // Unpacking skips objects a pack still holds: the packs go first.
    try FileManager.default.removeItem(atPath: packFolder)
    try FileManager.default.createDirectory(atPath: packFolder, withIntermediateDirectories: true)
    for bytes in packs { try run(["--git-dir", gitDir, "unpack-objects", "-q"], input: bytes) }
    guard let revision else { return nil }
    let id = try run(["--git-dir", gitDir, "rev-parse", revision])
    return gitDir + "/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
  }

  /// Runs git (for fixtures only) with a clean environment so a developer's own config cannot change fixtures.
  @discardableResult
  public static func run(_ arguments: [String], input: Data? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    let output = Pipe()
    process.standardOutput = output
    let inputPipe = Pipe()
    if input != nil { process.standardInput = inputPipe }
    try process.run()
    if let input {
      // Write from another thread so a large stream cannot dead-lock against git's own output.
      let handle = inputPipe.fileHandleForWriting
      let writer = Thread {
        handle.write(input)
        try? handle.close()
      }
      writer.start()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = String(decoding: errorData, as: UTF8.self)
      throw Failure(description: "git \(arguments.joined(separator: " ")) failed: \(message)")
    }
    return String(decoding: outputData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
