/// A container image reference as Docker's reference grammar reads it.
public struct ImageReference: Sendable, Equatable {
  /// "gcr.io", "registry.example.com:5000"; nil for Docker Hub.
  public var registry: String?
  /// The path as written without the registry: "ubuntu", "library/ubuntu", "acme/app".
  public var repository: String
  public var tag: String?
  /// "sha256:…".
  public var digest: String?

  public init(registry: String? = nil, repository: String, tag: String? = nil, digest: String? = nil) {
    self.registry = registry
    self.repository = repository
    self.tag = tag
    self.digest = digest
  }

  /// registry + "/" + repository (or repository): the identity for roll-ups.
  public var name: String {
    registry.map { "\($0)/\(repository)" } ?? repository
  }

  /// Nil for empty or invalid references.
  public static func parse(_ text: String) -> ImageReference? {
    guard !text.isEmpty, text.utf8.count <= 4096, text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
    var rest = Substring(text)
    var digest: String?
    if let at = rest.firstIndex(of: "@") {
      let value = rest[rest.index(after: at)...]
      guard ImageGrammar.isDigest(value) else { return nil }
      digest = String(value)
      rest = rest[..<at]
    }
    var registry: String?
    if let slash = rest.firstIndex(of: "/") {
      let first = rest[..<slash]
      // Docker's rule: a first component with ".", ":", upper case, or "localhost" names a registry.
      if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
        guard ImageGrammar.isRegistry(first) else { return nil }
        registry = String(first)
        rest = rest[rest.index(after: slash)...]
      }
    }
    var tag: String?
    if let colon = rest.lastIndex(of: ":") {
      let value = rest[rest.index(after: colon)...]
      guard ImageGrammar.isTag(value) else { return nil }
      tag = String(value)
      rest = rest[..<colon]
    }
    guard ImageGrammar.isRepository(rest) else { return nil }
    if let host = registry?.lowercased(), ["docker.io", "index.docker.io", "registry-1.docker.io"].contains(host) {
      registry = nil
    }
    return ImageReference(registry: registry, repository: String(rest), tag: tag, digest: digest)
  }
}

public struct DockerfileStage: Sendable, Equatable {
  /// As written after --flags, before AS.
  public var rawImage: String
  /// After ARG substitution; unresolved variables stay as written.
  public var resolvedImage: String
  /// Nil when scratch, an earlier stage, or unresolvable.
  public var image: ImageReference?
  /// AS name, lower-cased as Docker does.
  public var stageName: String?
  /// The --platform=… value as written.
  public var platform: String?
  /// The earlier stage this FROM builds on (exempt from pinning).
  public var referencesStage: String?
  public var isScratch: Bool
  /// ARGs with no value (no default, or never declared) that the image depends on.
  public var unresolvedVariables: [String]
  /// 1-based line of the FROM keyword.
  public var line: Int

  public init(
    rawImage: String, resolvedImage: String, image: ImageReference?, stageName: String?, platform: String?,
    referencesStage: String?, isScratch: Bool, unresolvedVariables: [String], line: Int
  ) {
    self.rawImage = rawImage
    self.resolvedImage = resolvedImage
    self.image = image
    self.stageName = stageName
    self.platform = platform
    self.referencesStage = referencesStage
    self.isScratch = isScratch
    self.unresolvedVariables = unresolvedVariables
    self.line = line
  }
}

public struct DockerfileParseResult: Sendable, Equatable {
  public var stages: [DockerfileStage]
  public var errors: [DockerfileError]

  public init(stages: [DockerfileStage], errors: [DockerfileError]) {
    self.stages = stages
    self.errors = errors
  }
}

public struct DockerfileError: Sendable, Equatable {
  public var line: Int
  public var message: String

  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }
}

public enum Dockerfile {
  /// Reads the FROM instructions of a Dockerfile the way BuildKit's parser splits it.
  public static func parse(_ text: String) -> DockerfileParseResult {
    var parser = DockerfileScanner(text: text)
    parser.run()
    return DockerfileParseResult(stages: parser.stages, errors: parser.errors)
  }
}

/// A global ARG: its value, or nil when declared without a default, plus unset ARGs its default used.
private struct DockerArg {
  var value: String?
  var unresolved: [String]
}

private struct DockerfileScanner {
  var lines: [String]
  var escape: Character = "\\"
  var globals: [String: DockerArg] = [:]
  var stages: [DockerfileStage] = []
  /// Names of the stages so far: a FROM naming one builds on it rather than pulling an image.
  var stageNames: Set<String> = []
  var errors: [DockerfileError] = []

