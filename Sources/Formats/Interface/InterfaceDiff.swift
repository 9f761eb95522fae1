import Version

/// One difference between two interfaces, classified.
public struct InterfaceChange: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case variableAdded, variableAddedWithoutDefault, variableRemoved, variableTypeChanged, variableDefaultRemoved,
      variableDefaultChanged, variableNullableTurnedOff, variableNullableTurnedOn, outputAdded, outputRemoved,
      componentAdded, componentRemoved, componentRenamedWithoutMoved, componentMoved,
      requiredVersionNarrowed, requiredVersionWidened, requiredVersionChanged,
      providerAdded, providerRemoved, providerConstraintNarrowed, providerConstraintWidened, providerConstraintChanged
  }

  public var kind: Kind
  /// The variable/output/provider name or the component address.
  public var subject: String
  public var isBreaking: Bool
  /// One human sentence.
  public var detail: String
  public var before: String?
  public var after: String?
}

public enum InterfaceDiff {
  /// Sorted: breaking first, then by kind (declaration order) and subject.
  public static func changes(from old: ModuleInterface, to new: ModuleInterface) -> [InterfaceChange] {
    var changes: [InterfaceChange] = []
    diffVariables(old.variables, new.variables, into: &changes)
    diffOutputs(old.outputs, new.outputs, into: &changes)
    diffComponents(old: old, new: new, into: &changes)
    diffRequiredVersion(old.requiredVersion, new.requiredVersion, into: &changes)
    diffProviders(old.providers, new.providers, into: &changes)
    return changes.sorted { lhs, rhs in
      if lhs.isBreaking != rhs.isBreaking { return lhs.isBreaking }
      let lhsRank = InterfaceChangeRules.rank(lhs.kind)
      let rhsRank = InterfaceChangeRules.rank(rhs.kind)
      if lhsRank != rhsRank { return lhsRank < rhsRank }
      if lhs.subject != rhs.subject { return lhs.subject < rhs.subject }
      return (lhs.before ?? "", lhs.after ?? "") < (rhs.before ?? "", rhs.after ?? "")
    }
  }

  private static func change(
    _ kind: InterfaceChange.Kind, _ subject: String, _ detail: String, before: String? = nil, after: String? = nil
  ) -> InterfaceChange {
    InterfaceChange(
      kind: kind, subject: subject, isBreaking: InterfaceChangeRules.isBreaking(kind), detail: detail,
      before: before, after: after
    )
  }

  private static func diffVariables(
    _ old: [String: ModuleInterface.Variable], _ new: [String: ModuleInterface.Variable],
    into changes: inout [InterfaceChange]
  ) {
    for name in Set(old.keys).union(new.keys).sorted() {
      switch (old[name], new[name]) {
      case (nil, let added?):
        if added.hasDefault {
          let detail =
            "variable \"\(name)\" added with default \(added.defaultValue ?? "null"): existing callers are unaffected"
          changes.append(change(.variableAdded, name, detail, after: added.defaultValue))
        } else {
          let detail = "variable \"\(name)\" added without a default: every caller must now set it"
          changes.append(change(.variableAddedWithoutDefault, name, detail, after: added.type))
        }
      case (let removed?, nil):
        let detail = "variable \"\(name)\" removed: callers that still set it fail with \"Unsupported argument\""
        changes.append(change(.variableRemoved, name, detail, before: removed.type))
      case (let before?, let after?):
        diffVariable(name, before, after, into: &changes)
      case (nil, nil):
        break
      }
    }
  }

  private static func diffVariable(
    _ name: String, _ before: ModuleInterface.Variable, _ after: ModuleInterface.Variable,
    into changes: inout [InterfaceChange]
  ) {
    // An absent type and `any` accept exactly the same values.
    let oldType = before.type ?? "any"
    let newType = after.type ?? "any"
    if oldType != newType {
      let detail =
        "variable \"\(name)\" type changed from \(oldType) to \(newType): callers' values may no longer convert"
      changes.append(change(.variableTypeChanged, name, detail, before: oldType, after: newType))
    }
    switch (before.hasDefault, after.hasDefault) {
    case (true, false):
      let detail =
        "variable \"\(name)\" lost its default (\(before.defaultValue ?? "null")): every caller must now set it"
      changes.append(change(.variableDefaultRemoved, name, detail, before: before.defaultValue))
    case (false, true):
      let detail = "variable \"\(name)\" gained the default \(after.defaultValue ?? "null"): callers may now omit it"
      changes.append(change(.variableDefaultChanged, name, detail, after: after.defaultValue))
    case (true, true) where before.defaultValue != after.defaultValue:
      let detail =
        "variable \"\(name)\" default changed from \(before.defaultValue ?? "null") to \(after.defaultValue ?? "null"): "
        + "callers relying on the default get the new value"
      changes.append(
        change(.variableDefaultChanged, name, detail, before: before.defaultValue, after: after.defaultValue))
    default:
      break
    }
    if before.nullable && !after.nullable {
      let detail = "variable \"\(name)\" is no longer nullable: callers passing null now get the default or an error"
      changes.append(change(.variableNullableTurnedOff, name, detail, before: "true", after: "false"))
    } else if !before.nullable && after.nullable {
      let detail =
        "variable \"\(name)\" is now nullable: a null from callers is kept instead of replaced by the default"
      changes.append(change(.variableNullableTurnedOn, name, detail, before: "false", after: "true"))
    }
  }

