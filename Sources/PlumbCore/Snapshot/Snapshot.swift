import GitKit

/// One file in a snapshot, as rules see it.
public struct SnapshotFile: Sendable, Hashable {
  public enum Kind: Sendable, Hashable { case file, executable, symlink, submodule }
  public let path: String
  public let kind: Kind
  public let pathIsValidUTF8: Bool
  let blob: ObjectID
}

/// Why a file plumb wanted to read could not be read as text.
public enum FileProblem: Error, Sendable, Equatable, CustomStringConvertible {
  case missing
  case isDirectory
  case isSymlink(target: String)
  case isSubmodule
  case tooLarge(bytes: Int, limit: Int)
  case notUTF8
  case unreadable(String)

  public var description: String {
    switch self {
    case .missing: return "does not exist"
    case .isDirectory: return "is a directory, not a file"
    case .isSymlink(let target): return "is a symbolic link (to \(target)); plumb reads files, not links"
    case .isSubmodule: return "is a submodule, not a file"
    case .tooLarge(let bytes, let limit): return "is \(bytes) bytes, over the \(limit)-byte limit for files plumb reads"
    case .notUTF8: return "is not valid UTF-8 text"
    case .unreadable(let message): return "cannot be read: \(message)"
    }
  }
}

/// One tree at one commit: the file list up front, blob contents read lazily, parses cached by blob id.
public final class Snapshot {
  public let repositoryName: String
  public let commit: String
  let commitID: ObjectID
  /// Every file, in git's order. Reading the list is recorded: the rule then depends on the path set.
  public var files: [SnapshotFile] {
    accessLog?.listed = true
    return storedFiles
  }
  let storedFiles: [SnapshotFile]
  /// Every folder that holds at least one file.
  public var directories: Set<String> {
    accessLog?.listed = true
    return storedDirectories
  }
  let storedDirectories: Set<String>
  /// Tags, ancestry and first-parent history, read only when a rule asks. Reading it is recorded.
  public var history: RepositoryHistory {
    accessLog?.readHistory = true
    storedHistory.accessLog = accessLog
    return storedHistory
  }
  lazy var storedHistory = RepositoryHistory(repository: repository, head: commitID)
  /// When set, records what rules read, so history walks know which tree entries a finding depends on.
  var accessLog: AccessLog?
  /// Largest file plumb reads as text.
  public let textLimit: Int
  let index: [String: Int]
  let repository: Repository
  let cache: ParseCache

  init(repository: Repository, name: String, commit: ObjectID, entries: [TreeEntry], cache: ParseCache, textLimit: Int)
  {
    self.repository = repository
    self.repositoryName = name
    self.commit = commit.hex
    self.commitID = commit
    self.cache = cache
    self.textLimit = textLimit
    var files: [SnapshotFile] = []
    files.reserveCapacity(entries.count)
    var directories: Set<String> = []
    // Files of one folder come together: the folder of the previous file is known without a lookup.
    var previousFolder: Substring = ""
    for entry in entries {
      let kind: SnapshotFile.Kind
      switch entry.kind {
      case .file, .directory: kind = .file
      case .executable: kind = .executable
      case .symlink: kind = .symlink
      case .submodule: kind = .submodule
      }
      files.append(SnapshotFile(path: entry.path, kind: kind, pathIsValidUTF8: entry.pathIsValidUTF8, blob: entry.id))
      var folder = entry.path[...]
      // Searched by bytes: a Character search segments graphemes first.
      guard let last = folder.utf8.lastIndex(of: UInt8(ascii: "/")) else { continue }
      if folder[..<last].utf8.elementsEqual(previousFolder.utf8) { continue }
      previousFolder = folder[..<last]
      while let slash = folder.utf8.lastIndex(of: UInt8(ascii: "/")) {
        folder = folder[..<slash]
        if !directories.insert(String(folder)).inserted { break }
      }
    }
    self.storedFiles = files
    self.storedDirectories = directories
    var index: [String: Int] = [:]
    index.reserveCapacity(files.count)
    for (position, file) in files.enumerated() { index[file.path] = position }
    self.index = index
  }

  public var paths: [String] { files.map(\.path) }

  public func file(_ path: String) -> SnapshotFile? {
    accessLog?.paths.insert(path)
    return index[path].map { storedFiles[$0] }
  }

  public func exists(_ path: String) -> Bool {
    accessLog?.paths.insert(path)
    return index[path] != nil || storedDirectories.contains(path)
  }

  /// A file's text, or why it cannot be read (symlinks, folders and huge or binary files are refused).
  public func text(_ path: String) -> Result<String, FileProblem> {
    guard let file = file(path) else { return .failure(storedDirectories.contains(path) ? .isDirectory : .missing) }
    return text(of: file)
  }

  public func text(of file: SnapshotFile) -> Result<String, FileProblem> {
    switch file.kind {
    case .symlink:
      let target = (try? repository.blob(file.blob, limit: 4096)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
      return .failure(.isSymlink(target: target))
    case .submodule: return .failure(.isSubmodule)
    case .file, .executable: break
    }
    let text = cache.value(blob: file.blob, parser: "text") { () -> Result<String, FileProblem> in
      do throws(GitError) {
        let bytes = try repository.blob(file.blob, limit: textLimit)
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        return .success(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
      } catch {
        if error.code == .tooLarge, let size = try? repository.blobSize(file.blob) {
          return .failure(.tooLarge(bytes: size, limit: textLimit))
        }
        return .failure(.unreadable(error.message))
      }
    }
    if case .failure(.unreadable) = text { accessLog?.readUnreadable = true }
    return text
  }

  /// Parses a file once per blob id and parser name, reusing earlier parses of the same content.
  public func parsed<T: Sendable>(_ path: String, parser: String, _ parse: (String) -> T) -> Result<T, FileProblem> {
    guard let file = file(path) else { return .failure(storedDirectories.contains(path) ? .isDirectory : .missing) }
    switch text(of: file) {
    case .failure(let problem): return .failure(problem)
    case .success(let text): return .success(cache.value(blob: file.blob, parser: parser) { parse(text) })
    }
  }
}

/// What a rule read from a snapshot: paths it looked up, whether it listed the tree, whether it asked the
/// history (tags, ancestry) or walked it back from the snapshot's commit, and whether it asked the estate.
final class AccessLog {
  var paths: Set<String> = []
  var listed = false
  var readHistory = false
  var walkedHistory = false
  var readKnowledge = false
  /// A file it read did not come out of git (a damaged object): what it found there says nothing of the content.
  var readUnreadable = false

  func absorb(_ other: AccessLog) {
    paths.formUnion(other.paths)
    listed = listed || other.listed
    readHistory = readHistory || other.readHistory
    walkedHistory = walkedHistory || other.walkedHistory
    readKnowledge = readKnowledge || other.readKnowledge
    readUnreadable = readUnreadable || other.readUnreadable
  }
}
