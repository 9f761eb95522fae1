/// One pattern byte after escape resolution; `escaped` keeps metacharacters literal.
struct CodeOwnersPatternChar: Sendable, Equatable {
  var byte: UInt8
  var escaped: Bool
  /// Byte offset in the source line, so errors can point at the raw character.
  var offset: Int
}

/// A path split once into '/'-separated components so every rule can reuse it.
struct CodeOwnersPath: Sendable {
  let bytes: [UInt8]
  /// Start and end byte offsets of each component, flattened.
  private(set) var bounds: [Int] = []
  /// Which bytes (hashed to 64 bits) occur in the path, for `CodeOwnersMatcher.requiredBytes` rejection.
  private(set) var byteMask: UInt64 = 0

  var count: Int { bounds.count / 2 }

  init(_ path: String) {
    bytes = Array(path.utf8)
    var index = 0
    let total = bytes.count
    while index <= total {
      var end = index
      while end < total && bytes[end] != UInt8(ascii: "/") { end += 1 }
      // Empty and "." components carry no meaning in a repository-relative path.
      let length = end - index
      if length > 0 && !(length == 1 && bytes[index] == UInt8(ascii: ".")) {
        bounds.append(index)
        bounds.append(end)
        for byte in bytes[index..<end] { byteMask |= CodeOwnersMatcher.bit(byte) }
      }
      index = end + 1
    }
  }

  func withView<Result>(_ body: (CodeOwnersPathView) -> Result) -> Result {
    bytes.withUnsafeBufferPointer { bytes in
      bounds.withUnsafeBufferPointer { bounds in
        body(CodeOwnersPathView(bytes: bytes, bounds: bounds, byteMask: byteMask))
      }
    }
  }
}

/// Borrowed, bounds-check-free view of a `CodeOwnersPath` for the hot matching loop.
struct CodeOwnersPathView {
  let bytes: UnsafeBufferPointer<UInt8>
  let bounds: UnsafeBufferPointer<Int>
  let byteMask: UInt64

  var count: Int { bounds.count / 2 }
}

/// A CODEOWNERS pattern compiled into path segments, matched with a position-set DP (no backtracking blow-up).
struct CodeOwnersMatcher: Sendable, Equatable {
  /// Plain-data segment so matching never retains or releases anything.
  struct Segment: Sendable, Equatable {
    enum Kind: UInt8, Sendable {
      /// Exact bytes.
      case literal
      /// `*` / `?` wildcards within one component.
      case glob
      /// A lone `*` segment: any single component.
      case anyComponent
      /// A leading or inner `**`: zero or more components.
      case anyComponents
      /// A trailing `**`: one or more components (everything inside).
      case someComponents
    }

    var kind: Kind
    /// Token range in `CodeOwnersMatcher.tokens`.
    var start = 0
    var end = 0
    /// Literal tokens before the first wildcard and after the last one, for cheap rejection.
    var prefix = 0
    var suffix = 0
    /// Fewest bytes a matching component can have.
    var minimumLength = 0
    /// `prefix*suffix` globs are fully decided by the prefix, suffix and length checks.
    var singleStar = false
  }

  /// Common pattern shapes get a direct loop instead of the general DP.
  enum Shape: UInt8, Sendable {
    case general
    /// Only literal segments, anchored: `/docs/`, `src/lib`.
    case literalPrefix
    /// `**` then one literal or glob segment: `*.js`, `docs/`, `**/logs`.
    case anyDepth
  }

  static let star: Int16 = -1
  static let question: Int16 = -2

  private(set) var segments: [Segment] = []
  /// Tokens of all literal and glob segments: 0...255 literal byte, `star` or `question`.
  private(set) var tokens: [Int16] = []
  /// False for `dir/` patterns, which only match directories.
  private(set) var matchesFiles = true
  /// False for a final lone `*` (GitHub: `docs/*` does not own nested directories).
  private(set) var matchesDirectories = true
  /// `/`, `/**` and friends.
  private(set) var matchesEverything = false
  /// Picks the direct loop in `matches` when the pattern allows it.
  private(set) var shape = Shape.general
  /// Literal bytes every match must contain; a path lacking one is rejected without running the DP.
  private(set) var requiredBytes: UInt64 = 0

