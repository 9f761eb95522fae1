/// Line-oriented CODEOWNERS parser working on UTF-8 bytes, linear in the input size.
enum CodeOwnersParser {
  static func parse(_ text: String) -> CodeOwnersFile {
    let bytes = Array(text.utf8)
    var builder = Builder()
    var lineStart = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { lineStart = 3 }
    var lineNumber = 1
    while true {
      var lineEnd = lineStart
      while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      // Dropping the CR of CRLF here keeps a trailing `\` from escaping it.
      let contentEnd = lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
      var line = Line(bytes: bytes, start: lineStart, end: contentEnd, number: lineNumber)
      builder.parse(&line)
      if lineEnd >= bytes.count { break }
      lineStart = lineEnd + 1
      lineNumber += 1
    }
    return CodeOwnersFile(rules: builder.rules, sections: builder.sections, errors: builder.errors)
  }

  static func isSpace(_ byte: UInt8) -> Bool {
    // CR counts as whitespace so CRLF files parse like LF files.
    byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
  }

  /// One physical line plus an incremental column cursor (errors arrive left to right).
  struct Line {
    let bytes: [UInt8]
    let start: Int
    let end: Int
    let number: Int
    private var cursorOffset: Int
    private var cursorColumn = 1

    init(bytes: [UInt8], start: Int, end: Int, number: Int) {
      self.bytes = bytes
      self.start = start
      self.end = end
      self.number = number
      self.cursorOffset = start
    }

    /// 1-based column counted in Unicode scalars, so tabs and non-ASCII text count as one column each.
    mutating func column(at offset: Int) -> Int {
      if offset < cursorOffset {
        cursorOffset = start
        cursorColumn = 1
      }
      while cursorOffset < offset {
        if bytes[cursorOffset] & 0xC0 != 0x80 { cursorColumn += 1 }
        cursorOffset += 1
      }
      return cursorColumn
    }

    mutating func error(at offset: Int, _ message: String) -> CodeOwnersSyntaxError {
      CodeOwnersSyntaxError(line: number, column: column(at: offset), message: message)
    }

    func skipSpace(from offset: Int) -> Int {
      var index = offset
      while index < end && CodeOwnersParser.isSpace(bytes[index]) { index += 1 }
      return index
    }

    /// Next whitespace-separated token at or after `offset`; nil at end of line or at a trailing comment.
    func token(from offset: Int) -> Range<Int>? {
      let tokenStart = skipSpace(from: offset)
      if tokenStart == end || bytes[tokenStart] == UInt8(ascii: "#") { return nil }
      var index = tokenStart
      while index < end {
        if bytes[index] == UInt8(ascii: "\\") && index + 1 < end {
          index += 2
        } else if CodeOwnersParser.isSpace(bytes[index]) {
          break
        } else {
          index += 1
        }
      }
      return tokenStart..<index
    }

    func text(_ range: Range<Int>) -> String {
      String(decoding: bytes[range], as: UTF8.self)
    }

    /// Token text for messages, shortened so one huge token cannot produce a huge message.
    func quoted(_ range: Range<Int>) -> String {
      let limit = 80
      guard range.count > limit else { return text(range) }
      var cut = range.lowerBound + limit
      while cut > range.lowerBound && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
      return text(range.lowerBound..<cut) + "…"
    }
  }

  struct Builder {
    /// Collected separately because `CodeOwnersFile.rules` recompiles on every assignment.
    var rules: [CodeOwnersRule] = []
    var sections = [CodeOwnersSection(name: "", line: 0)]
    var errors: [CodeOwnersSyntaxError] = []
    private var sectionByKey: [String: Int] = [:]
    private var currentSection = 0
    private var currentDefaults: [String] = []

    mutating func parse(_ line: inout Line) {
      let first = line.skipSpace(from: line.start)
      guard first < line.end, line.bytes[first] != UInt8(ascii: "#") else { return }
      let opensHeader =
        line.bytes[first] == UInt8(ascii: "[")
        || (line.bytes[first] == UInt8(ascii: "^") && first + 1 < line.end
          && line.bytes[first + 1] == UInt8(ascii: "["))
      if opensHeader {
        parseHeader(&line, at: first)
      } else {
        parseRule(&line, at: first)
      }
    }

