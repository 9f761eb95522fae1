/// The Backstage catalog names an owner that CODEOWNERS does not: two sources of truth disagree.
struct CatalogOwnerMismatchRule: Rule {
  static let description = RuleDescription(id: "ownership/catalog-owner-mismatch")

  func check(_ context: RuleContext) -> [Finding] {
    guard let catalog = context.facts.catalog, case .success(let info) = catalog.info, let owner = info.owner,
      let codeOwners = context.facts.codeOwners, let file = codeOwners.parsed
    else { return [] }
    // The owners of a file at the repository root stand for the owners of the repository.
    let rootOwners = file.owners(of: catalog.path).owners
    let wanted = Self.normalize(catalogOwner: owner)
    guard !rootOwners.map(Self.normalize(codeOwner:)).contains(wanted) else { return [] }
    let listed = rootOwners.isEmpty ? "nobody" : rootOwners.joined(separator: ", ")
    return [
      context.finding(
        "\(catalog.path) says spec.owner is \(owner), but \(codeOwners.path) gives the repository root to \(listed)",
        path: catalog.path, line: info.ownerLine, subject: owner,
        evidence: [("catalog_owner", .string(owner)), ("codeowners", JSONValue(rootOwners))])
    ]
  }

  /// `group:default/payments` and `payments` both name the team `payments`.
  static func normalize(catalogOwner: String) -> String {
    var name = catalogOwner
    if let colon = name.firstIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
    if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
    return name.lowercased()
  }

  /// `@acme/payments` names the team `payments`; `@jdoe` the user `jdoe`; an email its local part.
  static func normalize(codeOwner: String) -> String {
    var name = codeOwner
    if let at = name.firstIndex(of: "@"), at != name.startIndex { name = String(name[..<at]) }
    while name.hasPrefix("@") { name.removeFirst() }
    if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
    return name.lowercased()
  }
}