  private static func diffOutputs(
    _ old: [String: ModuleInterface.Output], _ new: [String: ModuleInterface.Output],
    into changes: inout [InterfaceChange]
  ) {
    for name in Set(old.keys).subtracting(new.keys).sorted() {
      let detail = "output \"\(name)\" removed: callers reading module.<name>.\(name) will fail"
      changes.append(change(.outputRemoved, name, detail))
    }
    for name in Set(new.keys).subtracting(old.keys).sorted() {
      changes.append(change(.outputAdded, name, "output \"\(name)\" added"))
    }
  }

  private static func diffComponents(old: ModuleInterface, new: ModuleInterface, into changes: inout [InterfaceChange])
  {
    var removed = Set(old.components.keys).subtracting(new.components.keys).sorted()
    var added = Set(new.components.keys).subtracting(old.components.keys)

    // A `moved` block in the new revision carries state from a vanished address to one the new revision declares.
    var stillRemoved: [String] = []
    for address in removed {
      let target = new.moved.first { moved in
        InterfaceAddress.component(of: moved.from) == address
          && InterfaceAddress.component(of: moved.to).map { new.components[$0] != nil } == true
      }
      guard let target, let destination = InterfaceAddress.component(of: target.to) else {
        stillRemoved.append(address)
        continue
      }
      // A move into a new module call's insides leaves that call reported as added; a plain rename does not.
      if InterfaceAddress.component(of: target.to) == InterfaceAddress.withoutInstanceKeys(target.to) {
        added.remove(destination)
      }
      let detail = "\(address) moved to \(target.to); the moved block carries existing state over"
      changes.append(change(.componentMoved, address, detail, before: target.from, after: target.to))
    }
    removed = stillRemoved

    // Pair what is left by resource type (module calls pair with module calls), in address order.
    var addedByType: [String: [String]] = [:]
    for address in added.sorted() {
      addedByType[InterfaceAddress.pairingType(of: address), default: []].append(address)
    }
    for address in removed {
      let type = InterfaceAddress.pairingType(of: address)
      if var candidates = addedByType[type], !candidates.isEmpty {
        let renamed = candidates.removeFirst()
        addedByType[type] = candidates
        added.remove(renamed)
        let detail =
          "\(address) renamed to \(renamed) without a moved block: Terraform will destroy and recreate it "
          + "in every caller"
        changes.append(change(.componentRenamedWithoutMoved, address, detail, before: address, after: renamed))
      } else {
        let what = old.components[address]?.kind == .module ? "module call" : "resource"
        let victim = what == "module call" ? "everything it manages" : "it"
        let detail =
          "\(what) \(address) removed without a moved block: Terraform will destroy \(victim) in every caller"
        changes.append(change(.componentRemoved, address, detail, before: address))
      }
    }
    for address in added.sorted() {
      let what = new.components[address]?.kind == .module ? "module call" : "resource"
      changes.append(change(.componentAdded, address, "\(what) \(address) added", after: address))
    }
  }

  private static func diffRequiredVersion(_ old: String?, _ new: String?, into changes: inout [InterfaceChange]) {
    diffConstraint(
      subject: "required_version", label: "required_version", product: "Terraform ", old, new,
      kinds: (.requiredVersionNarrowed, .requiredVersionWidened, .requiredVersionChanged), into: &changes
    )
  }

