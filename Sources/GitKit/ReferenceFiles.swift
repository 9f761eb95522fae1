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
  /// Files the repository's config includes are read too; `home` is the folder `~/` stands for in their paths.
  public static func state(at path: String, home: String) -> [UInt8]? {
    guard let gitDirectory = gitDirectory(of: path) else { return nil }
    // Files are opened relative to the git directory's descriptor: one path walk instead of one per file.
    let gitFolder = open(gitDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard gitFolder >= 0 else { return nil }
    defer { close(gitFolder) }
    // A linked worktree keeps its own HEAD but shares refs, packed-refs and config with the main one.
    var sharedFolder = gitFolder
    var common = false
    var sharedPath = gitDirectory
    if let text = readFile(in: gitFolder, "commondir") {
      sharedPath = commonDirectory(text, of: gitDirectory)
      sharedFolder = open(sharedPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      common = true
    }
    defer { if common && sharedFolder >= 0 { close(sharedFolder) } }
    var material: [UInt8] = []
    func add(_ label: String, _ bytes: [UInt8]?) { append(label, bytes, to: &material) }
    guard let head = readFile(in: gitFolder, "HEAD") else { return nil }
    add("HEAD", head)
    for file in ["packed-refs", "config", "shallow", "info/grafts", "objects/info/alternates"] {
      let bytes = sharedFolder >= 0 ? readFile(in: sharedFolder, file) : nil
      add(file, bytes)
      if file == "config", let bytes {
        // Each included file after the one that names it, as deep as git follows them.
        forEachInclude(of: bytes, from: sharedPath + "/config", home: home) { included, contents in
          add("include " + included, contents)
        }
      }
    }
    if sharedFolder >= 0 {
      for (name, bytes) in looseRefs(in: sharedFolder, "refs", prefix: "refs") { add(name, bytes) }
    }
    if common {
      for (name, bytes) in looseRefs(in: gitFolder, "refs", prefix: "worktree-refs") { add(name, bytes) }
    }
    return material
  }

  /// The first of git's own files in `path`'s git directory (or a file its config includes) that exists but is not a
  /// regular file: libgit2 opens them with blocking reads, so a FIFO planted there would hang the run for ever.
  public static func blockingFile(at path: String, home: String) -> String? {
    guard let gitDirectory = gitDirectory(of: path) else { return nil }
    let shared = readFile(gitDirectory + "/commondir").map { commonDirectory($0, of: gitDirectory) } ?? gitDirectory
    var candidates = [gitDirectory + "/HEAD", gitDirectory + "/commondir", gitDirectory + "/index"]
    candidates += [
      "config", "packed-refs", "shallow", "info/grafts", "objects/info/alternates", "objects/info/commit-graph",
      "objects/pack/multi-pack-index",
    ].map { shared + "/" + $0 }
    if let config = readFile(shared + "/config") {
      forEachInclude(of: config, from: shared + "/config", home: home) { included, _ in candidates.append(included) }
    }
    let planted = candidates.first { candidate in
      var info = stat()
      guard stat(candidate, &info) == 0 else { return false }
      let kind = info.st_mode & S_IFMT
      return kind != S_IFREG && kind != S_IFDIR
    }
    if let planted { return planted }
    // libgit2 opens loose refs and pack files the same way when it lists references and looks up objects.
    var folders = [shared + "/refs", shared + "/objects/pack"]
    if shared != gitDirectory { folders.append(gitDirectory + "/refs") }
    return folders.lazy.compactMap(firstSpecialFile(under:)).first
  }

  /// The first entry below `folder` that is neither a regular file, a folder nor a symbolic link, found from the
  /// directory entries' types (no stat per ref); nil when there is none.
  static func firstSpecialFile(under folder: String) -> String? {
    var pending = [folder]
    var visited = 0
    while let directory = pending.popLast(), visited < 100_000 {
      visited += 1
      guard let handle = opendir(directory) else { continue }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let child = entryName(entry)
        if child == "." || child == ".." { continue }
        let path = directory + "/" + child
        var type = entry.pointee.d_type
        if type == UInt8(DT_UNKNOWN) {
          var info = stat()
          guard lstat(path, &info) == 0 else { continue }
          let kind = info.st_mode & S_IFMT
          type = kind == S_IFDIR ? UInt8(DT_DIR) : kind == S_IFREG || kind == S_IFLNK ? UInt8(DT_REG) : UInt8(DT_FIFO)
        }
        if type == UInt8(DT_DIR) {
          pending.append(path)
        } else if type != UInt8(DT_REG) && type != UInt8(DT_LNK) {
          return path
        }
      }
    }
    return nil
  }

  /// The folder a linked worktree's `commondir` file names: absolute, or relative to the worktree's git directory.
  static func commonDirectory(_ commondir: [UInt8], of gitDirectory: String) -> String {
    let target = trimmed(commondir)
    return target.hasPrefix("/") ? target : gitDirectory + "/" + target
  }

  /// A directory entry's name, as the bytes in `d_name` up to their end.
  static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
  }

  /// More included files than any real configuration has; a hostile one that includes itself over and over
  /// stops here instead of fanning out to git's depth.
  static let maximumIncludes = 100

  /// Each file a configuration includes, with its bytes (nil when missing or not a regular file), each right after
  /// the one that names it, followed as deep as git follows them and no further than `maximumIncludes` files.
  static func forEachInclude(
    of bytes: [UInt8], from file: String, home: String, _ visit: (String, [UInt8]?) -> Void
  ) {
    var budget = maximumIncludes
    func walk(_ bytes: [UInt8], from file: String, depth: Int) {
      guard depth <= ConfigIncludes.maximumDepth else { return }
      for path in ConfigIncludes.paths(in: bytes) {
        guard budget > 0 else { return }
        budget -= 1
        let included = ConfigIncludes.resolve(path, includedFrom: file, home: home)
        let contents = readFile(included)
        visit(included, contents)
        if let contents { walk(contents, from: included, depth: depth + 1) }
      }
    }
    walk(bytes, from: file, depth: 1)
  }

  /// One file in the material: its label, then its length and bytes, or a mark that it is absent.
  static func append(_ label: String, _ bytes: [UInt8]?, to material: inout [UInt8]) {
    material.append(contentsOf: label.utf8)
    material.append(0)
    if let bytes {
      material.append(contentsOf: String(bytes.count).utf8)
      material.append(0)
      material.append(contentsOf: bytes)
    } else {
      material.append(1)
    }
    material.append(0x0A)
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

  /// Every regular file below `folder` (relative to the open directory `base`), as `prefix/relative/path`
  /// with its bytes, sorted by name.
  static func looseRefs(in base: Int32, _ folder: String, prefix: String) -> [(String, [UInt8])] {
    var found: [(String, [UInt8])] = []
    var pending = [(folder, prefix)]
    var visited = 0
    while let (directory, name) = pending.popLast(), visited < 100_000 {
      visited += 1
      let descriptor = openat(base, directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard descriptor >= 0 else { continue }
      guard let handle = fdopendir(descriptor) else {
        close(descriptor)
        continue
      }
      defer { closedir(handle) }
      while let entry = readdir(handle) {
        let child = entryName(entry)
        if child == "." || child == ".." { continue }
        // The entry's type when the file system gives it, saving a stat per ref.
        let type = entry.pointee.d_type
        if type == UInt8(DT_DIR) || (type == UInt8(DT_UNKNOWN) && isDirectory(child, in: descriptor)) {
          pending.append((directory + "/" + child, name + "/" + child))
        } else if let bytes = readFile(in: descriptor, child) {
          found.append((name + "/" + child, bytes))
        }
      }
    }
    return found.sorted { $0.0 < $1.0 }
  }

  /// A regular file's bytes (following symbolic links); nil when it is missing or not a file.
  static func readFile(_ path: String) -> [UInt8]? { readFile(in: AT_FDCWD, path) }

  /// A regular file's bytes, `name` relative to the open directory `folder`; nil when missing or not a file.
  static func readFile(in folder: Int32, _ name: String) -> [UInt8]? {
    // Non-blocking, so a FIFO planted in a hostile repository is skipped instead of waited on.
    let descriptor = openat(folder, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    // A file too large to hold stands for itself by size and change time (any rewrite changes one).
    if info.st_size > maximumFileBytes {
      return Array("large \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)".utf8)
    }
    // Sized by fstat, read until end of file (it may have grown since).
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
    var filled = 0
    while true {
      if filled == bytes.count { bytes += [UInt8](repeating: 0, count: max(bytes.count, 4096)) }
      let count = bytes.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
      }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      filled += count
      // A regular file reads short only at its end: no second call to be told so.
      if filled < bytes.count { break }
    }
    bytes.removeSubrange(filled...)
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
