/// The files a git configuration pulls in with `include.path` and `includeIf.<condition>.path`, read
/// from its bytes with git's config syntax (sections, quoting, escapes, comments, continued lines).
/// Conditions are not evaluated: a file that may apply is part of what decides the configuration.
enum ConfigIncludes {
  /// git stops following includes this deep.
  static let maximumDepth = 10

  /// The `path` values of `[include]` and `[includeIf "…"]` sections, in order, as written.
  static func paths(in bytes: [UInt8]) -> [String] {
    var reader = ConfigReader(bytes: bytes)
    var paths: [String] = []
    var inInclude = false
    while let line = reader.nextStatement() {
      switch line {
      // git reads `include.path` and `includeIf.<condition>.path`: nothing else, `include.<other>.path` neither.
      case .section(let name, let subsection):
        inInclude = (name == "include" && subsection == nil) || (name == "includeif" && subsection != nil)
      case .entry(let key, let value): if inInclude, key == "path", let value, !value.isEmpty { paths.append(value) }
      }
    }
    return paths
  }

  /// The names of the `[remote "name"]` sections that give a `url`, in order. Read here rather than through
  /// libgit2's remote list, which matches a regular expression against every entry of the configuration (a
  /// hostile 200,000-entry config took a gigabyte).
  static func remoteNames(in bytes: [UInt8]) -> [String] {
    var reader = ConfigReader(bytes: bytes)
    var names: [String] = []
    var seen: Set<String> = []
    var remote: String?
    while let line = reader.nextStatement() {
      switch line {
      case .section(let name, let subsection): remote = name == "remote" ? subsection : nil
      case .entry(let key, let value):
        if key == "url", value != nil, let remote, seen.insert(remote).inserted { names.append(remote) }
      }
    }
    return names
  }

  /// An include's path as git resolves it: `~/` from the home folder, a relative path from the
  /// folder of the file that includes it.
  static func resolve(_ path: String, includedFrom file: String, home: String) -> String {
    if path.hasPrefix("~/") { return home + path.dropFirst(1) }
    if path.hasPrefix("/") { return path }
    let folder = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
    return folder + "/" + path
  }
}

/// A forward-only reader of git config statements: section headers and `key = value` entries.
private struct ConfigReader {
  enum Statement {
    /// Lowercased section name, and its subsection (as written when quoted, lowercased in the old dotted form).
    case section(String, subsection: String?)
    /// Lowercased key and its unquoted value (nil for a bare `key`, which means true).
    case entry(String, String?)
  }

  let bytes: [UInt8]
  var position = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func skipBlanks() {
    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 }
  }

  mutating func skipLine() {
    while let byte = current, byte != 0x0A { position += 1 }
    if current != nil { position += 1 }
  }

  static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x2E
  }

  mutating func nextStatement() -> Statement? {
    while position < bytes.count {
      skipBlanks()
      guard let byte = current else { return nil }
      switch byte {
      case 0x0A: position += 1
      case 0x23, 0x3B: skipLine()  // # and ; comments
      case 0x5B: return section()
      default:
        guard Self.isNameByte(byte) else {
          skipLine()
          continue
        }
        return entry()
      }
    }
    return nil
  }

  /// `[name]`, `[name "subsection"]` or the older `[name.subsection]`; a key may follow on the same line.
  mutating func section() -> Statement {
    position += 1
    let start = position
    while let byte = current, Self.isNameByte(byte) { position += 1 }
    var name = String(decoding: bytes[start..<position], as: UTF8.self).lowercased()
    var subsection: [UInt8]?
    if let dot = name.firstIndex(of: ".") {
      subsection = Array(name[name.index(after: dot)...].utf8)
      name = String(name[..<dot])
    }
    // The subsection, quoted with escapes, or anything else up to the closing bracket.
    var quoted = false
    while let byte = current, byte != 0x0A {
      position += 1
      if quoted && byte == 0x5C {
        if let escaped = current, escaped != 0x0A {
          subsection?.append(escaped)
          position += 1
        }
      } else if byte == 0x22 {
        quoted.toggle()
        if quoted && subsection == nil { subsection = [] }
      } else if quoted {
        subsection?.append(byte)
      } else if byte == 0x5D {
        break
      }
    }
    return .section(name, subsection: subsection.map { String(decoding: $0, as: UTF8.self) })
  }

  /// `key`, or `key = value` with git's value syntax: quotes, backslash escapes, comments, and a backslash
  /// before the end of a line continuing the value on the next.
  mutating func entry() -> Statement {
    let start = position
    while let byte = current, Self.isNameByte(byte) { position += 1 }
    let key = String(decoding: bytes[start..<position], as: UTF8.self).lowercased()
    skipBlanks()
    guard current == 0x3D else {
      skipLine()
      return .entry(key, nil)
    }
    position += 1
    var value: [UInt8] = []
    var pendingBlanks: [UInt8] = []
    var quoted = false
    var started = false
    scanning: while let byte = current {
      position += 1
      if byte == 0x0A { break }
      if !quoted && (byte == 0x23 || byte == 0x3B) {  // a comment ends the value
        skipLine()
        break
      }
      if !quoted && (byte == 0x20 || byte == 0x09 || byte == 0x0D) {
        // Blanks inside a value are kept; leading and trailing ones are not.
        if started { pendingBlanks.append(byte) }
        continue
      }
      value += pendingBlanks
      pendingBlanks = []
      started = true
      switch byte {
      case 0x22: quoted.toggle()
      case 0x5C:
        guard let next = current else { break scanning }
        position += 1
        switch next {
        case 0x0A: continue  // a continued line
        case 0x0D where current == 0x0A: position += 1
        case 0x6E: value.append(0x0A)
        case 0x74: value.append(0x09)
        case 0x62: if !value.isEmpty { value.removeLast() }
        default: value.append(next)
        }
      default: value.append(byte)
      }
    }
    return .entry(key, String(decoding: value, as: UTF8.self))
  }
}
