import Foundation
import PlumbCore

/// Finds repositories under the paths a user names: work trees, bare mirrors and `.git` files.
public enum Discovery {
  /// A path that is a repository gives itself; a folder gives every repository below it (not inside a
  /// repository found, work tree included, and through a symbolic link only when it stays inside the folder named).
  /// Sorted by display path.
  public static func repositories(in paths: [String]) -> (found: [RepositoryLocation], problems: [String]) {
    // Each repository with its real path, resolved once: the same repository reached twice is listed once.
    var found: [(location: RepositoryLocation, real: String)] = []
    var problems: [String] = []
    let manager = FileManager.default
    for root in paths {
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: root, isDirectory: &isFolder) else {
        problems.append("\(root): no such file or folder")
        continue
      }
      guard isFolder.boolValue else {
        if (root as NSString).lastPathComponent == ".git" {
          found.append((RepositoryLocation(path: root, displayPath: root), realPath(root)))
        } else {
          problems.append("\(root): not a folder or repository")
        }
        continue
      }
      let realRoot = realPath(root)
      // Each folder with its real path: a plain folder's is its parent's plus its name, so only links and
      // the root are resolved by the file system.
      var pending = [(root, realRoot)]
      var seenFolders: Set<String> = []
      while let (folder, real) = pending.popLast() {
        // A link loop, or two links to one folder, visits it once.
        guard seenFolders.insert(real).inserted, seenFolders.count <= 1_000_000 else { continue }
        if isRepository(folder) {
          found.append((RepositoryLocation(path: folder, displayPath: display(folder)), real))
          continue
        }
        guard let children = try? manager.contentsOfDirectory(atPath: folder) else { continue }
        for child in children.sorted().reversed() where child != ".git" {
          let path = folder == "." ? child : (folder as NSString).appendingPathComponent(child)
          if isPlainFolder(path) {
            pending.append((path, real == "/" ? "/" + child : real + "/" + child))
          } else if isLinkToFolder(path) {
            let target = realPath(path)
            if target == realRoot || target.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") {
              pending.append((path, target))
            } else {
              problems.append("\(display(path)): symbolic link out of \(root) not followed")
            }
          }
        }
      }
    }
    var seen: Set<String> = []
    let unique = found.filter { seen.insert($0.real).inserted }.map(\.location)
    let (named, clashes) = distinctNames(unique.sorted { $0.displayPath < $1.displayPath })
    return (named, problems + clashes)
  }

  /// Repositories are known by name (store, fingerprints, estate knowledge), so two found with one name
  /// (`acme/api` and `labs/api`) are told apart by as many of their last folders as it takes, and the
  /// user is told: a manifest's `name:` keeps names stable when another repository of that name appears.
  static func distinctNames(_ locations: [RepositoryLocation]) -> (
    locations: [RepositoryLocation], problems: [String]
  ) {
    var named = locations
    var problems: [String] = []
    let clashes = Dictionary(grouping: locations.indices) { locations[$0].name }.filter { $0.value.count > 1 }
    for (name, members) in clashes.sorted(by: { $0.key < $1.key }) {
      let words = members.map { RepositoryLocation.nameWords(locations[$0].displayPath).map(String.init) }
      let longest = words.map(\.count).max() ?? 1
      // The fewest last folders that tell every one apart; the display paths themselves when none do.
      let names =
        (2...max(2, longest)).lazy.map { depth in words.map { $0.suffix(depth).joined(separator: "/") } }
        .first { Set($0).count == members.count } ?? members.map { locations[$0].displayPath }
      for (member, distinct) in zip(members, names) {
        let location = locations[member]
        named[member] = RepositoryLocation(
          path: location.path, displayPath: location.displayPath, name: distinct, metadata: location.metadata)
      }
      problems.append(
        "\(members.count) repositories are named '\(name)': told apart as \(names.map { "'\($0)'" }.joined(separator: ", ")) "
          + "(a manifest's name: keeps names stable)")
    }
    return (named, problems)
  }

  /// A work tree (`.git` folder or file) or a bare repository (HEAD, objects/ and refs/).
  public static func isRepository(_ folder: String) -> Bool {
    if exists(folder + "/.git") { return true }
    return exists(folder + "/HEAD") && isFolder(folder + "/objects") && isFolder(folder + "/refs")
  }

  // Plain stat calls: an estate of thousands of repositories is walked on every run.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  static func isPlainFolder(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  static func isFolder(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  static func isLinkToFolder(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK && isFolder(path)
  }

  /// The path with every symbolic link resolved; as Foundation spells it when the path does not exist.
  public static func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else {
      return URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func display(_ path: String) -> String {
    path.hasPrefix("./") ? String(path.dropFirst(2)) : path
  }
}