  static func bit(_ byte: UInt8) -> UInt64 {
    1 << UInt64(byte & 63)
  }

  /// Compiles raw pattern syntax, reading `\x` as a literal `x`.
  init(source: String) {
    self.init(chars: CodeOwnersMatcher.chars(fromSource: source))
  }

  init(chars: [CodeOwnersPatternChar]) {
    let slash = UInt8(ascii: "/")
    var end = chars.count
    while end > 0 && chars[end - 1].byte == slash {
      end -= 1
      matchesFiles = false
    }
    // A pattern made of slashes only is the repository root (GitLab `/`).
    if end == 0 {
      matchesFiles = true
      matchesEverything = true
      return
    }
    var start = 0
    while start < end && chars[start].byte == slash { start += 1 }
    var anchored = start > 0
    if !anchored {
      for index in start..<end where chars[index].byte == slash {
        anchored = true
        break
      }
    }
    if !anchored { segments.append(Segment(kind: .anyComponents)) }
    var partStart = start
    for index in start...end where index == end || chars[index].byte == slash {
      defer { partStart = index + 1 }
      guard index > partStart else { continue }
      var segment = compile(chars, partStart..<index)
      if segment.kind == .anyComponents && index == end { segment.kind = .someComponents }
      // Adjacent `**` collapse so the DP does not repeat identical work.
      if segments.last?.kind == .anyComponents {
        if segment.kind == .anyComponents { continue }
        if segment.kind == .someComponents { segments.removeLast() }
      }
      segments.append(segment)
    }
    classify()
    if !matchesFiles {
      return
    }
    if segments.last?.kind == .anyComponent { matchesDirectories = false }
    if segments.count == 1 && segments[0].kind == .someComponents { matchesEverything = true }
    // `*` and `**/*` match every file through its last component.
    if segments.count == 2 && segments[0].kind == .anyComponents && segments[1].kind == .anyComponent {
      matchesEverything = true
    }
  }

  private mutating func classify() {
    if segments.allSatisfy({ $0.kind == .literal }) {
      shape = .literalPrefix
    } else if segments.count == 2 && segments[0].kind == .anyComponents
      && (segments[1].kind == .literal || segments[1].kind == .glob)
    {
      shape = .anyDepth
    }
  }

  static func chars(fromSource source: String) -> [CodeOwnersPatternChar] {
    let bytes = Array(source.utf8)
    return chars(bytes, 0..<bytes.count)
  }

  /// Resolves backslash escapes in `bytes[range]`, remembering each character's raw offset.
  static func chars(_ bytes: [UInt8], _ range: Range<Int>) -> [CodeOwnersPatternChar] {
    var result: [CodeOwnersPatternChar] = []
    result.reserveCapacity(range.count)
    var index = range.lowerBound
    while index < range.upperBound {
      if bytes[index] == UInt8(ascii: "\\") && index + 1 < range.upperBound {
        result.append(CodeOwnersPatternChar(byte: bytes[index + 1], escaped: true, offset: index))
        index += 2
      } else {
        result.append(CodeOwnersPatternChar(byte: bytes[index], escaped: false, offset: index))
        index += 1
      }
    }
    return result
  }

  static func resolveEscapes(_ source: String) -> String {
    String(decoding: chars(fromSource: source).map(\.byte), as: UTF8.self)
  }

