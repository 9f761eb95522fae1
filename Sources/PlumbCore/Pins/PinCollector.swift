import Formats

/// Finds every pin in a snapshot: Terraform and Terragrunt module sources, workflow and composite
/// action `uses:`, and Dockerfile `FROM`. Each file is parsed once per blob id.
enum PinCollector {
  static func collect(_ snapshot: Snapshot) -> PinInventory {
    var inventory = PinInventory()
    for file in snapshot.files where file.kind == .file || file.kind == .executable {
      let path = file.path
      guard mayHoldPins(path) else { continue }
      let name = fileName(path)
      let isModule = name.hasSuffix(".tf") || name == "terragrunt.hcl"
      let isAction = !isModule && (isWorkflow(path) || name == "action.yml" || name == "action.yaml")
      guard isModule || isAction || isDockerfile(name) else { continue }
      // Recorded like a parse would be, so a rule depends on the file even when the cache answers.
      _ = snapshot.file(path)
      // A file's pins depend only on its content and path: kept by blob id, so periods that did not
      // change the file skip the parse lookups and the source parsing.
      let found = snapshot.cache.value(blob: file.blob, parser: "pins:" + path) { () -> PinInventory in
        var own = PinInventory()
        if isModule {
          modules(in: path, terragrunt: name == "terragrunt.hcl", snapshot: snapshot, into: &own)
        } else if isAction {
          actions(in: path, composite: !isWorkflow(path), snapshot: snapshot, into: &own)
        } else {
          images(in: path, snapshot: snapshot, into: &own)
        }
        return own
      }
      inventory.pins += found.pins
      inventory.problems += found.problems
    }
    return inventory
  }

