#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files on disk that decide what a repository's references say (HEAD, loose refs, packed-refs) and
/// how its history reads (config, shallow, grafts, alternates), read as plain bytes without opening the
/// repository: any change to a ref changes these bytes, so an unchanged estate is recognised in a few
/// system calls per repository instead of a libgit2 open and a reference walk.
public enum ReferenceFiles {
  /// Larger than any packed-refs of a million tags; a bigger file is not read into memory.
  static let maximumFileBytes = 256 << 20

  /// The bytes of those files with their names, in a fixed order; nil when `path` holds no readable
  /// git directory (the scan then reports why).
  public static func state(at path: String) -> [UInt8]? {
    guard let gitDirectory = gitDirectory(of: path) else { return nil }
    // A linked worktree keeps its own HEAD but shares refs, packed-refs and config with the main one.
    let common = readFile(gitDirectory + "/commondir").map { text in
      let target = trimmed(text)
      return target.hasPrefix("/") ? target : gitDirectory + "/" + target
    }
    var material: [UInt8] = []
    func add(_ label: String, _ bytes: [UInt8]?) {
      material += Array(label.utf8) + [0]
      if let bytes { material += Array(String(bytes.count).utf8) + [0] + bytes } else { material += [1] }
      material.append(0x0A)
    }
    guard let head = readFile(gitDirectory + "/HEAD") else { return nil }
    add("HEAD", head)
    let shared = common ?? gitDirectory
    for file in ["packed-refs", "config", "shallow", "info/grafts", "objects/info/alternates"] {
      add(file, readFile(shared + "/" + file))
    }
    for (name, bytes) in looseRefs(under: shared + "/refs", prefix: "refs") { add(name, bytes) }
    if common != nil {
      for (name, bytes) in looseRefs(under: gitDirectory + "/refs", prefix: "worktree-refs") { add(name, bytes) }
    }
    return material
  }

  /// The git directory of a work tree, a `.git` folder or file, or a bare repository.
  static func gitDirectory(of path: String) -> String? {
    let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    let dotGit = base.hasSuffix("/.git") || base == ".git" ? base : base + "/.git"
    if isDirectory(dotGit) { return dotGit }
    let pointer = readFile(dotGit).map(trimmed) ?? ""
    if pointer.hasPrefix("gitdir:") {
      let target = trimmed(Array(pointer.dropFirst(7).utf8))
      let holder = dotGit.count > 5 ? String(dotGit.dropLast(5)) : "."
      return target.hasPrefix("/") ? target : holder + "/" + target
    }
    if isDirectory(base + "/objects") && isDirectory(base + "/refs") { return base }
    return nil
  }

  /// Every regular file below `folder`, as `prefix/relative/path` with its bytes, sorted by name.
  static func looseRefs(under folder: String, prefix: String) -> [(String, [UInt8])] {
    var found: [(String, [UInt8])] = []
    var pending = [(folder, prefix)]
    var visited = 0
    while let (directory, name) = pending.popLast(), visited < 100_000 {
      visited += 1
      guard let handle = opendir(directory) else { continue }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let child = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if child == "." || child == ".." { continue }
        let childPath = directory + "/" + child
        // The entry's type when the file system gives it, saving a stat per ref.
        let type = entry.pointee.d_type
        if type == UInt8(DT_DIR) || (type == UInt8(DT_UNKNOWN) && isDirectory(childPath)) {
          pending.append((childPath, name + "/" + child))
        } else if let bytes = readFile(childPath) {
          found.append((name + "/" + child, bytes))
        }
      }
    }
    return found.sorted { $0.0 < $1.0 }
  }

  /// A regular file's bytes (following symbolic links); nil when it is missing or not a file.
  static func readFile(_ path: String) -> [UInt8]? {
    // Non-blocking, so a FIFO planted in a hostile repository is skipped instead of waited on.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    // A file too large to hold stands for itself by size and change time (any rewrite changes one).
    if info.st_size > maximumFileBytes {
      return Array("large \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)".utf8)
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      bytes += chunk[0..<count]
    }
    return bytes
  }

  static func trimmed(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