  private mutating func compile(_ chars: [CodeOwnersPatternChar], _ range: Range<Int>) -> Segment {
    let asterisk = UInt8(ascii: "*")
    let questionMark = UInt8(ascii: "?")
    func isStar(_ char: CodeOwnersPatternChar) -> Bool { char.byte == asterisk && !char.escaped }
    // Only exact `*` and `**` are special segments; `***` is an ordinary glob, as in gitignore.
    if range.count <= 2 && isStar(chars[range.lowerBound]) && isStar(chars[range.upperBound - 1]) {
      return Segment(kind: range.count == 2 ? .anyComponents : .anyComponent)
    }
    var segment = Segment(kind: .literal, start: tokens.count)
    var firstWildcard = -1
    var lastWildcard = -1
    var stars = 0
    for index in range {
      let char = chars[index]
      let token: Int16
      if isStar(char) {
        // Runs of `*` inside a segment behave like one `*`.
        if tokens.count > segment.start && tokens[tokens.count - 1] == CodeOwnersMatcher.star { continue }
        token = CodeOwnersMatcher.star
        stars += 1
      } else if char.byte == questionMark && !char.escaped {
        token = CodeOwnersMatcher.question
      } else {
        token = Int16(char.byte)
        requiredBytes |= CodeOwnersMatcher.bit(char.byte)
      }
      if token < 0 {
        segment.kind = .glob
        if firstWildcard < 0 { firstWildcard = tokens.count - segment.start }
        lastWildcard = tokens.count - segment.start
      }
      tokens.append(token)
    }
    segment.end = tokens.count
    let length = segment.end - segment.start
    segment.prefix = firstWildcard < 0 ? length : firstWildcard
    segment.suffix = lastWildcard < 0 ? length : length - 1 - lastWildcard
    segment.minimumLength = length - stars
    segment.singleStar = stars == 1 && firstWildcard == lastWildcard
    return segment
  }

  func matches(_ path: CodeOwnersPath) -> Bool {
    path.withView { view in
      segments.withUnsafeBufferPointer { segments in
        tokens.withUnsafeBufferPointer { tokens in
          CodeOwnersMatcher.matches(
            segments, tokens, files: matchesFiles, directories: matchesDirectories,
            everything: matchesEverything, required: requiredBytes, shape: shape, view)
        }
      }
    }
  }

  /// Core matcher over borrowed buffers; `segments` token ranges index into `tokens`.
  static func matches(
    _ segments: UnsafeBufferPointer<Segment>, _ tokens: UnsafeBufferPointer<Int16>, files: Bool,
    directories: Bool, everything: Bool, required: UInt64, shape: Shape, _ path: CodeOwnersPathView
  ) -> Bool {
    let count = path.count
    if count == 0 { return false }
    if everything { return true }
    if required & ~path.byteMask != 0 { return false }
    switch shape {
    case .literalPrefix:
      guard segments.count <= count else { return false }
      for index in segments.indices where !matches(segments[index], tokens, path, index) { return false }
      return segments.count == count ? files : directories
    case .anyDepth:
      let segment = segments[1]
      for index in 0..<count where matches(segment, tokens, path, index) {
        if index == count - 1 ? files : directories { return true }
      }
      return false
    case .general:
      break
    }
    if count < 64 {
      return matchesShallow(segments, tokens, files: files, directories: directories, path, count)
    }
    return matchesDeep(segments, tokens, files: files, directories: directories, path, count)
  }

  /// Bit j of `reach` means "the first j components are consumed"; no allocation.
  private static func matchesShallow(
    _ segments: UnsafeBufferPointer<Segment>, _ tokens: UnsafeBufferPointer<Int16>, files: Bool,
    directories: Bool, _ path: CodeOwnersPathView, _ count: Int
  ) -> Bool {
    var reach: UInt64 = 1
    let all: UInt64 = count == 63 ? ~0 : (1 << UInt64(count + 1)) &- 1
    let fileBit: UInt64 = 1 << UInt64(count)
    for segment in segments {
      switch segment.kind {
      case .anyComponents:
        let low = UInt64(reach.trailingZeroBitCount)
        reach = all & ~((1 << low) &- 1)
      case .someComponents:
        let low = reach.trailingZeroBitCount + 1
        if low > count { return false }
        reach = all & ~((1 << UInt64(low)) &- 1)
      case .anyComponent:
        reach = (reach & ~fileBit) << 1
      case .literal, .glob:
        var pending = reach & ~fileBit
        var next: UInt64 = 0
        while pending != 0 {
          let index = pending.trailingZeroBitCount
          pending &= pending &- 1
          if matches(segment, tokens, path, index) { next |= 1 << UInt64(index + 1) }
        }
        reach = next
      }
      if reach == 0 { return false }
    }
    let directoryBits = reach & (fileBit &- 1) & ~1
    return (files && reach & fileBit != 0) || (directories && directoryBits != 0)
  }