  init(text: String) {
    // Split on bytes so "\r\n" (one Character in Swift) still ends a line.
    lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
      var line = String(decoding: bytes, as: UTF8.self)
      if line.hasSuffix("\r") { line.removeLast() }
      return line
    }
    if let first = lines.first, first.hasPrefix("\u{FEFF}") {
      lines[0] = String(first.dropFirst())
    }
  }

  mutating func run() {
    readDirectives()
    var index = 0
    while index < lines.count {
      let startLine = index + 1
      let first = DockerText.trimLeading(lines[index])
      index += 1
      if first.hasPrefix("#") { continue }
      var (content, ended) = trimContinuation(first)
      if ended && DockerText.isBlank(content) { continue }
      while !ended && index < lines.count {
        let next = lines[index]
        index += 1
        let trimmed = DockerText.trimLeading(next)
        // BuildKit drops comment lines and blank lines inside a continuation.
        if trimmed.hasPrefix("#") || DockerText.isBlank(trimmed) { continue }
        let piece = trimContinuation(next)
        content += piece.text
        ended = piece.ended
      }
      let (keyword, arguments) = DockerText.splitCommand(content)
      switch keyword.lowercased() {
      case "arg" where stages.isEmpty && !sawFrom:
        readGlobalArgs(arguments, line: startLine)
      case "from":
        sawFrom = true
        readFrom(arguments, line: startLine)
      case "run", "copy", "add":
        index = skipHeredocs(in: arguments, from: index)
      default:
        break
      }
    }
  }

  var sawFrom = false

  /// `# key=value` lines at the very top; the first other line ends them.
  mutating func readDirectives() {
    var seen: Set<String> = []
    for (offset, line) in lines.enumerated() {
      guard let (key, value) = DockerText.directive(line) else { return }
      guard ["syntax", "escape", "check"].contains(key) else { return }
      if seen.contains(key) {
        errors.append(DockerfileError(line: offset + 1, message: "Only one \(key) parser directive can be used."))
        continue
      }
      seen.insert(key)
      if key == "escape" {
        if value == "`" || value == "\\" {
          escape = Character(value)
        } else {
          errors.append(
            DockerfileError(line: offset + 1, message: "Invalid escape token \"\(value)\"; it must be ` or \\."))
        }
      }
    }
  }

  func trimContinuation(_ line: Substring) -> (text: String, ended: Bool) {
    var end = line.endIndex
    while end > line.startIndex, line[line.index(before: end)] == " " || line[line.index(before: end)] == "\t" {
      end = line.index(before: end)
    }
    if end > line.startIndex, line[line.index(before: end)] == escape {
      return (String(line[..<line.index(before: end)]), false)
    }
    return (String(line), true)
  }

  func trimContinuation(_ line: String) -> (text: String, ended: Bool) {
    trimContinuation(Substring(line))
  }

  // MARK: ARG

  mutating func readGlobalArgs(_ arguments: String, line: Int) {
    let words = DockerText.shellWords(arguments, escape: escape)
    if words.isEmpty {
      errors.append(DockerfileError(line: line, message: "ARG requires at least one argument."))
    }
    for word in words {
      guard let equals = word.firstIndex(of: "=") else {
        globals[word] = DockerArg(value: nil, unresolved: [])
        continue
      }
      let name = String(word[..<equals])
      guard !name.isEmpty else {
        errors.append(DockerfileError(line: line, message: "ARG \"\(word)\" has no name before \"=\"."))
        continue
      }
      var expander = WordExpander(env: globals, escape: escape)
      let value = expander.expand(String(word[word.index(after: equals)...]))
      if let problem = expander.error {
        errors.append(DockerfileError(line: line, message: problem))
      }
      globals[name] = DockerArg(value: value, unresolved: expander.unresolved)
    }
  }

  // MARK: FROM

  mutating func readFrom(_ arguments: String, line: Int) {
    var words = arguments.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    var platform: String?
    while let flag = words.first, flag.hasPrefix("--") {
      words.removeFirst()
      let body = flag.dropFirst(2)
      let name = body.prefix { $0 != "=" }
      guard name == "platform" else {
        errors.append(DockerfileError(line: line, message: "Unknown flag --\(name) for FROM."))
        continue
      }
      guard let equals = body.firstIndex(of: "="), body.index(after: equals) < body.endIndex else {
        errors.append(DockerfileError(line: line, message: "Missing a value on flag --platform."))
        continue
      }
      platform = String(body[body.index(after: equals)...])
    }
    guard let rawImage = words.first else {
      errors.append(DockerfileError(line: line, message: "FROM requires an image name."))
      return
    }
    var stageName: String?
    if words.count == 3 && words[1].lowercased() == "as" {
      stageName = words[2].lowercased()
    } else if words.count != 1 {
      errors.append(
        DockerfileError(line: line, message: "FROM requires either one or three arguments (IMAGE [AS NAME])."))
    }
    if let name = stageName {
      if !DockerText.isValidStageName(name) {
        errors.append(
          DockerfileError(
            line: line,
            message:
              "Invalid build stage name \"\(name)\": it must start with a letter and contain only letters, digits, \"-\", \"_\" or \".\"."
          ))
      } else if stageNames.contains(name) {
        errors.append(DockerfileError(line: line, message: "Duplicate build stage name \"\(name)\"."))
      }
    }
    var expander = WordExpander(env: globals, escape: escape)
    let resolved = expander.expand(rawImage)
    if let problem = expander.error {
      errors.append(DockerfileError(line: line, message: problem))
    }
    let unresolved = expander.unresolved
    let lowered = resolved.lowercased()
    let known = unresolved.isEmpty && expander.error == nil
    let isScratch = known && lowered == "scratch"
    let earlier = known && stageNames.contains(lowered) ? lowered : nil
    var image: ImageReference?
    if known && !isScratch && earlier == nil {
      image = ImageReference.parse(resolved)
      if image == nil {
        errors.append(DockerfileError(line: line, message: "\"\(resolved)\" is not a valid image reference."))
      }
    }
    stages.append(
      DockerfileStage(
        rawImage: rawImage, resolvedImage: resolved, image: image, stageName: stageName, platform: platform,
        referencesStage: earlier, isScratch: isScratch, unresolvedVariables: unresolved, line: line))
    if let stageName { stageNames.insert(stageName) }
  }

  // MARK: Heredocs

  /// Skips the bodies of `<<EOF` / `<<-EOF` heredocs so their lines are not read as instructions.
  func skipHeredocs(in arguments: String, from index: Int) -> Int {
    var next = index
    for (word, stripTabs) in DockerText.heredocWords(arguments) {
      while next < lines.count {
        var body = Substring(lines[next])
        next += 1
        if stripTabs { body = body.drop(while: { $0 == "\t" }) }
        if body == word { break }
      }
    }
    return next
  }
}

