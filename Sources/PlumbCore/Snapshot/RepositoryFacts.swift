import Formats
import GitKit

/// Facts several rules share, computed at most once per snapshot.
public final class RepositoryFacts {
  public let snapshot: Snapshot
  public let policy: Policy
  /// The rest of the estate (templates, module sources, recorded tags). Reading it is recorded.
  public var knowledge: EstateKnowledge {
    snapshot.accessLog?.readKnowledge = true
    return storedKnowledge
  }
  let storedKnowledge: EstateKnowledge
  /// Problems with the repository's own `.plumb.yml`.
  public internal(set) var configProblems: [ConfigError] = []
  /// What each waiver did in this repository; filled before the waiver rules run.
  public internal(set) var waiverOutcomes: [WaiverOutcome] = []

  /// What computing each fact read, so a rule that reuses a fact another rule computed is charged its reads.
  var factReads: [String: AccessLog] = [:]

  init(snapshot: Snapshot, policy: Policy, knowledge: EstateKnowledge = .empty) {
    self.snapshot = snapshot
    self.policy = policy
    self.storedKnowledge = knowledge
  }

  /// A fact's value, its reads recorded the first time and added to the current rule's log every time.
  func recorded<T>(_ name: String, _ value: () -> T) -> T {
    let outer = snapshot.accessLog
    if let reads = factReads[name] {
      outer?.absorb(reads)
      return value()
    }
    let reads = AccessLog()
    snapshot.accessLog = reads
    let result = value()
    snapshot.accessLog = outer
    outer?.absorb(reads)
    factReads[name] = reads
    return result
  }

  /// Tags the release policy names, read as component + version, sorted by name.
  public var releases: [Release] { recorded("releases") { storedReleases } }
  lazy var storedReleases: [Release] = {
    let patterns = policy.releases.tags
    let history = snapshot.history
    return history.tags.compactMap { tag in
      guard patterns.contains(where: { Glob.matchesName($0, tag.name) }) else { return nil }
      return Release(tag: tag, parsed: history.releaseTag(tag.name))
    }.sorted { $0.tag.name < $1.tag.name }
  }()

  /// Every module source, action and image reference of the snapshot.
  public var pins: PinInventory { recorded("pins") { storedPins } }
  lazy var storedPins: PinInventory = PinCollector.collect(snapshot)

  /// GitHub's order of precedence, then GitLab's `.gitlab/`, which GitLab too reads after the root and `docs/`.
  public static let codeOwnersLocations = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"]

  /// The CODEOWNERS plumb reads: the first location that holds anything, parsed (or why not).
  public var codeOwners: CodeOwnersFacts? { recorded("codeOwners") { storedCodeOwners } }
  lazy var storedCodeOwners: CodeOwnersFacts? = {
    guard let location = Self.codeOwnersLocations.first(where: { snapshot.exists($0) }) else { return nil }
    let parsed = snapshot.parsed(location, parser: "codeowners", CodeOwnersFile.parse)
    return CodeOwnersFacts(path: location, file: parsed)
  }()

  /// For every file of the snapshot, the indices of the CODEOWNERS rules that match it.
  public var codeOwnersMatches: [[Int]] { recorded("codeOwnersMatches") { storedCodeOwnersMatches } }
  lazy var storedCodeOwnersMatches: [[Int]] = {
    guard let owners = codeOwners, case .success(let file) = owners.file else { return [] }
    let paths = snapshot.paths
    guard let blob = snapshot.index[owners.path].map({ snapshot.storedFiles[$0].blob }) else {
      return file.matchTable(paths: paths)
    }
    // Rows depend only on the path and the CODEOWNERS content: those the last table has are copied.
    // Both lists are in git's order and mostly the same, so a path's old row is found a few places ahead.
    let carried = carriedMatches.flatMap { $0.path == owners.path && $0.blob == blob ? $0 : nil }
    var reused: [[Int]?] = []
    reused.reserveCapacity(paths.count)
    var next = 0
    for path in paths {
      var found: [Int]?
      if let carried {
        let window = next..<min(next + 16, carried.paths.count)
        if let at = window.first(where: { carried.paths[$0] == path }) {
          found = carried.rows[at]
          next = at + 1
        }
      }
      reused.append(found)
    }
    var computed = file.matchTable(paths: zip(paths, reused).compactMap { $1 == nil ? $0 : nil }).makeIterator()
    let table = reused.map { $0 ?? computed.next()! }
    matchesToCarry = CodeOwnersMatchTable(path: owners.path, blob: blob, paths: paths, rows: table)
    return table
  }()

