import Yams

/// One `uses:` value in a GitHub Actions workflow or composite action.
public struct ActionUse: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case local(path: String)
    case docker(image: String)
    case action(owner: String, repository: String, path: String?)
    case reusableWorkflow(owner: String, repository: String, path: String)
  }

  /// As written.
  public var uses: String
  public var kind: Kind
  /// After "@" (nil for local/docker).
  public var ref: String?
  /// "v4.1.1" from a trailing comment like `# v4.1.1`, `# tag=v4.1.1` or `# pin@v4.1.1` on the same line.
  public var refComment: String?
  /// 1-based line of the uses value.
  public var line: Int
  /// 1-based column (in Unicode scalars) of the uses value.
  public var column: Int
  public var job: String?
  /// 0-based index within the job's steps; nil for job-level uses (reusable workflows).
  public var step: Int?

  public init(
    uses: String, kind: Kind, ref: String?, refComment: String?, line: Int, column: Int, job: String?, step: Int?
  ) {
    self.uses = uses
    self.kind = kind
    self.ref = ref
    self.refComment = refComment
    self.line = line
    self.column = column
    self.job = job
    self.step = step
  }

  /// True when ref is a full 40-hex commit id.
  public var refIsCommitID: Bool {
    guard let ref else { return false }
    return ref.utf8.count == 40 && ref.utf8.allSatisfy(PinsText.isHexDigit)
  }

  /// Classifies a `uses` string without position information.
  static func classify(_ uses: String) -> (kind: Kind, ref: String?) {
    let value = uses.trimmingLeadingAndTrailingSpaces()
    if value.hasPrefix("./") || value.hasPrefix("../") {
      return (.local(path: value), nil)
    }
    if value.lowercased().hasPrefix("docker://") {
      return (.docker(image: String(value.dropFirst("docker://".count))), nil)
    }
    var target = Substring(value)
    var ref: String?
    if let at = value.firstIndex(of: "@") {
      ref = String(value[value.index(after: at)...])
      target = value[..<at]
    }
    let parts = target.split(separator: "/", omittingEmptySubsequences: false)
    let owner = parts.first.map(String.init) ?? ""
    let repository = parts.count > 1 ? String(parts[1]) : ""
    let path = parts.count > 2 ? parts.dropFirst(2).joined(separator: "/") : nil
    if let path, isWorkflowFile(path) {
      return (.reusableWorkflow(owner: owner, repository: repository, path: path), ref)
    }
    return (.action(owner: owner, repository: repository, path: path?.isEmpty == true ? nil : path), ref)
  }

  /// ".github/workflows/NAME.yml" or ".yaml".
  static func isWorkflowFile(_ path: String) -> Bool {
    let lowered = path.lowercased()
    return lowered.hasPrefix(".github/workflows/") && (lowered.hasSuffix(".yml") || lowered.hasSuffix(".yaml"))
  }
}

public struct WorkflowParseError: Error, Sendable, Equatable {
  public var line: Int?
  public var column: Int?
  public var message: String

  public init(line: Int?, column: Int?, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }
}

public enum Workflow {
  /// Past this many visited nodes a document is treated as an alias bomb.
  static let nodeLimit = 100_000

  /// A workflow file (.github/workflows/*.yml): jobs.<id>.uses and jobs.<id>.steps[*].uses.
  public static func parseWorkflow(_ text: String) throws(WorkflowParseError) -> [ActionUse] {
    var walker = try UsesWalker(text: text)
    guard let jobs = try walker.value(walker.root, "jobs") else { return [] }
    guard case .mapping(let jobMap) = jobs else {
      throw walker.structureError(jobs, "\"jobs\" must be a mapping of job ids to jobs.")
    }
    var result: [ActionUse] = []
    for (key, job) in jobMap {
      try walker.count()
      let jobID = key.scalar?.string ?? ""
      guard case .mapping = job else { continue }
      if let uses = try walker.value(job, "uses"), let found = walker.use(uses, job: jobID, step: nil) {
        result.append(found)
      }
      if let steps = try walker.value(job, "steps") {
        result += try walker.steps(steps, job: jobID)
      }
    }
    return result
  }

  /// A composite action (action.yml / action.yaml): runs.steps[*].uses.
  public static func parseAction(_ text: String) throws(WorkflowParseError) -> [ActionUse] {
    var walker = try UsesWalker(text: text)
    guard let runs = try walker.value(walker.root, "runs"), case .mapping = runs,
      let steps = try walker.value(runs, "steps")
    else { return [] }
    return try walker.steps(steps, job: nil)
  }
}