/// Expands $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}, ${NAME:?}, ${NAME#pat} and kin, plus quotes.
private struct WordExpander {
  let env: [String: DockerArg]
  let escape: Character
  /// How many `${NAME:-…}` words enclose this one; capped so hostile input cannot exhaust the stack.
  let depth: Int
  var unresolved: [String] = []
  var error: String?

  static let maximumDepth = 32

  init(env: [String: DockerArg], escape: Character, depth: Int = 0) {
    self.env = env
    self.escape = escape
    self.depth = depth
  }

  mutating func expand(_ word: String) -> String {
    let chars = Array(word)
    var index = 0
    return expand(chars, &index, until: nil)
  }

  /// Expands from `index` until `terminator` (at brace depth 0) or the end.
  mutating func expand(_ chars: [Character], _ index: inout Int, until terminator: Character?) -> String {
    var out = ""
    while index < chars.count {
      let char = chars[index]
      if let terminator, char == terminator { return out }
      if char == escape {
        if index + 1 < chars.count {
          out.append(chars[index + 1])
          index += 2
        } else {
          out.append(char)
          index += 1
        }
      } else if char == "'" {
        index += 1
        while index < chars.count, chars[index] != "'" {
          out.append(chars[index])
          index += 1
        }
        if index >= chars.count {
          noteError("Unexpected end of statement while looking for the matching single quote.")
        }
        index += 1
      } else if char == "\"" {
        index += 1
        while index < chars.count, chars[index] != "\"" {
          let inner = chars[index]
          if inner == escape, index + 1 < chars.count, ["\"", "$", escape].contains(chars[index + 1]) {
            out.append(chars[index + 1])
            index += 2
          } else if inner == "$" {
            out += variable(chars, &index)
          } else {
            out.append(inner)
            index += 1
          }
        }
        if index >= chars.count {
          noteError("Unexpected end of statement while looking for the matching double quote.")
        }
        index += 1
      } else if char == "$" {
        out += variable(chars, &index)
      } else {
        out.append(char)
        index += 1
      }
    }
    return out
  }

