/// A path glob: `*` within one segment, `**` across segments, `?` one character, and with
/// `characterClasses` (gitignore's syntax, not CODEOWNERS') `[abc]`, `[a-z]`, `[!a]`. Compiled once.
public struct Glob: Sendable, Hashable {
  public let pattern: String
  let characterClasses: Bool
  let segments: [[UInt8]]
  let hasDoubleStar: Bool
  /// The leading segments without wildcards, with a trailing `/`: a path must start with them.
  let literalPrefix: [UInt8]

  public init(_ pattern: String) { self.init(pattern, characterClasses: false) }

  public init(_ pattern: String, characterClasses: Bool) {
    self.pattern = pattern
    self.characterClasses = characterClasses
    var trimmed = pattern
    while trimmed.hasPrefix("/") { trimmed.removeFirst() }
    segments = trimmed.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    hasDoubleStar = segments.contains(Array("**".utf8))
    let wild: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "\\")]
    let literal = segments.dropLast().prefix { !$0.contains(where: wild.contains) }
    literalPrefix = literal.flatMap { $0 + [UInt8(ascii: "/")] }
  }

  /// True when the whole path matches (a trailing `/**` also matches the folder's contents).
  public func matches(_ path: String) -> Bool {
    // Most paths of a tree fail on their first folder: rule them out before splitting anything.
    // (Without its `/`: `vendor/**` also matches `vendor` itself.)
    if !literalPrefix.isEmpty, !path.utf8.starts(with: literalPrefix.dropLast()) { return false }
    // Without `**` the segment counts must agree: most paths are ruled out before any allocation.
    if !hasDoubleStar {
      var count = 0
      var previous: UInt8 = UInt8(ascii: "/")
      for byte in path.utf8 {
        if previous == UInt8(ascii: "/") && byte != UInt8(ascii: "/") { count += 1 }
        previous = byte
      }
      if count != segments.count { return false }
    }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    return Glob.match(segments[...], parts[...], characterClasses: characterClasses)
  }

  // Iterative over `**` with memo so hostile patterns stay polynomial.
  static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>, characterClasses: Bool) -> Bool {
    var memo: [Int: Bool] = [:]
    func go(_ p: Int, _ s: Int) -> Bool {
      let key = p &* 1_000_003 &+ s
      if let known = memo[key] { return known }
      let result: Bool
      if p == pattern.endIndex {
        result = s == path.endIndex
      } else if pattern[p] == Array("**".utf8) {
        result = go(p + 1, s) || (s < path.endIndex && go(p, s + 1))
      } else {
        result =
          s < path.endIndex && bytesMatch(pattern[p][...], path[s][...], characterClasses: characterClasses)
          && go(p + 1, s + 1)
      }
      memo[key] = result
      return result
    }
    return go(pattern.startIndex, path.startIndex)
  }

  /// `*` and `?` within one segment, greedy with backtracking to the last star (linear-ish).
  public static func segmentMatches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
    bytesMatch(pattern, text, characterClasses: false)
  }

  static func bytesMatch<Pattern: RandomAccessCollection<UInt8>, Text: RandomAccessCollection<UInt8>>(
    _ pattern: Pattern, _ text: Text, characterClasses: Bool
  ) -> Bool where Pattern.Index == Int, Text.Index == Int {
    var p = pattern.startIndex
    var t = text.startIndex
    var star: Int? = nil
    var mark = t
    while t < text.endIndex {
      if p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") {
        star = p
        p += 1
        mark = t
      } else if p < pattern.endIndex, let next = single(pattern, at: p, matches: text[t], classes: characterClasses) {
        p = next
        t += 1
      } else if let s = star {
        p = s + 1
        mark += 1
        t = mark
      } else {
        return false
      }
    }
    while p < pattern.endIndex && pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.endIndex
  }

  /// Where the pattern goes on when its element at `p` (`?`, a class, or a literal byte) matches `byte`.
  static func single<Pattern: RandomAccessCollection<UInt8>>(
    _ pattern: Pattern, at p: Int, matches byte: UInt8, classes: Bool
  ) -> Int? where Pattern.Index == Int {
    let element = pattern[p]
    if element == UInt8(ascii: "?") { return p + 1 }
    if classes && element == UInt8(ascii: "["), let (members, end) = characterClass(pattern, at: p) {
      return members(byte) ? end : nil
    }
    return element == byte ? p + 1 : nil
  }

  /// The class opening at `p` (`[abc]`, `[a-z]`, `[!x]` or `[^x]`; a `]` first is a member) and where it
  /// ends; nil when it never closes, and the `[` is then an ordinary character.
  static func characterClass<Pattern: RandomAccessCollection<UInt8>>(_ pattern: Pattern, at p: Int) -> (
    (UInt8) -> Bool, Int
  )? where Pattern.Index == Int {
    var index = p + 1
    let negated =
      index < pattern.endIndex && (pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^"))
    if negated { index += 1 }
    var ranges: [ClosedRange<UInt8>] = []
    var first = true
    while index < pattern.endIndex {
      let byte = pattern[index]
      if byte == UInt8(ascii: "]") && !first {
        let members = ranges
        return ({ byte in members.contains { $0.contains(byte) } != negated }, index + 1)
      }
      first = false
      if index + 2 < pattern.endIndex, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]")
      {
        let upper = pattern[index + 2]
        if byte <= upper { ranges.append(byte...upper) }
        index += 3
      } else {
        ranges.append(byte...byte)
        index += 1
      }
    }
    return nil
  }

  /// Matches a plain name (a repository name, a rule id) where `/` is an ordinary character.
  public static func matchesName(_ pattern: String, _ name: String, characterClasses: Bool = false) -> Bool {
    // Over the strings' own bytes: callers ask for every name of every step of a walk.
    var (pattern, name) = (pattern, name)
    return pattern.withUTF8 { pattern in
      name.withUTF8 { name in bytesMatch(pattern, name, characterClasses: characterClasses) }
    }
  }
}
