import ArgumentParser
import Foundation
import PlumbCore

struct OwnersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "owners",
    abstract: "For each file, its owners and the CODEOWNERS line that decided it.")

  @Argument(help: "Files (repository-relative); all files when none are given.") var files: [String] = []
  @Option(help: "The repository (work tree or bare).") var repo: String = "."
  @Option(help: "Revision to read CODEOWNERS and files at. Default: HEAD.") var rev: String?
  @Flag(help: "One JSON object per file instead of a table.") var json = false

  func run() throws {
    let loaded: LoadedSnapshot
    do {
      loaded = try SnapshotLoader.load(RepositoryLocation(path: repo), revision: rev, cache: ParseCache())
    } catch {
      throw PlumbFailure(message: error.message, code: 3)
    }
    let report = OwnershipReport(snapshot: loaded.snapshot)
    guard let source = report.source else {
      throw PlumbFailure(message: "\(repo) has no CODEOWNERS file (\(report.problem ?? "none found"))", code: 1)
    }
    let paths = files.isEmpty ? loaded.snapshot.paths : files.map(Self.normalize)
    var out = ""
    for path in paths {
      let answer = report.owners(of: path)
      if json {
        out += answer.json(source: source).serialized() + "\n"
        continue
      }
      let owners = answer.owners.isEmpty ? "(no owner)" : answer.owners.joined(separator: " ")
      let decided =
        answer.decidingLines.isEmpty
        ? "no rule matches" : answer.decidingLines.map { "\(source):\($0.line)  \($0.text)" }.joined(separator: "; ")
      let missing = answer.exists ? "" : "  (not in the tree)"
      out += "\(path)\t\(owners)\t\(decided)\(missing)\n"
    }
    FileHandle.standardOutput.write(Data(out.utf8))
  }

  static func normalize(_ path: String) -> String {
    var trimmed = path
    while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
    while trimmed.hasPrefix("/") { trimmed.removeFirst() }
    return trimmed
  }
}
