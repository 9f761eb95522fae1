/// One module's public interface: what callers depend on.
public struct ModuleInterface: Sendable, Equatable {
  public struct Variable: Sendable, Equatable {
    public var name: String
    /// The type expression rendered without whitespace or comments ("map(object({a=string}))"); nil when absent (any).
    public var type: String?
    /// The `default` expression rendered the same way; nil when there is no default.
    public var defaultValue: String?
    /// `default = null` counts as having a default.
    public var hasDefault: Bool
    /// Terraform's default is true; `nullable = false` turns it off.
    public var nullable: Bool
    public var sensitive: Bool
    public var file: String
    public var line: Int
  }

  public struct Output: Sendable, Equatable {
    public var name: String
    public var sensitive: Bool
    public var file: String
    public var line: Int
  }

  public struct Provider: Sendable, Equatable {
    public var localName: String
    public var source: String?
    public var constraint: String?
    public var file: String
    public var line: Int
  }

  public struct Component: Sendable, Equatable {
    public enum Kind: String, Sendable { case resource, module }
    public var kind: Kind
    /// "aws_s3_bucket.this" or "module.vpc".
    public var address: String
    public var file: String
    public var line: Int
  }

  /// `moved { from = aws_s3_bucket.a  to = aws_s3_bucket.b }`, addresses rendered without whitespace.
  public struct Moved: Sendable, Equatable {
    public var from: String
    public var to: String
  }

  public var variables: [String: Variable]
  public var outputs: [String: Output]
  /// From `terraform { required_providers { ... } }`, object and legacy string forms.
  public var providers: [String: Provider]
  /// `terraform { required_version = "..." }`.
  public var requiredVersion: String?
  /// Managed resources and module calls by address; `count`/`for_each` do not change the address.
  public var components: [String: Component]
  public var moved: [Moved]
  /// Files that did not parse; everything else is still extracted.
  public var errors: [InterfaceError]

  /// Extracts from the `.tf` files of ONE module directory (path → text); override files are merged last, as Terraform does.
  public static func extract(files: [String: String]) -> ModuleInterface {
    var builder = ModuleInterfaceBuilder()
    let paths = files.keys.sorted()
    // Terraform applies `override.tf` and `*_override.tf` after every primary file, in name order.
    let primaries = paths.filter { !ModuleInterfaceBuilder.isOverrideFile($0) }
    let overrides = paths.filter { ModuleInterfaceBuilder.isOverrideFile($0) }
    for path in primaries + overrides {
      builder.add(path: path, text: files[path] ?? "", isOverride: ModuleInterfaceBuilder.isOverrideFile(path))
    }
    return builder.interface
  }
}

public struct InterfaceError: Sendable, Equatable {
  public var file: String
  public var line: Int?
  public var column: Int?
  public var message: String
}

/// Accumulates one module's declarations file by file.
struct ModuleInterfaceBuilder {
  var interface = ModuleInterface(
    variables: [:], outputs: [:], providers: [:], requiredVersion: nil, components: [:], moved: [], errors: []
  )

  static func isOverrideFile(_ path: String) -> Bool {
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    return name == "override.tf" || name.hasSuffix("_override.tf")
  }

  mutating func add(path: String, text: String, isOverride: Bool) {
    let body: HCLBody
    do {
      body = try HCLParser.parse(text)
    } catch {
      interface.errors.append(
        InterfaceError(file: path, line: error.line, column: error.column, message: error.message))
      return
    }
    for block in body.blocks {
      switch block.type {
      case "variable": addVariable(block, path: path, isOverride: isOverride)
      case "output": addOutput(block, path: path, isOverride: isOverride)
      case "terraform": addTerraform(block, path: path, isOverride: isOverride)
      case "resource", "module": addComponent(block, path: path, isOverride: isOverride)
      case "moved": addMoved(block, isOverride: isOverride)
      default: break
      }
    }
  }

  private mutating func addVariable(_ block: HCLBlock, path: String, isOverride: Bool) {
    guard block.labels.count == 1 else { return }
    let name = block.labelValues[0]
    let attributes = block.body
    if isOverride {
      // An override only replaces the arguments it sets; it cannot declare a new variable.
      guard var variable = interface.variables[name] else { return }
      if let type = attributes.attribute(named: "type") { variable.type = Self.typeText(type.expression) }
      if let value = attributes.attribute(named: "default") {
        variable.defaultValue = Self.text(value.expression)
        variable.hasDefault = true
      }
      if let flag = attributes.attribute(named: "nullable").flatMap({ Self.bool($0.expression) }) {
        variable.nullable = flag
      }
      if let flag = attributes.attribute(named: "sensitive").flatMap({ Self.bool($0.expression) }) {
        variable.sensitive = flag
      }
      interface.variables[name] = variable
      return
    }
    guard interface.variables[name] == nil else { return }
    let defaultExpression = attributes.attribute(named: "default")?.expression
    interface.variables[name] = ModuleInterface.Variable(
      name: name,
      type: attributes.attribute(named: "type").map { Self.typeText($0.expression) },
      defaultValue: defaultExpression.map(Self.text),
      hasDefault: defaultExpression != nil,
      nullable: attributes.attribute(named: "nullable").flatMap { Self.bool($0.expression) } ?? true,
      sensitive: attributes.attribute(named: "sensitive").flatMap { Self.bool($0.expression) } ?? false,
      file: path,
      line: block.typeRange.start.line
    )
  }

