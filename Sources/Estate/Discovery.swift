import Foundation
import PlumbCore

/// Finds repositories under the paths a user names: work trees, bare mirrors and `.git` files.
public enum Discovery {
  /// A path that is a repository gives itself; a folder gives every repository below it (not inside a
  /// repository's own objects, and through a symbolic link only when it stays inside the folder named).
  /// Sorted by display path.
  public static func repositories(in paths: [String]) -> (found: [RepositoryLocation], problems: [String]) {
    var found: [RepositoryLocation] = []
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
          found.append(RepositoryLocation(path: root, displayPath: root))
        } else {
          problems.append("\(root): not a folder or repository")
        }
        continue
      }
      let realRoot = realPath(root)
      var pending = [root]
      var seenFolders: Set<String> = []
      while let folder = pending.popLast() {
        // A link loop, or two links to one folder, visits it once.
        guard seenFolders.insert(realPath(folder)).inserted, seenFolders.count <= 1_000_000 else { continue }
        if isRepository(folder) {
          found.append(RepositoryLocation(path: folder, displayPath: display(folder)))
          continue
        }
        guard let children = try? manager.contentsOfDirectory(atPath: folder) else { continue }
        for child in children.sorted().reversed() where child != ".git" {
          let path = folder == "." ? child : (folder as NSString).appendingPathComponent(child)
          if isPlainFolder(path) {
            pending.append(path)
          } else if isLinkToFolder(path) {
            let target = realPath(path)
            if target == realRoot || target.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") {
              pending.append(path)
            } else {
              problems.append("\(display(path)): symbolic link out of \(root) not followed")
            }
          }
        }
      }
    }
    var seen: Set<String> = []
    let unique = found.filter { seen.insert(realPath($0.path)).inserted }
    return (unique.sorted { $0.displayPath < $1.displayPath }, problems)
  }

  /// A work tree (`.git` folder or file) or a bare repository (HEAD, objects/ and refs/).
  public static func isRepository(_ folder: String) -> Bool {
    let manager = FileManager.default
    if manager.fileExists(atPath: folder + "/.git") { return true }
    return manager.fileExists(atPath: folder + "/HEAD") && isFolder(folder + "/objects") && isFolder(folder + "/refs")
  }

  static func isPlainFolder(_ path: String) -> Bool {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return false }
    return attributes[.type] as? FileAttributeType == .typeDirectory
  }

  static func isFolder(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
  }

  static func isLinkToFolder(_ path: String) -> Bool {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      attributes[.type] as? FileAttributeType == .typeSymbolicLink
    else { return false }
    return isFolder(path)
  }

  static func realPath(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
  }

  static func display(_ path: String) -> String {
    path.hasPrefix("./") ? String(path.dropFirst(2)) : path
  }
}
