import ArgumentParser
import Formats
import Foundation
import PlumbCore

struct InterfaceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "interface",
    abstract: "Show how a Terraform module's interface changed between two revisions, and the bump it needs.")

  @Option(help: "The module repository (work tree or bare).") var repo: String = "."
  @Option(help: "The older revision. Default: the newest release tag.") var from: String?
  @Option(help: "The newer revision. Default: HEAD.") var to: String?
  @Option(help: "Only this module folder (\"\" is the root). Default: the root and every modules/*.") var module:
    String?
  @Flag(help: "JSON instead of text.") var json = false

  func run() throws {
    let location = RepositoryLocation(path: repo)
    let cache = ParseCache()
    let newer: LoadedSnapshot
    do {
      newer = try SnapshotLoader.load(location, revision: to, cache: cache)
    } catch {
      throw PlumbFailure(message: error.message, code: 3)
    }
    let history = newer.snapshot.history
    let releases = history.tags.compactMap { tag -> (RepositoryHistory.Tag, ReleaseTag)? in
      let parsed = ReleaseTag.parse(tag.name)
      guard parsed.component.isEmpty, let version = parsed.version, version.prereleaseIdentifiers.isEmpty,
        tag.commit != nil
      else { return nil }
      return (tag, parsed)
    }.sorted { $0.1.version! < $1.1.version! }
    let fromName = from ?? releases.last?.0.name
    guard let fromName else { throw PlumbFailure.usage("no release tag to compare with; pass --from REV") }
    let older: LoadedSnapshot
    do {
      older = try SnapshotLoader.load(location, revision: fromName, cache: cache)
    } catch {
      throw PlumbFailure(message: error.message, code: 3)
    }
    let folders = module.map { [$0] } ?? history.moduleDirectories(at: newer.snapshot.commit)
    var report: [JSONValue] = []
    var text = "interface of \(repo): \(fromName) → \(to ?? "HEAD")\n"
    var breakingTotal = 0
    var uncompared: [String] = []
    for folder in folders {
      let before = history.interface(at: older.snapshot.commit, directory: folder, cache: cache)
      let after = history.interface(at: newer.snapshot.commit, directory: folder, cache: cache)
      let name = folder.isEmpty ? "(root module)" : folder
      // A file that does not parse would read as all its declarations removed: say so instead of comparing.
      let errors = [(fromName, before?.errors ?? []), (to ?? "HEAD", after?.errors ?? [])].flatMap { side, errors in
        errors.map { "\($0.file)\($0.line.map { ":\($0)" } ?? "") at \(side): \($0.message)" }
      }
      if !errors.isEmpty {
        uncompared.append(name)
        text += "\n\(name): cannot be compared, a .tf file does not parse\n"
        for error in errors { text += "  \(error)\n" }
        report.append(.object([("module", .string(folder)), ("errors", JSONValue(errors))]))
        continue
      }
      let changes = InterfaceDiff.changes(
        from: before ?? ModuleInterface.extract(files: [:]), to: after ?? ModuleInterface.extract(files: [:]))
      breakingTotal += changes.filter(\.isBreaking).count
      text += "\n\(name): " + (changes.isEmpty ? "no changes\n" : "\(changes.count) change(s)\n")
      for change in changes { text += "  \(change.isBreaking ? "BREAKING" : "        ")  \(change.detail)\n" }
      report.append(
        .object([
          ("module", .string(folder)),
          (
            "changes",
            .array(
              changes.map {
                .object([
                  ("kind", .string($0.kind.rawValue)), ("subject", .string($0.subject)),
                  ("breaking", .bool($0.isBreaking)),
                  ("detail", .string($0.detail)), ("before", JSONValue($0.before)), ("after", JSONValue($0.after)),
                ])
              })
          ),
        ]))
    }
    let base = ReleaseTag.parse(fromName).version
    let bump: String
    if breakingTotal > 0 {
      bump = base.map { $0.major == 0 ? "minor (0.\($0.minor + 1).0)" : "major (\($0.major + 1).0.0)" } ?? "major"
    } else {
      bump = "minor or patch"
    }
    text += "\n\(breakingTotal) breaking change(s): the next release needs at least a \(bump) bump\n"
    if !uncompared.isEmpty {
      text += "not compared (does not parse): \(uncompared.joined(separator: ", ")); the bump may be larger\n"
    }
    if json {
      let document = JSONValue.object([
        ("from", .string(fromName)), ("to", .string(to ?? "HEAD")), ("modules", .array(report)),
        ("breaking", .int(breakingTotal)), ("bump", .string(bump)), ("not_compared", JSONValue(uncompared)),
      ])
      FileHandle.standardOutput.write(Data((document.serialized(indent: 2) + "\n").utf8))
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
    // The bump cannot be vouched for: a release pipeline must not take "minor or patch" from half a comparison.
    if !uncompared.isEmpty { throw ExitCode(1) }
  }
}