  /// One constraint's move, worded for `label`; `product` prefixes example versions ("Terraform 1.3.0").
  private static func diffConstraint(
    subject: String, label: String, product: String, _ old: String?, _ new: String?,
    kinds: (narrowed: InterfaceChange.Kind, widened: InterfaceChange.Kind, changed: InterfaceChange.Kind),
    into changes: inout [InterfaceChange]
  ) {
    guard let comparison = InterfaceConstraintComparison.compare(old, new) else { return }
    let span = "from \(quoted(old)) to \(quoted(new))"
    let kind: InterfaceChange.Kind
    let detail: String
    switch comparison {
    case .narrowed(let lost):
      kind = kinds.narrowed
      detail = "\(label) narrowed \(span): \(product)\(lost) is no longer allowed"
    case .widened(let gained):
      kind = kinds.widened
      detail = "\(label) widened \(span): \(product)\(gained) is now allowed"
    case .shifted(let lost, let gained):
      kind = kinds.changed
      detail = "\(label) changed \(span): it drops \(product)\(lost) while admitting \(gained)"
    case .unreadable:
      kind = kinds.changed
      detail = "\(label) changed \(span), and one side cannot be read as a version constraint"
    }
    changes.append(change(kind, subject, detail, before: old, after: new))
  }

  private static func diffProviders(
    _ old: [String: ModuleInterface.Provider], _ new: [String: ModuleInterface.Provider],
    into changes: inout [InterfaceChange]
  ) {
    for name in Set(old.keys).union(new.keys).sorted() {
      switch (old[name], new[name]) {
      case (let removed?, nil):
        let detail =
          "provider \"\(name)\" (\(fullSource(removed))) is no longer required: callers passing it in `providers` now "
          + "reference an undeclared provider"
        changes.append(change(.providerRemoved, name, detail, before: requirement(removed)))
      case (nil, let added?):
        let detail = "provider \"\(name)\" (\(requirement(added))) is now required"
        changes.append(change(.providerAdded, name, detail, after: requirement(added)))
      case (let before?, let after?):
        if fullSource(before) != fullSource(after) {
          // Another source is another provider: the old one is gone and a new one is required.
          let removedDetail =
            "provider \"\(name)\" no longer comes from \(fullSource(before)) but from \(fullSource(after)): "
            + "callers must configure the new provider"
          changes.append(change(.providerRemoved, name, removedDetail, before: requirement(before)))
          let addedDetail = "provider \"\(name)\" now comes from \(fullSource(after))"
          changes.append(change(.providerAdded, name, addedDetail, after: requirement(after)))
          continue
        }
        diffConstraint(
          subject: name, label: "provider \"\(name)\" version constraint", product: "", before.constraint,
          after.constraint,
          kinds: (.providerConstraintNarrowed, .providerConstraintWidened, .providerConstraintChanged),
          into: &changes
        )
      case (nil, nil):
        break
      }
    }
  }

  private static func quoted(_ constraint: String?) -> String {
    constraint.map { "\"\($0)\"" } ?? "no constraint"
  }

  /// "hashicorp/aws ~> 5.0", or the source alone when there is no constraint.
  private static func requirement(_ provider: ModuleInterface.Provider) -> String {
    fullSource(provider) + (provider.constraint.map { " " + $0 } ?? "")
  }

  /// Terraform's reading of `source`: absent means hashicorp/<name>, the public registry host is implied, case is ignored.
  static func fullSource(_ provider: ModuleInterface.Provider) -> String {
    let raw = (provider.source ?? "hashicorp/\(provider.localName)").lowercased()
    let trimmed = String(raw.unicodeScalars.filter { !$0.properties.isWhitespace })
    let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count == 3, parts[0] == "registry.terraform.io" { return parts[1...].joined(separator: "/") }
    return trimmed
  }
}

/// Fixed facts about each change kind.
enum InterfaceChangeRules {
  static let order: [InterfaceChange.Kind] = [
    .variableAdded, .variableAddedWithoutDefault, .variableRemoved, .variableTypeChanged, .variableDefaultRemoved,
    .variableDefaultChanged, .variableNullableTurnedOff, .variableNullableTurnedOn, .outputAdded, .outputRemoved,
    .componentAdded, .componentRemoved, .componentRenamedWithoutMoved, .componentMoved,
    .requiredVersionNarrowed, .requiredVersionWidened, .requiredVersionChanged,
    .providerAdded, .providerRemoved, .providerConstraintNarrowed, .providerConstraintWidened,
    .providerConstraintChanged,
  ]

  static func rank(_ kind: InterfaceChange.Kind) -> Int {
    order.firstIndex(of: kind) ?? order.count
  }

  static func isBreaking(_ kind: InterfaceChange.Kind) -> Bool {
    switch kind {
    case .variableAddedWithoutDefault, .variableRemoved, .variableTypeChanged, .variableDefaultRemoved,
      .variableNullableTurnedOff, .outputRemoved, .componentRemoved, .componentRenamedWithoutMoved,
      .requiredVersionNarrowed, .requiredVersionChanged, .providerRemoved, .providerConstraintNarrowed,
      .providerConstraintChanged:
      return true
    case .variableAdded, .variableDefaultChanged, .variableNullableTurnedOn, .outputAdded, .componentAdded,
      .componentMoved, .requiredVersionWidened, .providerAdded, .providerConstraintWidened:
      return false
    }
  }
}

