import Formats

/// A workflow `uses:` not pinned as policy says: a moved tag runs someone else's code with your secrets.
struct ActionUnpinnedRule: PinRule {
  static let description = RuleDescription(id: "pins/action-unpinned")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard pin.kind == .action, case .action(let use) = pin.target else { return nil }
    let level = PinPolicy(settings.parameters["pin"], default: .hash).level(for: pin.source)
    guard let ref = use.ref, !ref.isEmpty else {
      return PinProblem("\(use.uses) has no @ref; GitHub requires one", subject: "no-ref", evidence: [("ref", .null)])
    }
    let known = use.refComment.map { " (\($0))" } ?? ""
    switch level {
    case .any: return nil
    case .ref:
      guard !ref.isFullCommitID && !ref.looksLikeVersion else { return nil }
      return PinProblem(
        "\(use.uses) follows \(ref), which moves; pin a release tag or a commit id", subject: "moving:\(ref)",
        evidence: [("ref", .string(ref)), ("policy", .string(level.rawValue))])
    case .hash:
      guard !ref.isFullCommitID else { return nil }
      return PinProblem(
        "\(use.uses) is not pinned to a full commit id\(known) (policy: hash)", subject: "not-hash:\(ref)",
        evidence: [("ref", .string(ref)), ("policy", .string(level.rawValue))])
    }
  }
}