  /// The previous period's match table, set by adoption's walk before any rule runs.
  var carriedMatches: CodeOwnersMatchTable?
  /// This snapshot's match table, once computed, for the next period.
  private(set) var matchesToCarry: CodeOwnersMatchTable?

  /// For every file of the snapshot, the winning rule of each section that matched it (last match wins).
  public var codeOwnersWinners: [[Int]] { recorded("codeOwnersWinners") { storedCodeOwnersWinners } }
  lazy var storedCodeOwnersWinners: [[Int]] = {
    guard let file = codeOwners?.parsed else { return [] }
    return codeOwnersMatches.map { matching in
      // The last match of each section; a file matches few rules, so a short list beats a dictionary.
      var winners: [(section: Int, rule: Int)] = []
      for index in matching {
        let section = file.rules[index].sectionIndex
        if let known = winners.firstIndex(where: { $0.section == section }) {
          winners[known].rule = index
        } else {
          winners.append((section, index))
        }
      }
      return winners.count == 1 ? [winners[0].rule] : winners.map(\.rule).sorted()
    }
  }()

  /// `catalog-info.yaml` at the root, parsed, when present.
  public var catalog: (path: String, info: Result<CatalogInfo, CatalogInfo.ParseError>)? {
    recorded("catalog") { storedCatalog }
  }
  lazy var storedCatalog: (path: String, info: Result<CatalogInfo, CatalogInfo.ParseError>)? = {
    guard let path = ["catalog-info.yaml", "catalog-info.yml"].first(where: { snapshot.exists($0) }) else { return nil }
    switch snapshot.text(path) {
    case .failure(let problem):
      return (path, .failure(CatalogInfo.ParseError(line: nil, column: nil, message: "\(problem)")))
    case .success:
      let parsed = snapshot.parsed(path, parser: "catalog") { text in
        Result { () throws(CatalogInfo.ParseError) in try CatalogInfo.parse(text) }
      }
      switch parsed {
      case .success(let result): return (path, result)
      case .failure(let problem): return (path, .failure(.init(line: nil, column: nil, message: "\(problem)")))
      }
    }
  }()

  /// Where copier and cruft record the template a project was generated from, in the order plumb looks.
  public static let templateRecordLocations = [".copier-answers.yml", ".copier-answers.yaml", ".cruft.json"]

  /// The template this repository records: the first answers file, else a `catalog-info.yaml` annotation.
  public var templateReference: (path: String, reference: Result<TemplateReference, TemplateReference.ParseError>)? {
    recorded("templateReference") { storedTemplateReference }
  }
  lazy var storedTemplateReference:
    (path: String, reference: Result<TemplateReference, TemplateReference.ParseError>)? = {
      if let path = Self.templateRecordLocations.first(where: { snapshot.exists($0) }) {
        let parsed = snapshot.parsed(path, parser: "template-answers:" + path) { text in
          Result { () throws(TemplateReference.ParseError) in try TemplateReference.parseAnswers(text, file: path) }
        }
        switch parsed {
        case .success(let result): return (path, result)
        case .failure(let problem): return (path, .failure(.init(line: nil, column: nil, message: "\(problem)")))
        }
      }
      guard let catalog, case .success(let info) = catalog.info,
        let reference = TemplateReference.fromCatalog(annotations: info.annotations, lines: info.annotationLines)
      else { return nil }
      return (catalog.path, .success(reference))
    }()