  /// Same DP as `matchesShallow` for paths of 64+ components.
  private static func matchesDeep(
    _ segments: UnsafeBufferPointer<Segment>, _ tokens: UnsafeBufferPointer<Int16>, files: Bool,
    directories: Bool, _ path: CodeOwnersPathView, _ count: Int
  ) -> Bool {
    var reach = [Bool](repeating: false, count: count + 1)
    reach[0] = true
    var next = reach
    for segment in segments {
      guard let low = reach.firstIndex(of: true) else { return false }
      switch segment.kind {
      case .anyComponents, .someComponents:
        let first = segment.kind == .anyComponents ? low : low + 1
        if first > count { return false }
        for index in 0...count { reach[index] = index >= first }
      case .anyComponent, .literal, .glob:
        next[0] = false
        for index in 0..<count {
          next[index + 1] =
            reach[index]
            && (segment.kind == .anyComponent || matches(segment, tokens, path, index))
        }
        swap(&reach, &next)
      }
    }
    if files && reach[count] { return true }
    return directories && reach[1..<count].contains(true)
  }

  @inline(__always)
  private static func matches(
    _ segment: Segment, _ tokens: UnsafeBufferPointer<Int16>, _ path: CodeOwnersPathView, _ component: Int
  ) -> Bool {
    let start = path.bounds[2 * component]
    let end = path.bounds[2 * component + 1]
    let length = end - start
    let bytes = path.bytes
    if segment.kind == .literal {
      // Sibling names usually differ at the end (`file1`, `file2`), so the last byte goes first.
      guard segment.end - segment.start == length,
        length == 0 || tokens[segment.end &- 1] == Int16(bytes[end &- 1])
      else { return false }
      var offset = 0
      while offset < length &- 1 {
        if tokens[segment.start &+ offset] != Int16(bytes[start &+ offset]) { return false }
        offset &+= 1
      }
      return true
    }
    guard length >= segment.minimumLength else { return false }
    var offset = 0
    while offset < segment.suffix {
      if tokens[segment.end &- 1 &- offset] != Int16(bytes[end &- 1 &- offset]) { return false }
      offset &+= 1
    }
    offset = 0
    while offset < segment.prefix {
      if tokens[segment.start &+ offset] != Int16(bytes[start &+ offset]) { return false }
      offset &+= 1
    }
    return segment.singleStar || glob(tokens, segment.start, segment.end, bytes, start, end)
  }

  /// Iterative wildcard match remembering only the last `*`: O(pattern x text), never exponential.
  private static func glob(
    _ tokens: UnsafeBufferPointer<Int16>, _ tokenStart: Int, _ tokenEnd: Int, _ text: UnsafeBufferPointer<UInt8>,
    _ start: Int, _ end: Int
  ) -> Bool {
    var tokenIndex = tokenStart
    var textIndex = start
    var starToken = -1
    var starText = start
    while textIndex < end {
      if tokenIndex < tokenEnd {
        let token = tokens[tokenIndex]
        if token == star {
          starToken = tokenIndex
          starText = textIndex
          tokenIndex += 1
          continue
        }
        if token == question {
          tokenIndex += 1
          textIndex = nextScalar(text, textIndex, end)
          continue
        }
        if token == Int16(text[textIndex]) {
          tokenIndex += 1
          textIndex += 1
          continue
        }
      }
      if starToken < 0 { return false }
      starText = nextScalar(text, starText, end)
      textIndex = starText
      tokenIndex = starToken + 1
    }
    while tokenIndex < tokenEnd && tokens[tokenIndex] == star { tokenIndex += 1 }
    return tokenIndex == tokenEnd
  }

  /// `?` and `*` step over whole UTF-8 scalars, not bytes.
  private static func nextScalar(_ text: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int) -> Int {
    var next = index + 1
    while next < end && text[next] & 0xC0 == 0x80 { next += 1 }
    return next
  }
}

