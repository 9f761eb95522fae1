import Formats
import Version

/// A pinned module behind the newest release the estate knows: drift that grows into a painful upgrade.
struct ModuleOutdatedRule: PinRule {
  static let description = RuleDescription(id: "pins/module-outdated")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard case .module(let source, _) = pin.target, let newest = knowledge.newestRelease(for: source),
      let pinned = Self.resolvedVersion(pin, knowledge: knowledge), pinned < newest
    else { return nil }
    let majors = Int(newest.major) - Int(pinned.major)
    return PinProblem(
      "module \"\(pin.name)\" is on \(pinned) of \(source.address); the newest release is \(newest)"
        + (majors > 0 ? " (\(majors) major version\(majors == 1 ? "" : "s") behind)" : ""),
      subject: "outdated",
      evidence: [
        ("pinned", .string("\(pinned)")), ("newest", .string("\(newest)")), ("majors_behind", .int(max(0, majors))),
      ], onVersionLine: true)
  }

  /// The release a module pin gets: the newest known release its constraint admits (else the version it names),
  /// or the version its git ref tags. Nil for a dynamic pin, no constraint, or a ref the module's repository
  /// does not tag (pins/module-branch-ref's business, not drift).
  static func resolvedVersion(_ pin: Pin, knowledge: EstateKnowledge) -> Version? {
    guard case .module(let source, let constraintText) = pin.target, !pin.isDynamic else { return nil }
    if source.kind == .registry {
      guard let constraintText, let constraint = try? VersionConstraint.parse(constraintText) else { return nil }
      return constraint.newestAllowed(in: knowledge.releases(for: source))
        ?? constraint.clauses.first { $0.op == .equal || $0.op == .pessimistic }?.version
    }
    let tag = source.refTagName ?? source.ref
    if let repository = knowledge.repository(for: source), let tag, !repository.tags.contains(tag) { return nil }
    return tag.flatMap(parseSemanticVersion)
  }
}