  mutating func noteError(_ message: String) {
    if error == nil { error = message }
  }

  static func isNameCharacter(_ char: Character) -> Bool {
    char == "_" || (char.isASCII && (char.isLetter || char.isNumber))
  }

  /// `index` points at "$"; returns the expansion and leaves `index` after the expression.
  mutating func variable(_ chars: [Character], _ index: inout Int) -> String {
    let start = index
    index += 1
    guard index < chars.count else { return "$" }
    if chars[index] != "{" {
      var name = ""
      while index < chars.count, Self.isNameCharacter(chars[index]) {
        name.append(chars[index])
        index += 1
      }
      if name.isEmpty { return "$" }
      return plain(name, raw: String(chars[start..<index]))
    }
    index += 1
    var name = ""
    while index < chars.count, Self.isNameCharacter(chars[index]) {
      name.append(chars[index])
      index += 1
    }
    guard index < chars.count else {
      noteError("Missing \"}\" in variable substitution.")
      return String(chars[start...])
    }
    if name.isEmpty {
      noteError("Bad substitution: a variable name is missing after \"${\".")
      skipToBrace(chars, &index)
      return ""
    }
    if chars[index] == "}" {
      index += 1
      return plain(name, raw: String(chars[start..<index]))
    }
    var modifier = String(chars[index])
    index += 1
    if modifier == ":" {
      guard index < chars.count, ["-", "+", "?"].contains(chars[index]) else {
        noteError("Unsupported modifier in \"${\(name):…}\".")
        skipToBrace(chars, &index)
        return ""
      }
      modifier += String(chars[index])
      index += 1
    } else if (modifier == "#" || modifier == "%"), index < chars.count, chars[index] == chars[index - 1] {
      modifier += modifier
      index += 1
    }
    guard ["-", ":-", "+", ":+", "?", ":?", "#", "##", "%", "%%"].contains(modifier) else {
      noteError("Unsupported substitution \"${\(name)\(modifier)…}\".")
      skipToBrace(chars, &index)
      return ""
    }
    if depth >= Self.maximumDepth {
      noteError("Variable substitutions are nested too deeply.")
      index = chars.count
      return ""
    }
    // The word may hold further substitutions; expand it in a scratch copy and only keep what is used.
    var wordExpander = WordExpander(env: env, escape: escape, depth: depth + 1)
    let word = wordExpander.expand(chars, &index, until: "}")
    // Syntax errors in the word count whether or not the word is used, as in Docker's lexer.
    if let problem = wordExpander.error { noteError(problem) }
    if index < chars.count { index += 1 } else { noteError("Missing \"}\" in variable substitution.") }
    let end = min(index, chars.count)
    var raw: String { String(chars[start..<end]) }
    let known = lookup(name)
    let isSet = known != nil
    let value = known?.value ?? ""
    func useWord() -> String {
      unresolved.append(contentsOf: wordExpander.unresolved.filter { !unresolved.contains($0) })
      return word
    }
    switch modifier {
    case ":-": return isSet && !value.isEmpty ? use(known) : useWord()
    case "-": return isSet ? use(known) : useWord()
    case ":+": return isSet && !value.isEmpty ? useWord() : ""
    case "+": return isSet ? useWord() : ""
    case ":?", "?":
      if isSet && (modifier == "?" || !value.isEmpty) { return use(known) }
      return markUnresolved(name, raw: raw)
    default:
      guard isSet else { return markUnresolved(name, raw: raw) }
      let pattern = useWord()
      return DockerText.removePattern(from: use(known), pattern: pattern, modifier: modifier)
    }
  }

  mutating func skipToBrace(_ chars: [Character], _ index: inout Int) {
    while index < chars.count, chars[index] != "}" { index += 1 }
    if index < chars.count { index += 1 }
  }

  /// A known value (possibly carrying unset ARGs from its own default), or nil when unset.
  func lookup(_ name: String) -> DockerArg? {
    guard let arg = env[name], arg.value != nil else { return nil }
    return arg
  }

  mutating func use(_ arg: DockerArg?) -> String {
    guard let arg else { return "" }
    for name in arg.unresolved where !unresolved.contains(name) { unresolved.append(name) }
    return arg.value ?? ""
  }

  mutating func plain(_ name: String, raw: String) -> String {
    guard let arg = lookup(name) else { return markUnresolved(name, raw: raw) }
    return use(arg)
  }