  /// False for an ASCII path whose name has none of the endings (nor the `Dockerfile.` start) that
  /// every file read for pins has: a byte test that spares most files the checks by Character below.
  static func mayHoldPins(_ path: String) -> Bool {
    let answer = path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return true }
      let start = bytes.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
      let name = UnsafeBufferPointer(rebasing: bytes[start...])
      func ends(_ suffix: StaticString) -> Bool {
        let tail = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        return name.count >= tail.count && name.suffix(tail.count).elementsEqual(tail)
      }
      let dockerfilePrefix: StaticString = "Dockerfile."
      let head = UnsafeBufferPointer(start: dockerfilePrefix.utf8Start, count: dockerfilePrefix.utf8CodeUnitCount)
      return ends("tf") || ends("hcl") || ends("yml") || ends("yaml") || ends("ockerfile") || ends("ontainerfile")
        || (name.count >= head.count && name.prefix(head.count).elementsEqual(head))
    }
    return answer ?? true
  }

  /// The last path component, found by bytes (a Character search segments graphemes first).
  static func fileName(_ path: String) -> Substring {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path[...] }
    return path[path.utf8.index(after: slash)...]
  }

  static func isWorkflow(_ path: String) -> Bool {
    guard path.hasPrefix(".github/workflows/") else { return false }
    let rest = path.dropFirst(".github/workflows/".count)
    return !rest.contains("/") && (rest.hasSuffix(".yml") || rest.hasSuffix(".yaml"))
  }

  static func isDockerfile(_ name: Substring) -> Bool {
    name == "Dockerfile" || name == "Containerfile" || name.hasPrefix("Dockerfile.") || name.hasSuffix(".Dockerfile")
      || name.hasSuffix(".dockerfile")
  }

  static func modules(in path: String, terragrunt: Bool, snapshot: Snapshot, into inventory: inout PinInventory) {
    let parsed = snapshot.parsed(path, parser: "hcl") { text in
      Result { () throws(HCLSyntaxError) in try HCLParser.parse(text) }
    }
    guard
      let body = unwrap(
        parsed, path: path, into: &inventory,
        problem: { error in
          PinParseProblem(
            path: path, line: error.line, column: error.column, message: "HCL syntax error: \(error.message)")
        })
    else { return }
    let blocks = terragrunt ? body.blocks(ofType: "terraform") : body.blocks(ofType: "module")
    for block in blocks {
      guard let sourceAttribute = block.body.attribute(named: "source") else { continue }
      let expression = sourceAttribute.expression
      let literal = expression.stringValue
      let raw = literal ?? expression.sourceText
      let source = snapshot.cache.value(text: raw, parser: terragrunt ? "terragrunt-source" : "module-source") {
        ModuleSource.parse(raw, terragrunt: terragrunt)
      }
      let versionAttribute = block.body.attribute(named: "version")
      let constraint = versionAttribute.map { $0.expression.stringValue ?? $0.expression.sourceText }
      let blockName = terragrunt ? "terragrunt" : (block.labelValues.first ?? "?")
      let identity = source.address + (source.subdirectory.map { "//" + $0 } ?? "")
      inventory.pins.append(
        Pin(
          kind: .module, source: identity, raw: raw,
          version: source.version ?? constraint ?? source.refTagName ?? source.ref, ref: source.ref, name: blockName,
          path: path, line: sourceAttribute.nameRange.start.line, isDynamic: literal == nil,
          target: .module(source, constraint: source.version ?? constraint),
          versionLine: source.version == nil ? versionAttribute?.nameRange.start.line : nil))
    }
  }

  static func actions(in path: String, composite: Bool, snapshot: Snapshot, into inventory: inout PinInventory) {
    let parsed = snapshot.parsed(path, parser: composite ? "action" : "workflow") { text in
      Result { () throws(WorkflowParseError) in
        try composite ? Workflow.parseAction(text) : Workflow.parseWorkflow(text)
      }
    }
    guard
      let uses = unwrap(
        parsed, path: path, into: &inventory,
        problem: { error in
          PinParseProblem(path: path, line: error.line, column: error.column, message: error.message)
        })
    else { return }
    for use in uses {
      let source: String
      let kind: Pin.Kind
      switch use.kind {
      case .local: continue  // local actions live in the repository itself: nothing to pin
      case .docker(let image):
        kind = .image
        source = ImageReference.parse(image)?.name ?? image
      case .action(let owner, let repository, let subpath):
        kind = .action
        source = "\(owner)/\(repository)" + (subpath.map { "/" + $0 } ?? "")
      case .reusableWorkflow(let owner, let repository, let workflowPath):
        kind = .action
        source = "\(owner)/\(repository)/\(workflowPath)"
      }
      let where_ = [use.job, use.step.map { "step \($0 + 1)" }].compactMap { $0 }.joined(separator: " ")
      inventory.pins.append(
        Pin(
          kind: kind, source: source, raw: use.uses, version: use.refComment ?? use.ref, ref: use.ref,
          name: where_.isEmpty ? "uses" : where_, path: path, line: use.line, isDynamic: false, target: .action(use)))
    }
  }

  /// A file's parse, or nil after recording why it could not be read or parsed.
  static func unwrap<T, E: Error>(
    _ parsed: Result<Result<T, E>, FileProblem>, path: String, into inventory: inout PinInventory,
    problem: (E) -> PinParseProblem
  ) -> T? {
    switch parsed {
    case .failure(let unreadable):
      inventory.problems.append(PinParseProblem(path: path, line: nil, column: nil, message: "\(unreadable)"))
      return nil
    case .success(.failure(let error)):
      inventory.problems.append(problem(error))
      return nil
    case .success(.success(let value)):
      return value
    }
  }

  static func images(in path: String, snapshot: Snapshot, into inventory: inout PinInventory) {
    guard case .success(let result) = snapshot.parsed(path, parser: "dockerfile", Dockerfile.parse) else {
      if case .failure(let problem) = snapshot.text(path) {
        inventory.problems.append(PinParseProblem(path: path, line: nil, column: nil, message: "\(problem)"))
      }
      return
    }
    for error in result.errors {
      inventory.problems.append(PinParseProblem(path: path, line: error.line, column: nil, message: error.message))
    }
    for (index, stage) in result.stages.enumerated() {
      // Stages built on earlier stages and `scratch` pull nothing from outside.
      if stage.referencesStage != nil || stage.isScratch { continue }
      inventory.pins.append(
        Pin(
          kind: .image, source: stage.image?.name ?? stage.resolvedImage, raw: stage.rawImage,
          version: stage.image?.tag,
          ref: stage.image?.digest, name: stage.stageName ?? "stage \(index + 1)", path: path, line: stage.line,
          isDynamic: !stage.unresolvedVariables.isEmpty, target: .image(stage)))
    }
  }
}
