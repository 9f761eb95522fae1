import Formats

/// How strictly a reference must be pinned: `hash` (commit id or digest), `ref` (an immutable-looking
/// tag or version), `any` (something rather than nothing).
public enum PinLevel: String, Sendable, Comparable {
  case any, ref, hash

  public static func < (lhs: PinLevel, rhs: PinLevel) -> Bool {
    let order: [PinLevel] = [.any, .ref, .hash]
    return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
  }
}

/// The `pin` parameter: one level, or patterns to levels where the most specific pattern wins.
public struct PinPolicy: Sendable {
  let patterns: [(pattern: String, level: PinLevel)]
  let fallback: PinLevel

  public init(_ value: JSONValue?, default fallback: PinLevel) {
    switch value {
    case .string(let word)?:
      patterns = []
      self.fallback = PinLevel(rawValue: word) ?? fallback
    case .object(let pairs)?:
      patterns = pairs.compactMap { key, value in value.stringValue.flatMap(PinLevel.init(rawValue:)).map { (key, $0) }
      }
      self.fallback = fallback
    default:
      patterns = []
      self.fallback = fallback
    }
  }

  /// An exact pattern beats any glob; among globs, the one with more literal characters wins.
  public func level(for source: String) -> PinLevel {
    // A registry source is named with Terraform's default host; a pattern may leave it out, as .tf files do.
    let host = "registry.terraform.io/"
    let names = source.hasPrefix(host) ? [source, String(source.dropFirst(host.count))] : [source]
    let matching = patterns.filter { pattern in names.contains { Glob.matchesName(pattern.pattern, $0) } }
    let best = matching.max { specificity($0.pattern) < specificity($1.pattern) }
    return best?.level ?? fallback
  }

  func specificity(_ pattern: String) -> Int {
    pattern.contains("*") || pattern.contains("?") ? pattern.filter { $0 != "*" && $0 != "?" }.count : Int.max
  }
}

/// What a pin rule says about one pin.
public struct PinProblem: Sendable {
  public let message: String
  /// What is wrong, for the fingerprint (the pin's source and name are added).
  public let subject: String
  public let evidence: [(String, JSONValue)]
  /// The problem is the `version` constraint: the finding points at that line, when the pin has one.
  public let onVersionLine: Bool

  public init(_ message: String, subject: String, evidence: [(String, JSONValue)] = [], onVersionLine: Bool = false) {
    self.message = message
    self.subject = subject
    self.evidence = evidence
    self.onVersionLine = onVersionLine
  }
}

/// A rule that judges pins one at a time; `plumb pins` asks the same rules for each pin's status.
public protocol PinRule: Rule {
  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem?
}

extension PinRule {
  public func check(_ context: RuleContext) -> [Finding] {
    context.facts.pins.pins.compactMap { pin in
      judge(pin, settings: context.settings, knowledge: context.facts.knowledge).map { problem in
        context.finding(
          problem.message, path: pin.path, line: problem.onVersionLine ? pin.versionLine ?? pin.line : pin.line,
          subject: "\(pin.name)|\(pin.source)|\(problem.subject)",
          evidence: [("kind", .string(pin.kind.rawValue)), ("source", .string(pin.raw))] + problem.evidence)
      }
    }
  }
}

extension String {
  /// `main`, `develop`: names that move. Versions (`v4`, `1.2.3`) and commit ids do not look like this.
  var looksLikeVersion: Bool {
    var text = Substring(self)
    if text.hasPrefix("v") || text.hasPrefix("V") { text = text.dropFirst() }
    guard let first = text.first, first.isNumber else { return false }
    return text.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0.isLetter }
  }

  var isFullCommitID: Bool { (count == 40 || count == 64) && allSatisfy(\.isHexDigit) }
}
