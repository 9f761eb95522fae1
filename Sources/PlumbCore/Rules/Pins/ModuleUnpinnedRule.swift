import Formats

/// A module that follows whatever its source serves today: a registry module without `version`, a git
/// source without `?ref=`, or a source Terraform would reject outright.
struct ModuleUnpinnedRule: PinRule {
  static let description = RuleDescription(id: "pins/module-unpinned")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard case .module(let source, let constraint) = pin.target, !pin.isDynamic else { return nil }
    let label = "module \"\(pin.name)\""
    let level = PinPolicy(settings.parameters["pin"], default: .ref).level(for: pin.source)
    // `any` lets a source go unpinned; a source Terraform rejects is still reported.
    if level == .any && source.kind != .invalid { return nil }
    switch source.kind {
    case .invalid:
      return PinProblem(
        "\(label) has source \"\(pin.raw)\", which Terraform would reject: \(source.problem ?? "not a module source")",
        subject: "invalid", evidence: [("problem", .string(source.problem ?? ""))])
    case .local, .s3, .gcs, .http:
      return nil  // local code is versioned with the repository; archives are addressed by their URL
    case .registry:
      guard constraint == nil || constraint?.isEmpty == true else { return nil }
      return PinProblem(
        "\(label) uses registry source \(pin.raw) without a version", subject: "no-version",
        evidence: [("version", .null)])
    case .github, .bitbucket, .git, .mercurial:
      guard let ref = source.ref, !ref.isEmpty else {
        return PinProblem(
          "\(label) uses \(source.kind.rawValue) source \(pin.raw) without ?ref=, so it follows the default branch",
          subject: "no-ref", evidence: [("ref", .null)])
      }
      if level == .hash && !ref.isFullCommitID {
        return PinProblem(
          "\(label) pins \(source.address) to \(ref), but policy asks for a full commit id", subject: "not-hash",
          evidence: [("ref", .string(ref)), ("policy", .string(level.rawValue))])
      }
      return nil
    }
  }
}
