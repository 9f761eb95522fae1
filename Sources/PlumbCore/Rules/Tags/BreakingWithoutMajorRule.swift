import Formats

/// A release that breaks a module's interface without a major bump: every pessimistic `~>` consumer
/// takes the break at its next `terraform init`.
struct BreakingWithoutMajorRule: Rule {
  static let description = RuleDescription(id: "tags/breaking-without-major")

  func check(_ context: RuleContext) -> [Finding] {
    let history = context.snapshot.history
    let cache = context.snapshot.cache
    var findings: [Finding] = []
    let stable = context.facts.releases.filter { release in
      release.tag.commit != nil && release.parsed.version.map { $0.prereleaseIdentifiers.isEmpty } ?? false
    }
    let byComponent = Dictionary(grouping: stable) { $0.parsed.component }
    for component in byComponent.keys.sorted() {
      let ordered = byComponent[component]!.sorted { $0.parsed.version! < $1.parsed.version! }
      guard let newest = ordered.last?.tag.commit else { continue }
      // A component tag names its own module folder; otherwise every module the repository publishes.
      let folders =
        !component.isEmpty && history.interface(at: newest, directory: component, cache: cache) != nil
        ? [component] : history.moduleDirectories(at: newest)
      for (older, newer) in zip(ordered, ordered.dropFirst()) {
        let from = older.parsed.version!
        let to = newer.parsed.version!
        guard !ReleaseTag.isMajorBump(from: from, to: to) else { continue }
        for folder in folders {
          // A side whose .tf files do not all parse would read as declarations removed: it cannot be compared.
          guard let before = history.interface(at: older.tag.commit!, directory: folder, cache: cache),
            let after = history.interface(at: newer.tag.commit!, directory: folder, cache: cache),
            before.errors.isEmpty, after.errors.isEmpty
          else { continue }
          let breaking = InterfaceDiff.changes(from: before, to: after).filter(\.isBreaking)
          guard !breaking.isEmpty else { continue }
          let module = folder.isEmpty ? "the root module" : "module \(folder)"
          let needed = from.major == 0 ? "a minor bump (below 1.0.0)" : "a major bump"
          findings.append(
            context.finding(
              "release \(newer.tag.name) breaks \(module)'s interface without \(needed) from \(older.tag.name): "
                + breaking.map(\.detail).joined(separator: "; "),
              subject: "\(newer.tag.name)|\(folder)",
              evidence: [
                ("from_tag", .string(older.tag.name)), ("to_tag", .string(newer.tag.name)), ("module", .string(folder)),
                (
                  "changes",
                  .array(
                    breaking.map { change in
                      .object([
                        ("kind", .string(change.kind.rawValue)), ("subject", .string(change.subject)),
                        ("detail", .string(change.detail)), ("before", JSONValue(change.before)),
                        ("after", JSONValue(change.after)),
                      ])
                    })
                ),
              ],
              commit: history.commitRef(newer.tag.commit!)))
        }
      }
    }
    return findings
  }
}