  /// The recorded template, when it is a repository of the estate (other than this one).
  public var template: TemplateLink? { recorded("template") { storedTemplate } }
  lazy var storedTemplate: TemplateLink? = {
    guard let (path, parsed) = templateReference, case .success(let reference) = parsed,
      let template = knowledge.template(for: reference), template.name != snapshot.repositoryName
    else { return nil }
    return TemplateLink(recordPath: path, reference: reference, template: template)
  }()

  /// Why this repository counts as a service, or nil when it does not.
  public var serviceReason: String? { recorded("serviceReason") { storedServiceReason } }
  lazy var storedServiceReason: String? = {
    if let catalog, case .success(let info) = catalog.info, let type = info.type {
      return policy.service.catalogTypes.contains(type) ? "\(catalog.path) declares spec.type \(type)" : nil
    }
    for marker in policy.service.markers {
      // Compiled once per marker, not once per path it is tried on.
      if marker.hasSuffix("/") {
        let folder = Glob(String(marker.dropLast()))
        if snapshot.directories.contains(where: { folder.matches($0) }) { return "it has a \(marker) folder" }
      } else {
        let file = Glob(marker)
        if snapshot.files.contains(where: { file.matches($0.path) }) { return "it has \(marker)" }
      }
    }
    return nil
  }()

  /// Runbook files by policy, in the order of the policy's locations.
  public var runbooks: [String] { recorded("runbooks") { storedRunbooks } }
  lazy var storedRunbooks: [String] = {
    let files = snapshot.files
    var found: [String] = []
    for location in policy.runbook.locations {
      let pattern = location.lowercased()
      let folder = pattern.hasSuffix("/") ? Glob(String(pattern.dropLast()) + "/**") : nil
      let file = folder == nil ? Glob(pattern) : nil
      let literal = Self.literalPrefix(pattern)
      // Paths that do not start with the pattern's literal part are skipped before lowercasing them.
      for entry in files where Self.starts(entry.path, withLowercased: literal) && !found.contains(entry.path) {
        let path = entry.path.lowercased()
        if let folder, folder.matches(path), path.hasSuffix(".md") || path.hasSuffix(".markdown") {
          found.append(entry.path)
        }
        if let file, file.matches(path) { found.append(entry.path) }
      }
    }
    return found
  }()

  /// The ASCII bytes of a lowercased glob before its first wildcard (leading slashes dropped).
  static func literalPrefix(_ pattern: String) -> [UInt8] {
    var literal: [UInt8] = []
    for byte in pattern.utf8.drop(while: { $0 == UInt8(ascii: "/") }) {
      if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte >= 0x80 { break }
      if byte == UInt8(ascii: "/") && literal.last == UInt8(ascii: "/") { break }
      literal.append(byte)
    }
    return literal
  }

  /// Whether a path starts with lowercased ASCII bytes, ignoring the path's ASCII case.
  static func starts(_ path: String, withLowercased prefix: [UInt8]) -> Bool {
    var index = 0
    for byte in path.utf8 {
      if index == prefix.count { return true }
      let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
      if lowered != prefix[index] { return false }
      index += 1
    }
    return index == prefix.count
  }
}

/// The rows of a CODEOWNERS match table, for the CODEOWNERS at `path` with content `blob`.
struct CodeOwnersMatchTable {
  let path: String
  let blob: ObjectID
  /// The snapshot's paths, and the row of each.
  let paths: [String]
  let rows: [[Int]]
}

/// The CODEOWNERS file plumb reads and its parse.
public struct CodeOwnersFacts: Sendable {
  public let path: String
  public let file: Result<CodeOwnersFile, FileProblem>

  public var parsed: CodeOwnersFile? {
    if case .success(let file) = file { return file }
    return nil
  }
}

/// What one waiver did in one repository.
public struct WaiverOutcome: Sendable {
  public let waiver: Waiver
  public let expired: Bool
  /// Findings it matched (suppressed when not expired).
  public let matched: Int
}

/// A release tag: the tag as stored, and its name read as component and version.
public struct Release: Sendable {
  public let tag: RepositoryHistory.Tag
  public let parsed: ReleaseTag
}