/// All rules of a file compiled into flat plain-data arrays, so batch matching never touches reference counts.
struct CodeOwnersProgram: Sendable, Equatable {
  struct Entry: Sendable, Equatable {
    var segments: Range<Int>
    var files: Bool
    var directories: Bool
    var everything: Bool
    var required: UInt64
    var shape: CodeOwnersMatcher.Shape
    var section: Int
  }

  private(set) var entries: [Entry] = []
  private(set) var segments: [CodeOwnersMatcher.Segment] = []
  private(set) var tokens: [Int16] = []
  /// One past the largest section index used by any rule.
  private(set) var sectionCount = 0
  /// How many distinct sections have rules, so a backwards scan can stop once each has a winner.
  private(set) var populatedSections = 0
  /// Rules anchored at a literal first folder (`/dir/`, `src/lib`), by that folder's bytes: only paths
  /// starting with it can match them, so a file of thousands of such rules is not tried whole on every path.
  private(set) var rulesByFirstComponent: [[UInt8]: [Int]] = [:]
  /// The other rules (ascending), tried on every path.
  private(set) var unindexedRules: [Int] = []

  init(rules: [CodeOwnersRule]) {
    entries.reserveCapacity(rules.count)
    for rule in rules {
      let matcher = rule.matcher
      let base = tokens.count
      let first = segments.count
      for var segment in matcher.segments {
        segment.start += base
        segment.end += base
        segments.append(segment)
      }
      tokens.append(contentsOf: matcher.tokens)
      entries.append(
        Entry(
          segments: first..<segments.count, files: matcher.matchesFiles,
          directories: matcher.matchesDirectories, everything: matcher.matchesEverything,
          required: matcher.requiredBytes, shape: matcher.shape, section: rule.sectionIndex))
      sectionCount = max(sectionCount, rule.sectionIndex + 1)
      let index = entries.count - 1
      if !matcher.matchesEverything, let head = matcher.segments.first, head.kind == .literal {
        let component = matcher.tokens[head.start..<head.end].map { UInt8(truncatingIfNeeded: $0) }
        rulesByFirstComponent[component, default: []].append(index)
      } else {
        unindexedRules.append(index)
      }
    }
    populatedSections = Set(entries.lazy.map(\.section).filter { $0 >= 0 }).count
  }

  /// The rules that may match a path (ascending): the unindexed ones and those anchored at its first folder.
  func candidates(for path: CodeOwnersPathView) -> [Int] {
    guard path.count > 0, !rulesByFirstComponent.isEmpty else { return unindexedRules }
    let first = Array(path.bytes[path.bounds[0]..<path.bounds[1]])
    guard let anchored = rulesByFirstComponent[first] else { return unindexedRules }
    if unindexedRules.isEmpty { return anchored }
    // Both lists ascend: merge them.
    var merged: [Int] = []
    merged.reserveCapacity(anchored.count + unindexedRules.count)
    var (i, j) = (0, 0)
    while i < anchored.count || j < unindexedRules.count {
      if j == unindexedRules.count || (i < anchored.count && anchored[i] < unindexedRules[j]) {
        merged.append(anchored[i])
        i += 1
      } else {
        merged.append(unindexedRules[j])
        j += 1
      }
    }
    return merged
  }

  func withRunner<Result>(_ body: (Runner) -> Result) -> Result {
    entries.withUnsafeBufferPointer { entries in
      segments.withUnsafeBufferPointer { segments in
        tokens.withUnsafeBufferPointer { tokens in
          body(
            Runner(
              entries: entries, segments: segments, tokens: tokens,
              populatedSections: populatedSections))
        }
      }
    }
  }

  struct Runner {
    let entries: UnsafeBufferPointer<Entry>
    let segments: UnsafeBufferPointer<CodeOwnersMatcher.Segment>
    let tokens: UnsafeBufferPointer<Int16>
    let populatedSections: Int

    func matches(_ rule: Int, _ path: CodeOwnersPathView) -> Bool {
      let entry = entries[rule]
      return CodeOwnersMatcher.matches(
        UnsafeBufferPointer(rebasing: segments[entry.segments]), tokens, files: entry.files,
        directories: entry.directories, everything: entry.everything, required: entry.required,
        shape: entry.shape, path)
    }
  }
}
