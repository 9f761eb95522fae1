import Formats
import Version

/// A pinned module behind the newest release the estate knows: drift that grows into a painful upgrade.
struct ModuleOutdatedRule: PinRule {
  static let description = RuleDescription(id: "pins/module-outdated")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard case .module(let source, let constraintText) = pin.target, !pin.isDynamic,
      let newest = knowledge.newestRelease(for: source)
    else { return nil }
    let pinned: Version?
    if source.kind == .registry {
      guard let constraintText, let constraint = try? VersionConstraint.parse(constraintText) else { return nil }
      pinned =
        constraint.newestAllowed(in: knowledge.releases(for: source))
        ?? constraint.clauses.first { $0.op == .equal || $0.op == .pessimistic }?.version
    } else {
      let tag = source.refTagName ?? source.ref
      // A ref the module's repository does not tag is pins/module-branch-ref's business, not drift.
      if let repository = knowledge.repository(for: source), let tag, !repository.tags.contains(tag) { return nil }
      pinned = tag.flatMap(parseSemanticVersion)
    }
    guard let pinned, pinned < newest else { return nil }
    let majors = Int(newest.major) - Int(pinned.major)
    return PinProblem(
      "module \"\(pin.name)\" is on \(pinned) of \(source.address); the newest release is \(newest)"
        + (majors > 0 ? " (\(majors) major version\(majors == 1 ? "" : "s") behind)" : ""),
      subject: "outdated",
      evidence: [
        ("pinned", .string("\(pinned)")), ("newest", .string("\(newest)")), ("majors_behind", .int(max(0, majors))),
      ])
  }
}