/// Walks the composed YAML tree with a visit budget and reads comments from the raw lines.
private struct UsesWalker {
  let root: Node
  let lines: [Substring]
  var visited = 0
  var scannedLines: [Int: ScannedLine] = [:]

  init(text: String) throws(WorkflowParseError) {
    try Self.refuseAliasesInKeys(text)
    let composed = try Self.compose(text)
    guard let composed else {
      throw WorkflowParseError(line: nil, column: nil, message: "The file holds no YAML document.")
    }
    guard case .mapping = composed else {
      let mark = composed.mark
      throw WorkflowParseError(line: mark?.line, column: mark?.column, message: "The top level must be a YAML mapping.")
    }
    root = composed
    lines = PinsText.lines(text)
  }

  static func compose(_ text: String) throws(WorkflowParseError) -> Node? {
    do {
      return try Yams.compose(yaml: text, .default, .default, .utf8)
    } catch let error as YamlError {
      throw convert(error)
    } catch {
      throw WorkflowParseError(line: nil, column: nil, message: "Invalid YAML: \(error)")
    }
  }

  /// Yams hashes every key while composing, so aliased keys could cost exponential time: a same-length `*name` -> `~name` pass finds them first.
  static func refuseAliasesInKeys(_ text: String) throws(WorkflowParseError) {
    var bytes = Array(text.utf8)
    var replaced = false
    for index in bytes.indices.dropLast() where bytes[index] == UInt8(ascii: "*") && isAnchorByte(bytes[index + 1]) {
      bytes[index] = UInt8(ascii: "~")
      replaced = true
    }
    guard replaced, let root = try compose(String(decoding: bytes, as: UTF8.self)) else { return }
    var pending = [root]
    while let node = pending.popLast() {
      switch node {
      case .mapping(let mapping):
        for (key, value) in mapping {
          if containsAliasMarker(key) {
            throw WorkflowParseError(
              line: key.mark?.line, column: key.mark?.column,
              message: "A mapping key built from an alias could expand without bound; refusing to read the document.")
          }
          pending.append(value)
        }
      case .sequence(let sequence):
        pending.append(contentsOf: sequence)
      case .scalar, .alias:
        break
      }
    }
  }

  /// libyaml's anchor characters: ASCII letters, digits, "-" and "_".
  static func isAnchorByte(_ byte: UInt8) -> Bool {
    PinsText.isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
  }

  /// True when a key (of the first pass) is, or holds, a plain scalar that began as an alias.
  static func containsAliasMarker(_ node: Node) -> Bool {
    var pending = [node]
    while let current = pending.popLast() {
      switch current {
      case .scalar(let scalar):
        if scalar.style == .plain && scalar.string.hasPrefix("~") { return true }
      case .mapping(let mapping):
        for (key, value) in mapping { pending.append(key); pending.append(value) }
      case .sequence(let sequence):
        pending.append(contentsOf: sequence)
      case .alias:
        return true
      }
    }
    return false
  }

