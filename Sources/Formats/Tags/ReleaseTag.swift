import Version

/// A tag name read as a release: an optional component (monorepos tag `grafana-7.0.1` or
/// `modules/vpc/v1.2.0`) and a strict semantic version, or no version when the name is not semver.
public struct ReleaseTag: Sendable, Equatable {
  public let name: String
  /// "" for a repository-wide release; `grafana` or `modules/vpc` for a component's.
  public let component: String
  public let version: Version?
  public let hasVPrefix: Bool

  static let separators: Set<Character> = ["/", "-", "_", "@"]

  /// The whole name as a version, else the longest suffix after a separator that is strict semver.
  public static func parse(_ name: String) -> ReleaseTag {
    if let (version, v) = strict(Substring(name)) {
      return ReleaseTag(name: name, component: "", version: version, hasVPrefix: v)
    }
    var index = name.startIndex
    while index < name.endIndex {
      if separators.contains(name[index]) {
        let rest = name[name.index(after: index)...]
        if let (version, v) = strict(rest) {
          return ReleaseTag(name: name, component: String(name[..<index]), version: version, hasVPrefix: v)
        }
      }
      index = name.index(after: index)
    }
    return ReleaseTag(name: name, component: "", version: nil, hasVPrefix: name.hasPrefix("v"))
  }

  /// MAJOR.MINOR.PATCH with optional pre-release and build, and an optional leading `v`.
  static func strict(_ text: Substring) -> (Version, Bool)? {
    let hasV = text.hasPrefix("v") || text.hasPrefix("V")
    let body = hasV ? text.dropFirst() : text
    guard let first = body.first, first.isNumber else { return nil }
    let core = body.prefix { $0 != "-" && $0 != "+" }
    // Leading zeros are not semver ("01.2.3"), and the core must be exactly three numbers.
    let parts = core.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3,
      parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) && ($0 == "0" || $0.first != "0") })
    else { return nil }
    // A plain X.Y.Z (most tags) is built from its numbers; Version's own parser is for the rest.
    if core.count == body.count {
      guard let major = Int(parts[0]), let minor = Int(parts[1]), let patch = Int(parts[2]) else { return nil }
      return (Version(major, minor, patch), hasV)
    }
    guard isSemverSuffix(body[core.endIndex...]), let version = Version(body) else { return nil }
    return (version, hasV)
  }

  /// SemVer 2.0.0's `-pre.release` and `+build` after the core, stricter than Version's parser: identifiers
  /// are non-empty ASCII alphanumerics and hyphens, and a numeric pre-release identifier has no leading zero
  /// (`1.0.0-`, `1.0.0+` and `1.0.0-01` are not semver).
  static func isSemverSuffix(_ suffix: Substring) -> Bool {
    func identifiers(_ text: Substring) -> [Substring]? {
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      let allowed = parts.allSatisfy { part in
        !part.isEmpty
          && part.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D
          }
      }
      return allowed ? parts : nil
    }
    var rest = suffix
    if rest.first == "-" {
      let pre = rest.dropFirst().prefix { $0 != "+" }
      guard let parts = identifiers(pre) else { return false }
      let leadingZero = parts.contains { part in
        part.count > 1 && part.first == "0" && part.utf8.allSatisfy { (0x30...0x39).contains($0) }
      }
      guard !leadingZero else { return false }
      rest = rest.dropFirst(1 + pre.count)
    }
    if rest.first == "+" { return identifiers(rest.dropFirst()) != nil }
    return rest.isEmpty
  }

  /// Whether going from `old` to `new` is a major bump (below 1.0.0 a minor bump counts, as semver's
  /// "anything may change" range is conventionally read).
  public static func isMajorBump(from old: Version, to new: Version) -> Bool {
    if old.major == 0 && new.major == 0 { return new.minor > old.minor }
    return new.major > old.major
  }
}
