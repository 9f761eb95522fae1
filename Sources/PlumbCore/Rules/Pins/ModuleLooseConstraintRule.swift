import Formats

/// A registry module version constraint looser than policy: `>= 4.0` takes the next major release unseen.
struct ModuleLooseConstraintRule: PinRule {
  static let description = RuleDescription(id: "pins/module-loose-constraint")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard case .module(let source, let constraintText?) = pin.target, source.kind == .registry, !pin.isDynamic,
      !constraintText.isEmpty
    else { return nil }
    let policy = settings.parameters["constraint"]?.stringValue.flatMap(ConstraintPolicy.init(rawValue:)) ?? .bounded
    let constraint: VersionConstraint
    do {
      constraint = try VersionConstraint.parse(constraintText)
    } catch {
      return PinProblem(
        "module \"\(pin.name)\" has version \"\(constraintText)\", which is not a valid constraint: \(error.message)",
        subject: "invalid:\(constraintText)", evidence: [("constraint", .string(constraintText))], onVersionLine: true)
    }
    guard !constraint.satisfies(policy) else { return nil }
    return PinProblem(
      "module \"\(pin.name)\" constrains \(pin.raw) to \"\(constraintText)\", looser than the \(policy.rawValue) policy"
        + (policy == .bounded ? " (no upper bound)" : ""),
      subject: constraintText,
      evidence: [("constraint", .string(constraintText)), ("policy", .string(policy.rawValue))], onVersionLine: true)
  }
}