  static func convert(_ error: YamlError) -> WorkflowParseError {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
      return WorkflowParseError(line: mark.line, column: mark.column, message: "Invalid YAML: \(detail)\(problem).")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return WorkflowParseError(
        line: context.mark.line, column: context.mark.column,
        message: "Invalid YAML: duplicated key(s) \(duplicates.sorted().joined(separator: ", ")).")
    case .reader(let problem, let offset, _, let yaml):
      // The offset counts Characters from the start of the text.
      guard let offset else {
        return WorkflowParseError(line: nil, column: nil, message: "Invalid YAML input: \(problem).")
      }
      let before = yaml.prefix(offset)
      let line = before.reduce(1) { $1 == "\n" || $1 == "\r\n" ? $0 + 1 : $0 }
      let column = before.reversed().prefix { $0 != "\n" && $0 != "\r\n" }.count + 1
      return WorkflowParseError(line: line, column: column, message: "Invalid YAML input: \(problem).")
    default:
      return WorkflowParseError(line: nil, column: nil, message: "Invalid YAML: \(error).")
    }
  }

  mutating func count(_ amount: Int = 1) throws(WorkflowParseError) {
    visited += amount
    if visited > Workflow.nodeLimit {
      throw WorkflowParseError(
        line: nil, column: nil,
        message:
          "The document expands to more than \(Workflow.nodeLimit) nodes (likely an alias bomb); refusing to read it.")
    }
  }

  func structureError(_ node: Node, _ message: String) -> WorkflowParseError {
    WorkflowParseError(line: node.mark?.line, column: node.mark?.column, message: message)
  }

  /// The value under a plain string key, counting each pair looked at.
  mutating func value(_ node: Node, _ key: String) throws(WorkflowParseError) -> Node? {
    guard case .mapping(let mapping) = node else { return nil }
    for (candidate, value) in mapping {
      try count()
      if case .scalar(let scalar) = candidate, scalar.string == key { return value }
    }
    return nil
  }

  mutating func steps(_ node: Node, job: String?) throws(WorkflowParseError) -> [ActionUse] {
    guard case .sequence(let sequence) = node else {
      throw structureError(node, "\"steps\" must be a sequence.")
    }
    var result: [ActionUse] = []
    for (index, step) in sequence.enumerated() {
      try count()
      if let uses = try value(step, "uses"), let found = use(uses, job: job, step: index) {
        result.append(found)
      }
    }
    return result
  }

  mutating func use(_ node: Node, job: String?, step: Int?) -> ActionUse? {
    guard case .scalar(let scalar) = node else { return nil }
    let (kind, ref) = ActionUse.classify(scalar.string)
    let line = scalar.mark?.line ?? 0
    let column = scalar.mark?.column ?? 0
    return ActionUse(
      uses: scalar.string, kind: kind, ref: ref,
      refComment: refComment(line: line, column: column, style: scalar.style),
      line: line, column: column, job: job, step: step)
  }

  /// The version named in a trailing `# …` comment on the value's line.
  mutating func refComment(line: Int, column: Int, style: Node.Scalar.Style) -> String? {
    guard line >= 1, line <= lines.count else { return nil }
    // Each line is read once, with where a comment may start and the version each comment names: a flow
    // sequence of thousands of `uses` on one line was re-read for every one of them.
    if scannedLines[line] == nil {
      let scalars = Array(lines[line - 1].unicodeScalars)
      let hashes = scalars.indices.filter { index in
        scalars[index] == "#" && index > 0 && (scalars[index - 1] == " " || scalars[index - 1] == "\t")
      }
      scannedLines[line] = ScannedLine(scalars: scalars, hashes: hashes)
    }
    let scalars = scannedLines[line]!.scalars
    var index = max(column - 1, 0)
    if style == .singleQuoted || style == .doubleQuoted, index < scalars.count {
      let quote = scalars[index]
      index += 1
      while index < scalars.count, scalars[index] != quote {
        if quote == "\"" && scalars[index] == "\\" { index += 1 }
        index += 1
      }
      index += 1
    }
    let hashes = scannedLines[line]!.hashes
    // The first comment start at or after the value's end.
    var (low, high) = (0, hashes.count)
    while low < high {
      let middle = (low + high) / 2
      if hashes[middle] < index { low = middle + 1 } else { high = middle }
    }
    guard low < hashes.count else { return nil }
    let hash = hashes[low]
    if let known = scannedLines[line]!.versions[hash] { return known }
    let version = Self.version(inComment: String(String.UnicodeScalarView(scalars[(hash + 1)...])))
    scannedLines[line]!.versions[hash] = .some(version)
    return version
  }

  struct ScannedLine {
    let scalars: [Unicode.Scalar]
    /// Positions of `#` that follow a space or tab: where a comment may start.
    let hashes: [Int]
    var versions: [Int: String?] = [:]
  }

  /// The first word of a comment that reads as a version, after "tag=", "pin@", "ratchet:owner/repo@" and the like.
  static func version(inComment comment: String) -> String? {
    for word in comment.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      var candidate = word
      if let at = candidate.lastIndex(of: "@") { candidate = candidate[candidate.index(after: at)...] }
      if let equals = candidate.lastIndex(of: "=") { candidate = candidate[candidate.index(after: equals)...] }
      while let last = candidate.last, ",;:)]\"'".contains(last) { candidate = candidate.dropLast() }
      while let first = candidate.first, "(['\"".contains(first) { candidate = candidate.dropFirst() }
      if parseSemanticVersion(String(candidate)) != nil { return String(candidate) }
    }
    return nil
  }
}

extension PinsText {
  /// Lines split on "\n" bytes, a trailing "\r" dropped ("\r\n" is one Character in Swift).
  static func lines(_ text: String) -> [Substring] {
    text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
      let line = Substring(bytes)
      return line.hasSuffix("\r") ? line.dropLast() : line
    }
  }
}

extension String {
  /// Drops spaces and tabs at both ends.
  fileprivate func trimmingLeadingAndTrailingSpaces() -> String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }
}