/// Reads the resource addresses written in `moved` blocks.
enum InterfaceAddress {
  /// The address of this module's component that an endpoint lives in: instance keys dropped, nested paths cut at the module call.
  static func component(of address: String) -> String? {
    guard let names = withoutInstanceKeys(address)?.split(separator: ".").map(String.init) else { return nil }
    guard names.count >= 2, names[0] != "data" else { return nil }
    return names[0] == "module" ? "module." + names[1] : names[0] + "." + names[1]
  }

  /// The dotted names of an endpoint, instance keys dropped: `module.a["k"].aws_x.b[0]` -> "module.a.aws_x.b".
  static func withoutInstanceKeys(_ address: String) -> String? {
    guard let expression = try? HCLParser.parseExpression(address), let traversal = expression.traversal else {
      return nil
    }
    var names = [traversal.root]
    for case .getAttr(let name, _) in traversal.steps { names.append(name) }
    return names.joined(separator: ".")
  }

  /// Resource type for managed resources, "module" for module calls.
  static func pairingType(of address: String) -> String {
    String(address.prefix { $0 != "." })
  }
}

/// How the set of versions a constraint allows moved between two revisions.
enum InterfaceConstraintComparison: Equatable {
  case narrowed(lost: Version)
  case widened(gained: Version)
  /// Some versions dropped and others admitted.
  case shifted(lost: Version, gained: Version)
  /// The text changed and at least one side does not parse.
  case unreadable

  /// nil when the two constraints allow exactly the same probe versions; a missing constraint allows everything.
  static func compare(_ old: String?, _ new: String?) -> InterfaceConstraintComparison? {
    if squeezed(old) == squeezed(new) { return nil }
    guard let oldConstraint = rule(old), let newConstraint = rule(new) else {
      return .unreadable
    }
    var lost: Version?
    var gained: Version?
    for version in probes(oldConstraint.clauses + newConstraint.clauses) {
      let before = oldConstraint.allows(version)
      let after = newConstraint.allows(version)
      if before && !after && lost.map({ version < $0 }) ?? true { lost = version }
      if after && !before && gained.map({ version < $0 }) ?? true { gained = version }
    }
    switch (lost, gained) {
    case (nil, nil): return nil
    case (let lost?, nil): return .narrowed(lost: lost)
    case (nil, let gained?): return .widened(gained: gained)
    case (let lost?, let gained?): return .shifted(lost: lost, gained: gained)
    }
  }

  /// "Allows everything" for a missing constraint, nil when the text does not parse.
  private static func rule(_ text: String?) -> InterfaceVersionRule? {
    guard let text else { return .any }
    guard let parsed = try? VersionConstraint.parse(text) else { return nil }
    return .constraint(parsed)
  }

  private static func squeezed(_ text: String?) -> String? {
    text.map { String($0.unicodeScalars.filter { !$0.properties.isWhitespace }) }
  }

  /// Every X.Y.Z for X, Y in 0...30 and Z in {0, 1, 5, 10}, then each named version and its neighbours (may repeat).
  static func probes(_ clauses: [VersionConstraint.Clause]) -> [Version] {
    var probes: [Version] = []
    probes.reserveCapacity(31 * 31 * 4 + clauses.count * 8)
    for major in 0...30 {
      for minor in 0...30 {
        for patch in [0, 1, 5, 10] { probes.append(Version(major, minor, patch)) }
      }
    }
    for clause in clauses {
      let v = clause.version
      probes.append(v)
      probes.append(Version(v.major, v.minor, v.patch))
      probes.append(Version(v.major, v.minor, v.patch + 1))
      probes.append(Version(v.major, v.minor + 1, 0))
      probes.append(Version(v.major + 1, 0, 0))
      if v.patch > 0 { probes.append(Version(v.major, v.minor, v.patch - 1)) }
      if v.minor > 0 { probes.append(Version(v.major, v.minor - 1, 0)) }
      if v.major > 0 { probes.append(Version(v.major - 1, 0, 0)) }
    }
    return probes
  }
}

/// A constraint to test versions against: a missing one allows everything.
enum InterfaceVersionRule {
  case any
  case constraint(VersionConstraint)

  var clauses: [VersionConstraint.Clause] {
    if case .constraint(let parsed) = self { return parsed.clauses }
    return []
  }

  func allows(_ version: Version) -> Bool {
    switch self {
    case .any: return version.prereleaseIdentifiers.isEmpty
    case .constraint(let parsed): return parsed.allows(version)
    }
  }
}