    private mutating func parseRule(_ line: inout Line, at first: Int) {
      guard let patternRange = line.token(from: first) else { return }
      let chars = CodeOwnersMatcher.chars(line.bytes, patternRange)
      var lineErrors: [CodeOwnersSyntaxError] = []
      let column = line.column(at: patternRange.lowerBound)
      if let problem = CodeOwnersParser.patternProblem(chars) {
        lineErrors.append(line.error(at: problem.offset, problem.message))
      }
      var owners: [String] = []
      var cursor = patternRange.upperBound
      while let ownerRange = line.token(from: cursor) {
        cursor = ownerRange.upperBound
        if let message = CodeOwnersParser.ownerProblem(line, ownerRange) {
          lineErrors.append(line.error(at: ownerRange.lowerBound, message))
        } else {
          owners.append(line.text(ownerRange))
        }
      }
      // GitHub ignores a line with any invalid part, so it contributes no rule.
      guard lineErrors.isEmpty else {
        errors.append(contentsOf: lineErrors)
        return
      }
      let usesDefaults = owners.isEmpty && !currentDefaults.isEmpty
      rules.append(
        CodeOwnersRule(
          resolvedPattern: String(decoding: chars.map(\.byte), as: UTF8.self),
          owners: usesDefaults ? currentDefaults : owners,
          line: line.number,
          column: column,
          sectionIndex: currentSection,
          usesDefaultOwners: usesDefaults,
          matcher: CodeOwnersMatcher(chars: chars)))
    }

    private mutating func parseHeader(_ line: inout Line, at first: Int) {
      let bytes = line.bytes
      let open = UInt8(ascii: "["), close = UInt8(ascii: "]")
      var index = first
      let optional = bytes[index] == UInt8(ascii: "^")
      if optional { index += 1 }
      let nameOpen = index
      index += 1
      while index < line.end && bytes[index] != close {
        if bytes[index] == open {
          errors.append(line.error(at: index, "unbalanced section header: unexpected '['"))
          return
        }
        index += 1
      }
      guard index < line.end else {
        errors.append(line.error(at: nameOpen, "unbalanced section header: missing ']'"))
        return
      }
      var nameStart = nameOpen + 1
      var nameEnd = index
      while nameStart < nameEnd && CodeOwnersParser.isSpace(bytes[nameStart]) { nameStart += 1 }
      while nameEnd > nameStart && CodeOwnersParser.isSpace(bytes[nameEnd - 1]) { nameEnd -= 1 }
      guard nameStart < nameEnd else {
        errors.append(line.error(at: nameOpen, "empty section name"))
        return
      }
      let name = line.text(nameStart..<nameEnd)
      index += 1
      var approvals: Int?
      if index < line.end && bytes[index] == open {
        let countOpen = index
        index += 1
        let countStart = index
        while index < line.end && bytes[index] != close && bytes[index] != open { index += 1 }
        guard index < line.end, bytes[index] == close else {
          errors.append(line.error(at: countOpen, "unbalanced section header: missing ']'"))
          return
        }
        let digits = bytes[countStart..<index]
        let isNumber =
          !digits.isEmpty && digits.count <= 9
          && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard isNumber, let count = Int(line.text(countStart..<index)), count > 0 else {
          let shown = line.quoted(countStart..<index)
          let message = "invalid approval count \"\(shown)\": expected a positive integer"
          errors.append(line.error(at: digits.isEmpty ? countOpen : countStart, message))
          return
        }
        approvals = count
        index += 1
      }
      if index < line.end && !CodeOwnersParser.isSpace(bytes[index]) {
        let message: String
        let offset: Int
        if bytes[index] == close || bytes[index] == open {
          message = "unbalanced section header: unexpected '\(bytes[index] == close ? "]" : "[")'"
          offset = index
        } else if bytes[index] == UInt8(ascii: "@") {
          message = "missing whitespace between section header and owners"
          offset = index
        } else {
          // Text glued to `[...]` is a gitignore character class, not a section.
          message = CodeOwnersParser.characterRangeMessage
          offset = nameOpen
        }
        errors.append(line.error(at: offset, message))
        return
      }
      var defaults: [String] = []
      var cursor = index
      while let ownerRange = line.token(from: cursor) {
        cursor = ownerRange.upperBound
        if let message = CodeOwnersParser.ownerProblem(line, ownerRange) {
          errors.append(line.error(at: ownerRange.lowerBound, message))
        } else {
          defaults.append(line.text(ownerRange))
        }
      }
      openSection(
        name: name, optional: optional, approvals: approvals, defaults: CodeOwnersFile.union([defaults]),
        line: line.number)
    }