  private mutating func addOutput(_ block: HCLBlock, path: String, isOverride: Bool) {
    guard block.labels.count == 1 else { return }
    let name = block.labelValues[0]
    let sensitive = block.body.attribute(named: "sensitive").flatMap { Self.bool($0.expression) }
    if isOverride {
      if let sensitive, interface.outputs[name] != nil { interface.outputs[name]?.sensitive = sensitive }
      return
    }
    guard interface.outputs[name] == nil else { return }
    interface.outputs[name] = ModuleInterface.Output(
      name: name, sensitive: sensitive ?? false, file: path, line: block.typeRange.start.line
    )
  }

  private mutating func addTerraform(_ block: HCLBlock, path: String, isOverride: Bool) {
    if let version = block.body.attribute(named: "required_version"), isOverride || interface.requiredVersion == nil {
      interface.requiredVersion = Self.stringOrText(version.expression)
    }
    for requirements in block.body.blocks(ofType: "required_providers") {
      for attribute in requirements.body.attributes {
        addProvider(attribute, path: path, isOverride: isOverride)
      }
    }
  }

  private mutating func addProvider(_ attribute: HCLAttribute, path: String, isOverride: Bool) {
    let name = attribute.name
    var source: String?
    var constraint: String?
    if case .object(let items) = attribute.expression.kind {
      for item in items {
        switch item.keyName {
        case "source": source = Self.stringOrText(item.value)
        case "version": constraint = Self.stringOrText(item.value)
        default: break
        }
      }
    } else {
      // Legacy form: `aws = "~> 5.0"` is a bare version constraint.
      constraint = Self.stringOrText(attribute.expression)
    }
    if interface.providers[name] != nil && !isOverride { return }
    interface.providers[name] = ModuleInterface.Provider(
      localName: name, source: source, constraint: constraint, file: path, line: attribute.nameRange.start.line
    )
  }

  private mutating func addComponent(_ block: HCLBlock, path: String, isOverride: Bool) {
    let address: String
    let kind: ModuleInterface.Component.Kind
    if block.type == "module" {
      guard block.labels.count == 1 else { return }
      address = "module." + block.labelValues[0]
      kind = .module
    } else {
      guard block.labels.count == 2 else { return }
      address = block.labelValues[0] + "." + block.labelValues[1]
      kind = .resource
    }
    guard !isOverride, interface.components[address] == nil else { return }
    interface.components[address] = ModuleInterface.Component(
      kind: kind, address: address, file: path, line: block.typeRange.start.line
    )
  }

  private mutating func addMoved(_ block: HCLBlock, isOverride: Bool) {
    guard !isOverride, let from = block.body.attribute(named: "from"), let to = block.body.attribute(named: "to") else {
      return
    }
    interface.moved.append(ModuleInterface.Moved(from: Self.text(from.expression), to: Self.text(to.expression)))
  }

  static func text(_ expression: HCLExpression) -> String {
    InterfaceExpressionText.render(expression)
  }

  /// A variable's type; Terraform 0.11's quoted spellings read as the types 0.12 made of them ("string" is string,
  /// "list" list(any), "map" map(any)), so rewriting one as the other is no change.
  static func typeText(_ expression: HCLExpression) -> String {
    switch expression.stringValue {
    case "string": "string"
    case "list": "list(any)"
    case "map": "map(any)"
    default: text(expression)
    }
  }

  /// Constraint-like settings: the string itself when literal, else the rendered expression.
  static func stringOrText(_ expression: HCLExpression) -> String {
    expression.stringValue ?? text(expression)
  }

  /// Terraform converts the strings "true"/"false" to bool, so accept both spellings; anything else is unknown.
  static func bool(_ expression: HCLExpression) -> Bool? {
    switch expression.kind {
    case .literal(.bool(let flag)): return flag
    case .literal(.string("true")): return true
    case .literal(.string("false")): return false
    default: return nil
    }
  }
}