  mutating func markUnresolved(_ name: String, raw: String) -> String {
    if !unresolved.contains(name) { unresolved.append(name) }
    return raw
  }
}

/// Line-level helpers for the Dockerfile scanner.
private enum DockerText {
  static func trimLeading(_ line: String) -> Substring {
    Substring(line).drop(while: { $0 == " " || $0 == "\t" })
  }

  static func isBlank<S: StringProtocol>(_ text: S) -> Bool {
    text.allSatisfy { $0 == " " || $0 == "\t" }
  }

  /// "FROM  ubuntu AS x" -> ("FROM", "ubuntu AS x").
  static func splitCommand(_ line: String) -> (String, String) {
    let trimmed = Substring(line).drop(while: { $0 == " " || $0 == "\t" })
    let keyword = trimmed.prefix { $0 != " " && $0 != "\t" }
    let rest = trimmed.dropFirst(keyword.count).drop(while: { $0 == " " || $0 == "\t" })
    var end = rest.endIndex
    while end > rest.startIndex, rest[rest.index(before: end)] == " " || rest[rest.index(before: end)] == "\t" {
      end = rest.index(before: end)
    }
    return (String(keyword), String(rest[..<end]))
  }

  /// `# key = value` as BuildKit reads a parser directive; key lower-cased.
  static func directive(_ line: String) -> (String, String)? {
    var rest = Substring(line)
    guard rest.first == "#" else { return nil }
    rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
    let key = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
    guard let first = key.first, first.isLetter else { return nil }
    rest = rest.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" })
    guard rest.first == "=" else { return nil }
    rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
    var end = rest.endIndex
    while end > rest.startIndex, rest[rest.index(before: end)] == " " || rest[rest.index(before: end)] == "\t" {
      end = rest.index(before: end)
    }
    let value = rest[..<end]
    guard !value.isEmpty else { return nil }
    return (key.lowercased(), String(value))
  }

  /// Whitespace-separated words that keep quoted runs (and their quotes) together.
  static func shellWords(_ text: String, escape: Character) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var pendingEscape = false
    var inWord = false
    for char in text {
      if pendingEscape {
        current.append(char)
        pendingEscape = false
        continue
      }
      if char == escape && quote != "'" {
        current.append(char)
        pendingEscape = true
        inWord = true
        continue
      }
      if let open = quote {
        current.append(char)
        if char == open { quote = nil }
        continue
      }
      if char == " " || char == "\t" {
        if inWord { words.append(current) }
        current = ""
        inWord = false
        continue
      }
      if char == "\"" || char == "'" { quote = char }
      current.append(char)
      inWord = true
    }
    if inWord { words.append(current) }
    return words
  }

  /// BuildKit's stage names: ^[a-z][a-z0-9-_.]*$.
  static func isValidStageName(_ name: String) -> Bool {
    guard let first = name.first, first.isASCII, first.isLowercase else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
  }

  /// The terminators of `<<WORD`, `<<-WORD`, `<<"WORD"` and `<<'WORD'` in a RUN/COPY/ADD line.
  static func heredocWords(_ arguments: String) -> [(String, Bool)] {
    var result: [(String, Bool)] = []
    let chars = Array(arguments)
    var index = 0
    while index + 1 < chars.count {
      guard chars[index] == "<", chars[index + 1] == "<" else {
        index += 1
        continue
      }
      index += 2
      if index < chars.count, chars[index] == "<" {
        while index < chars.count, chars[index] == "<" { index += 1 }
        continue
      }
      var stripTabs = false
      if index < chars.count, chars[index] == "-" {
        stripTabs = true
        index += 1
      }
      var quote: Character?
      if index < chars.count, chars[index] == "\"" || chars[index] == "'" {
        quote = chars[index]
        index += 1
      }
      var word = ""
      while index < chars.count,
        chars[index] == "_" || (chars[index].isASCII && (chars[index].isLetter || chars[index].isNumber))
      {
        word.append(chars[index])
        index += 1
      }
      if let quote, index < chars.count, chars[index] == quote { index += 1 }
      if let first = word.first, !first.isNumber { result.append((word, stripTabs)) }
    }
    return result
  }

  /// ${NAME#pat}, ${NAME##pat}, ${NAME%pat}, ${NAME%%pat} with * and ? wildcards.
  static func removePattern(from value: String, pattern: String, modifier: String) -> String {
    let chars = Array(value)
    let pat = Array(pattern)
    // Each try is O(n·m); very long operands are left alone rather than risk quadratic blow-ups.
    guard chars.count <= 1_024, pat.count <= 1_024 else { return value }
    let count = chars.count
    switch modifier {
    case "#", "##":
      let lengths = modifier == "#" ? Array(0...count) : Array((0...count).reversed())
      for length in lengths where glob(pat, chars[0..<length]) {
        return String(chars[length...])
      }
    default:
      let starts = modifier == "%" ? Array((0...count).reversed()) : Array(0...count)
      for start in starts where glob(pat, chars[start..<count]) {
        return String(chars[..<start])
      }
    }
    return value
  }

  /// Shell-style matching of * and ? without recursion (the classic single-backtrack scan).
  static func glob(_ pattern: [Character], _ text: ArraySlice<Character>) -> Bool {
    let text = Array(text)
    var p = 0
    var t = 0
    var star: Int?
    var resume = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t]) {
        p += 1
        t += 1
      } else if p < pattern.count, pattern[p] == "*" {
        star = p
        resume = t
        p += 1
      } else if let star {
        p = star + 1
        resume += 1
        t = resume
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }
}

