import Formats

/// A container image that changes under the same name: no tag, `latest`, or (by policy) no digest.
struct ImageUnpinnedRule: PinRule {
  static let description = RuleDescription(id: "pins/image-unpinned")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard pin.kind == .image else { return nil }
    let level = PinPolicy(settings.parameters["pin"], default: .ref).level(for: pin.source)
    if case .image(let stage) = pin.target, !stage.unresolvedVariables.isEmpty {
      let names = stage.unresolvedVariables.joined(separator: ", ")
      return PinProblem(
        "FROM \(stage.rawImage) uses ARG \(names) with no default; which image it pulls is decided at build time",
        subject: "unresolved", evidence: [("arguments", JSONValue(stage.unresolvedVariables))])
    }
    let reference: ImageReference?
    switch pin.target {
    case .image(let stage): reference = stage.image
    case .action(let use):
      if case .docker(let image) = use.kind { reference = ImageReference.parse(image) } else { return nil }
    case .module: return nil
    }
    guard let reference else { return nil }
    if reference.digest != nil || level == .any { return nil }
    let name = reference.name
    if level == .hash {
      return PinProblem(
        "image \(name)\(reference.tag.map { ":" + $0 } ?? "") has no digest (policy: hash)", subject: "no-digest",
        evidence: [("tag", JSONValue(reference.tag)), ("policy", .string(level.rawValue))])
    }
    guard let tag = reference.tag else {
      return PinProblem(
        "image \(name) has no tag, so it pulls whatever latest is today", subject: "no-tag",
        evidence: [("tag", .null), ("policy", .string(level.rawValue))])
    }
    guard tag == "latest" else { return nil }
    return PinProblem(
      "image \(name):latest moves with every push; pin a version tag or a digest", subject: "latest",
      evidence: [("tag", .string(tag)), ("policy", .string(level.rawValue))])
  }
}
