import Formats

/// A module `?ref=` that names a branch: the code under the pin moves without anyone changing it.
struct ModuleBranchRefRule: PinRule {
  static let description = RuleDescription(id: "pins/module-branch-ref")

  func judge(_ pin: Pin, settings: RuleSettings, knowledge: EstateKnowledge) -> PinProblem? {
    guard case .module(let source, _) = pin.target, !pin.isDynamic, let ref = source.ref, !ref.isEmpty,
      [.github, .bitbucket, .git, .mercurial].contains(source.kind)
    else { return nil }
    if ref.isFullCommitID || PinPolicy(settings.parameters["pin"], default: .ref).level(for: pin.source) == .any {
      return nil
    }
    let tagName = source.refTagName ?? ref
    if let repository = knowledge.repository(for: source) {
      // The module's own repository is in the estate: ask it what the ref is.
      if repository.tags.contains(tagName) { return nil }
      let isBranch = repository.branches.contains(ref.hasPrefix("refs/heads/") ? String(ref.dropFirst(11)) : ref)
      let what = isBranch ? "a branch of" : "no tag of"
      return PinProblem(
        "module \"\(pin.name)\" pins ?ref=\(ref), which is \(what) \(repository.name)"
          + (isBranch ? "; pin a release tag or a commit id" : " (nor a commit id); pin a release tag"),
        subject: ref,
        evidence: [("ref", .string(ref)), ("resolved_in", .string(repository.name)), ("branch", .bool(isBranch))])
    }
    if source.refTagName != nil || source.refLooksLikeVersion { return nil }
    return PinProblem(
      "module \"\(pin.name)\" pins ?ref=\(ref), which looks like a branch, not a tag or a commit id",
      subject: ref, evidence: [("ref", .string(ref)), ("resolved_in", .null)])
  }
}