/// Docker's reference grammar pieces, as scans.
private enum ImageGrammar {
  static func isLowerAlnum(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
  }

  /// Components of [a-z0-9]+ joined by ".", "_", "__" or runs of "-", separated by "/".
  static func isRepository(_ text: Substring) -> Bool {
    guard !text.isEmpty, text.utf8.count <= 255 else { return false }
    for component in text.split(separator: "/", omittingEmptySubsequences: false) {
      let bytes = Array(component.utf8)
      guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else {
        return false
      }
      var separator: [UInt8] = []
      for byte in bytes {
        if isLowerAlnum(byte) {
          if !separator.isEmpty {
            let dashes = separator.allSatisfy { $0 == UInt8(ascii: "-") }
            let allowed =
              dashes || separator == [UInt8(ascii: ".")] || separator == [UInt8(ascii: "_")]
              || separator == [UInt8(ascii: "_"), UInt8(ascii: "_")]
            if !allowed { return false }
            separator.removeAll()
          }
        } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
          separator.append(byte)
        } else {
          return false
        }
      }
    }
    return true
  }

  /// [\w][\w.-]{0,127}.
  static func isTag(_ text: Substring) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, bytes.count <= 128, isWord(first) else { return false }
    return bytes.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
  }

  static func isWord(_ byte: UInt8) -> Bool {
    PinsText.isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "_")
  }

  /// host[:port] with DNS-ish labels, or [IPv6][:port].
  static func isRegistry(_ text: Substring) -> Bool {
    var host = text
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { return false }
      let inner = host[host.index(after: host.startIndex)..<close]
      guard !inner.isEmpty,
        inner.utf8.allSatisfy({ PinsText.hexValue($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
      else { return false }
      let after = host[host.index(after: close)...]
      return after.isEmpty || isPort(after)
    }
    if let colon = host.firstIndex(of: ":") {
      guard isPort(host[colon...]) else { return false }
      host = host[..<colon]
    }
    guard !host.isEmpty else { return false }
    for label in host.split(separator: ".", omittingEmptySubsequences: false) {
      let bytes = Array(label.utf8)
      guard let first = bytes.first, let last = bytes.last,
        PinsText.isASCIIAlphanumeric(first), PinsText.isASCIIAlphanumeric(last),
        bytes.allSatisfy({ PinsText.isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") })
      else { return false }
    }
    return true
  }

  /// ":" followed by 1–5 digits.
  static func isPort(_ text: Substring) -> Bool {
    let digits = text.dropFirst()
    return text.first == ":" && (1...5).contains(digits.count) && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  /// algorithm ":" hex, with the lengths sha256 and sha512 demand.
  static func isDigest(_ text: Substring) -> Bool {
    guard let colon = text.firstIndex(of: ":") else { return false }
    let algorithm = text[..<colon]
    let encoded = text[text.index(after: colon)...]
    guard let first = algorithm.utf8.first, PinsText.isASCIILetter(first),
      algorithm.utf8.allSatisfy({
        PinsText.isASCIIAlphanumeric($0)
          || [UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-")].contains($0)
      }),
      encoded.utf8.count >= 32, encoded.utf8.allSatisfy({ PinsText.hexValue($0) != nil })
    else { return false }
    switch algorithm.lowercased() {
    case "sha256": return encoded.utf8.count == 64
    case "sha512": return encoded.utf8.count == 128
    default: return true
    }
  }
}
