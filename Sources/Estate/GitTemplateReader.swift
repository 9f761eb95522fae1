import Formats
import Foundation
import GitKit
import PlumbCore
import Synchronization

/// Opens estate repositories as templates through GitKit, each once per run, and shares them between
/// scan tasks: consumers of one golden path all read the same cached trees and releases.
public final class GitTemplateReader: TemplateReader {
  let opened = Mutex<[String: GitTemplateRepository?]>([:])

  public init() {}

  public func template(at path: String, name: String) -> (any TemplateRepository)? {
    opened.withLock { table -> GitTemplateRepository? in
      if let known = table[path] { return known }
      let made = GitTemplateRepository(path: path, name: name)
      table[path] = made
      return made
    }
  }
}

/// One template repository behind a lock: libgit2 handles are used by one thread at a time, and what
/// was read (trees, texts, ancestry) is kept for the other consumers.
final class GitTemplateRepository: TemplateRepository {
  struct State {
    let repository: Repository
    var files: [String: [String]?] = [:]
    var texts: [String: String?] = [:]
    var ancestry: [String: Bool] = [:]
  }

  let name: String
  let releases: [TemplateRelease]
  let state: Mutex<State>

  /// Largest file read as text from a template (its copier.yml).
  static let textLimit = 1 << 20

  init?(path: String, name: String) {
    guard let repository = try? Repository(at: path) else { return nil }
    self.name = name
    releases = Self.releases(of: repository)
    state = Mutex(State(repository: repository))
  }

  static func releases(of repository: Repository) -> [TemplateRelease] {
    let tags = (try? repository.tags()) ?? []
    return tags.compactMap { tag -> TemplateRelease? in
      guard let version = parseSemanticVersion(tag.name), version.prereleaseIdentifiers.isEmpty,
        let commit = tag.commit
      else { return nil }
      guard let time = tag.tagger?.time ?? (try? repository.commit(commit))?.author.time else { return nil }
      return TemplateRelease(tag: tag.name, version: version, commit: commit.hex, time: time)
    }.sorted { ($0.version, $0.tag) > ($1.version, $1.tag) }
  }

  static func commit(_ id: ObjectID, in repository: Repository) -> TemplateCommit? {
    (try? repository.commit(id)).map { TemplateCommit(sha: $0.id.hex, time: $0.author.time) }
  }

  func resolve(_ version: String) -> TemplateCommit? {
    state.withLock { state in
      for revision in Self.revisions(version) {
        if let id = try? state.repository.resolveCommit(revision) { return Self.commit(id, in: state.repository) }
      }
      return nil
    }
  }

  /// What a recorded version may name, in order: a tag, the commit id in `git describe` output, a
  /// commit id. A branch name is not a version, so it is never looked up as one.
  static func revisions(_ version: String) -> [String] {
    let isHex = { (text: Substring) in text.count >= 4 && text.count <= 40 && text.allSatisfy(\.isHexDigit) }
    var revisions = ["refs/tags/" + version]
    if let dash = version.range(of: "-g", options: .backwards), isHex(version[dash.upperBound...]),
      version[..<dash.lowerBound].split(separator: "-").last?.allSatisfy(\.isNumber) == true
    {
      revisions.append(String(version[dash.upperBound...]))
    }
    if isHex(version[...]) { revisions.append(version) }
    return revisions
  }

  func files(at commit: String) -> [String]? {
    state.withLock { state in
      if let known = state.files[commit] { return known }
      let paths = ObjectID(hex: commit).flatMap { id -> [String]? in
        guard let tree = try? state.repository.treeID(ofCommit: id) else { return nil }
        return (try? state.repository.files(ofTree: tree))?.map(\.path)
      }
      state.files[commit] = paths
      return paths
    }
  }

  func text(_ path: String, at commit: String) -> String? {
    let key = commit + ":" + path
    return state.withLock { state in
      if let known = state.texts[key] { return known }
      var text: String?
      if let id = ObjectID(hex: commit), let tree = try? state.repository.treeID(ofCommit: id),
        let entry = try? state.repository.entry(atPath: path, inTree: tree), entry.kind == .file,
        let bytes = try? state.repository.blob(entry.id, limit: Self.textLimit)
      {
        text = String(validating: bytes, as: UTF8.self)
      }
      state.texts[key] = text
      return text
    }
  }

  func isAncestor(_ ancestor: String, of commit: String) -> Bool {
    if ancestor == commit { return true }
    return state.withLock { state in
      if let known = state.ancestry[ancestor + commit] { return known }
      guard let a = ObjectID(hex: ancestor), let b = ObjectID(hex: commit) else { return false }
      let answer = state.repository.isAncestor(a, of: b)
      state.ancestry[ancestor + commit] = answer
      return answer
    }
  }
}
