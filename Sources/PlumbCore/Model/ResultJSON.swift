#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `plumb/findings@1` shapes of a repository result, a finding and a commit, both ways: the JSON
/// output writes them, and the store and shard merging read them back into equal values.
extension RepositoryResult {
  public var json: JSONValue {
    var pairs: [(String, JSONValue)] = [("path", .string(path)), ("name", .string(name))]
    // Manifest facts only when a manifest gave them, so outputs without one keep DESIGN.md's shape.
    if let team = metadata.team { pairs.append(("team", .string(team))) }
    if let tier = metadata.tier { pairs.append(("tier", .string(tier))) }
    if !metadata.tags.isEmpty { pairs.append(("tags", JSONValue(metadata.tags))) }
    pairs += [("head", JSONValue(head)), ("ref", JSONValue(ref)), ("status", .string(status.rawValue))]
    if let error { pairs.append(("error", .string(error))) }
    pairs.append(("findings", .array(findings.map(\.json))))
    if !estateWaiversMatched.isEmpty { pairs.append(("estate_waivers_matched", JSONValue(estateWaiversMatched))) }
    return .object(pairs)
  }

  public init(json: JSONValue) throws(JSONValue.DecodingError) {
    let status = try json.required("status", "repository") { $0.stringValue.flatMap(Status.init(rawValue:)) }
    let findings = try json.required("findings", "repository") { $0.arrayValue }
    self.init(
      path: try json.required("path", "repository") { $0.stringValue },
      name: try json.required("name", "repository") { $0.stringValue },
      head: try json.optional("head", "repository") { $0.stringValue },
      ref: try json.optional("ref", "repository") { $0.stringValue },
      status: status,
      error: try json.optional("error", "repository") { $0.stringValue },
      findings: try findings.map { (item) throws(JSONValue.DecodingError) in try Finding(json: item) },
      metadata: RepositoryMetadata(
        team: try json.optional("team", "repository") { $0.stringValue },
        tier: try json.optional("tier", "repository") { $0.stringValue },
        tags: try json.optional("tags", "repository") { $0.arrayValue?.compactMap(\.stringValue) } ?? [])
    )
    estateWaiversMatched =
      try json.optional("estate_waivers_matched", "repository") { $0.arrayValue?.compactMap(\.stringValue) } ?? []
  }

  /// The estate waivers a stored result's JSON text says it used. Most results used none, so the text is searched
  /// for the key before it is parsed: an unchanged nightly re-run reads every row.
  public static func estateWaiversMatched(inJSON text: String) -> [String] {
    guard mentions("\"estate_waivers_matched\"", in: text), let parsed = try? JSONParser.parse(text) else { return [] }
    return parsed["estate_waivers_matched"]?.arrayValue?.compactMap(\.stringValue) ?? []
  }

  /// Whether `key` occurs in `text`: memchr to each candidate first byte, memcmp for the rest (Glibc does not export
  /// memmem to Swift).
  static func mentions(_ key: String, in text: String) -> Bool {
    var text = text
    let needle = Array(key.utf8)
    return text.withUTF8 { bytes in
      guard let base = bytes.baseAddress, !needle.isEmpty, bytes.count >= needle.count else { return false }
      var offset = 0
      while offset <= bytes.count - needle.count,
        let hit = memchr(base + offset, Int32(needle[0]), bytes.count - needle.count + 1 - offset)
      {
        let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        if memcmp(base + position, needle, needle.count) == 0 { return true }
        offset = position + 1
      }
      return false
    }
  }
}

extension Finding {
  public var json: JSONValue {
    .object([
      ("rule", .string(rule)),
      ("severity", .string(severity.rawValue)),
      ("message", .string(message)),
      ("path", JSONValue(path)),
      ("line", JSONValue(line)),
      ("fingerprint", .string(fingerprint)),
      ("commit", commit?.json ?? .null),
      ("evidence", evidence),
    ])
  }

  public init(json: JSONValue) throws(JSONValue.DecodingError) {
    let commit = try json.optional("commit", "finding") { $0 }
    self.init(
      rule: try json.required("rule", "finding") { $0.stringValue },
      severity: try json.required("severity", "finding") { $0.stringValue.flatMap(Severity.init(rawValue:)) },
      message: try json.required("message", "finding") { $0.stringValue },
      path: try json.optional("path", "finding") { $0.stringValue },
      line: try json.optional("line", "finding") { $0.intValue },
      fingerprint: try json.required("fingerprint", "finding") { $0.stringValue },
      commit: try commit.map { (value) throws(JSONValue.DecodingError) in try CommitRef(json: value) },
      evidence: json["evidence"] ?? .object([])
    )
  }
}

extension CommitRef {
  public var json: JSONValue {
    .object([
      ("sha", .string(sha)), ("author", .string(author)), ("email", .string(email)), ("time", .string(time)),
      ("summary", .string(summary)),
    ])
  }

  public init(json: JSONValue) throws(JSONValue.DecodingError) {
    self.init(
      sha: try json.required("sha", "commit") { $0.stringValue },
      author: try json.required("author", "commit") { $0.stringValue },
      email: try json.required("email", "commit") { $0.stringValue },
      time: try json.required("time", "commit") { $0.stringValue },
      summary: try json.required("summary", "commit") { $0.stringValue }
    )
  }
}

extension JSONValue {
  /// JSON that parsed but is not the shape expected, e.g. a finding without a fingerprint.
  public struct DecodingError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
  }

  /// A member that must be present and of the right kind.
  func required<T>(_ key: String, _ owner: String, _ read: (JSONValue) -> T?) throws(DecodingError) -> T {
    guard let member = self[key] else { throw DecodingError(description: "\(owner) has no \"\(key)\"") }
    guard let value = read(member) else {
      throw DecodingError(description: "\(owner) \"\(key)\" has an unexpected value")
    }
    return value
  }

  /// A member that may be missing or null, and otherwise must be of the right kind.
  func optional<T>(_ key: String, _ owner: String, _ read: (JSONValue) -> T?) throws(DecodingError) -> T? {
    guard let member = self[key], member != .null else { return nil }
    guard let value = read(member) else {
      throw DecodingError(description: "\(owner) \"\(key)\" has an unexpected value")
    }
    return value
  }
}
