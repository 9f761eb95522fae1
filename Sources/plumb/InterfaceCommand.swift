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
    // Stable releases by component ("" for repository-wide tags), oldest first: a monorepo tags each module.
    var releases: [String: [(name: String, parsed: ReleaseTag)]] = [:]
    for tag in history.tags where tag.commit != nil {
      let parsed = ReleaseTag.parse(tag.name)
      guard let version = parsed.version, version.prereleaseIdentifiers.isEmpty else { continue }
      releases[parsed.component, default: []].append((tag.name, parsed))
    }
    for component in releases.keys { releases[component]!.sort { $0.parsed.version! < $1.parsed.version! } }
    let folders = module.map { [$0] } ?? history.moduleDirectories(at: newer.snapshot.commit)
    // Each module is compared with `--from`, else its own newest release, else the repository's.
    let bases: [(folder: String, from: String?)] = folders.map { folder in
      (folder, from ?? (releases[folder]?.last ?? releases[""]?.last)?.name)
    }
    guard bases.contains(where: { $0.from != nil }) else {
      throw PlumbFailure.usage("no release tag to compare with; pass --from REV")
    }
    var olderByName: [String: LoadedSnapshot] = [:]
    func older(_ name: String) throws -> LoadedSnapshot {
      if let known = olderByName[name] { return known }
      do {
        let loaded = try SnapshotLoader.load(location, revision: name, cache: cache)
        olderByName[name] = loaded
        return loaded
      } catch {
        throw PlumbFailure(message: error.message, code: 3)
      }
    }
    let distinct = Set(bases.compactMap(\.from))
    let single = distinct.count == 1 ? distinct.first : nil
    var report: [JSONValue] = []
    var text = "interface of \(repo): \(single ?? "each module's newest release") → \(to ?? "HEAD")\n"
    var breakingTotal = 0
    var uncompared: [String] = []
    var unreleased: [String] = []
    for (folder, base) in bases {
      let name = folder.isEmpty ? "(root module)" : folder
      guard let base else {
        unreleased.append(name)
        text += "\n\(name): no release of it to compare with\n"
        report.append(.object([("module", .string(folder)), ("from", .null), ("changes", .array([]))]))
        continue
      }
      let since = single == nil ? " since \(base)" : ""
      let before = history.interface(at: try older(base).snapshot.commit, directory: folder, cache: cache)
      let after = history.interface(at: newer.snapshot.commit, directory: folder, cache: cache)
      // A file that does not parse would read as all its declarations removed: say so instead of comparing.
      let errors = [(base, before?.errors ?? []), (to ?? "HEAD", after?.errors ?? [])].flatMap { side, errors in
        errors.map { "\($0.file)\($0.line.map { ":\($0)" } ?? "") at \(side): \($0.message)" }
      }
      if !errors.isEmpty {
        uncompared.append(name)
        text += "\n\(name)\(since): cannot be compared, a .tf file does not parse\n"
        for error in errors { text += "  \(error)\n" }
        report.append(
          .object([("module", .string(folder)), ("from", .string(base)), ("errors", JSONValue(errors))]))
        continue
      }
      let changes = InterfaceDiff.changes(
        from: before ?? ModuleInterface.extract(files: [:]), to: after ?? ModuleInterface.extract(files: [:]))
      let breaking = changes.filter(\.isBreaking).count
      breakingTotal += breaking
      text += "\n\(name)\(since): " + (changes.isEmpty ? "no changes\n" : "\(changes.count) change(s)\n")
      for change in changes { text += "  \(change.isBreaking ? "BREAKING" : "        ")  \(change.detail)\n" }
      if single == nil && breaking > 0 {
        text += "  its next release needs at least a \(Self.bump(after: base)) bump\n"
      }
      report.append(
        .object([
          ("module", .string(folder)), ("from", .string(base)),
          ("bump", .string(breaking > 0 ? Self.bump(after: base) : "minor or patch")),
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
    let bump: String
    if breakingTotal == 0 {
      bump = "minor or patch"
      text += "\n0 breaking change(s): the next release needs at least a minor or patch bump\n"
    } else if let single {
      bump = Self.bump(after: single)
      text += "\n\(breakingTotal) breaking change(s): the next release needs at least a \(bump) bump\n"
    } else {
      bump = "per module"
      text += "\n\(breakingTotal) breaking change(s): each module's next release needs the bump named with it\n"
    }
    if !uncompared.isEmpty {
      text += "not compared (does not parse): \(uncompared.joined(separator: ", ")); the bump may be larger\n"
    }
    if !unreleased.isEmpty { text += "not compared (never released): \(unreleased.joined(separator: ", "))\n" }
    let fromName = single ?? "each module's newest release"
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

  /// The smallest bump a breaking change needs after `release`: a major, or below 1.0.0 a minor.
  static func bump(after release: String) -> String {
    guard let version = ReleaseTag.parse(release).version else { return "major" }
    return version.major == 0 ? "minor (0.\(version.minor + 1).0)" : "major (\(version.major + 1).0.0)"
  }
}