    /// Headers with the same name (case-insensitively) continue one section; the first header's settings win.
    private mutating func openSection(
      name: String, optional: Bool, approvals: Int?, defaults: [String], line: Int
    ) {
      let key = name.lowercased()
      if let existing = sectionByKey[key] {
        sections[existing].defaultOwners = CodeOwnersFile.union([sections[existing].defaultOwners, defaults])
        currentSection = existing
      } else {
        sections.append(
          CodeOwnersSection(
            name: name, optional: optional, approvals: approvals, defaultOwners: defaults, line: line))
        currentSection = sections.count - 1
        sectionByKey[key] = currentSection
      }
      currentDefaults = defaults
    }
  }

  static let characterRangeMessage = "character ranges ([...]) are not supported in CODEOWNERS"

  static func patternProblem(_ chars: [CodeOwnersPatternChar]) -> (offset: Int, message: String)? {
    if let first = chars.first, !first.escaped, first.byte == UInt8(ascii: "!") {
      return (first.offset, "negation (!) is not supported in CODEOWNERS")
    }
    for char in chars where !char.escaped && (char.byte == UInt8(ascii: "[") || char.byte == UInt8(ascii: "]")) {
      return (char.offset, characterRangeMessage)
    }
    return nil
  }

  static let roles: Set<String> = ["developer", "developers", "maintainer", "maintainers", "owner", "owners"]

  static func ownerProblem(_ line: Line, _ range: Range<Int>) -> String? {
    let bytes = line.bytes
    let at = UInt8(ascii: "@")
    if bytes[range.lowerBound] == at {
      if range.count >= 2 && bytes[range.lowerBound + 1] == at {
        let role = line.text(range.lowerBound + 2..<range.upperBound).lowercased()
        if roles.contains(role) {
          return nil
        }
        return "invalid role \"\(line.quoted(range))\": expected @@developer, @@maintainer or @@owner"
      }
      if isHandle(bytes, range.lowerBound + 1..<range.upperBound) { return nil }
    } else if isEmail(bytes, range) {
      return nil
    }
    return "invalid owner \"\(line.quoted(range))\": expected @user, @org/team or an email address"
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
  }

  /// `user`, `org/team` or GitLab `group/subgroup/...`: each part starts with a letter, digit or `_`.
  static func isHandle(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
    var partStart = true
    for byte in bytes[range] {
      if byte == UInt8(ascii: "/") {
        if partStart { return false }
        partStart = true
      } else if partStart {
        guard isAlphanumeric(byte) || byte == UInt8(ascii: "_") else { return false }
        partStart = false
      } else {
        guard
          isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
        else { return false }
      }
    }
    return !partStart
  }

  /// RFC 5322 "atext" punctuation plus `.`, allowed in the local part of an address.
  private static func isEmailSymbol(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
      UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
      UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
      UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }

  /// `local@domain.tld` with a dot-separated hostname of at least two labels.
  static func isEmail(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
    guard let at = bytes[range].firstIndex(of: UInt8(ascii: "@")), at > range.lowerBound else { return false }
    for byte in bytes[range.lowerBound..<at] where !isAlphanumeric(byte) && !isEmailSymbol(byte) {
      return false
    }
    var labels = 0
    var labelLength = 0
    var previous: UInt8 = UInt8(ascii: ".")
    for byte in bytes[(at + 1)..<range.upperBound] {
      if byte == UInt8(ascii: ".") {
        guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
        labels += 1
        labelLength = 0
      } else {
        guard isAlphanumeric(byte) || (byte == UInt8(ascii: "-") && labelLength > 0) else { return false }
        labelLength += 1
      }
      previous = byte
    }
    guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
    return labels + 1 >= 2
  }
}
