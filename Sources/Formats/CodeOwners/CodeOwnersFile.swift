/// A parsed CODEOWNERS file (GitHub semantics plus GitLab sections, roles and default owners).
public struct CodeOwnersFile: Sendable, Equatable {
  /// Rules in file order.
  public var rules: [CodeOwnersRule] {
    didSet { program = CodeOwnersProgram(rules: rules) }
  }
  /// Sections in order of first appearance; index 0 is always the implicit default section named "".
  public var sections: [CodeOwnersSection]
  /// Every invalid line, with 1-based line and column.
  public var errors: [CodeOwnersSyntaxError]
  /// Derived from `rules`; kept in sync by `rules.didSet`.
  private var program: CodeOwnersProgram

  public init(
    rules: [CodeOwnersRule] = [],
    sections: [CodeOwnersSection] = [CodeOwnersSection(name: "", line: 0)],
    errors: [CodeOwnersSyntaxError] = []
  ) {
    self.rules = rules
    self.sections = sections
    self.errors = errors
    self.program = CodeOwnersProgram(rules: rules)
  }

  /// Parses CODEOWNERS text; never fails, invalid lines are reported in `errors`.
  public static func parse(_ text: String) -> CodeOwnersFile {
    CodeOwnersParser.parse(text)
  }

  /// Decision for one file path (repository-relative, '/'-separated, no leading slash).
  public func owners(of path: String) -> CodeOwnersDecision {
    let winners = winningRules(for: path)
    let owners = CodeOwnersFile.union(winners.map { rules[$0].owners })
    return CodeOwnersDecision(owners: owners, decidingRules: winners)
  }

  /// Concatenation without duplicates, first occurrence kept; hashing only when lists are long.
  static func union(_ lists: [[String]]) -> [String] {
    if lists.count == 1 && lists[0].count <= 1 { return lists[0] }
    let total = lists.reduce(0) { $0 + $1.count }
    var result: [String] = []
    result.reserveCapacity(total)
    if total <= 32 {
      for owner in lists.joined() where !result.contains(owner) { result.append(owner) }
    } else {
      var seen = Set<String>(minimumCapacity: total)
      for owner in lists.joined() where seen.insert(owner).inserted { result.append(owner) }
    }
    return result
  }

  /// Indices of the winning rule of every section that has a matching rule, in section order.
  public func winningRules(for path: String) -> [Int] {
    let prepared = CodeOwnersPath(path)
    guard !rules.isEmpty, prepared.count > 0 else { return [] }
    let sectionCount = max(sections.count, program.sectionCount)
    // Scanning backwards lets each section stop at its last matching rule.
    var winnerBySection = [Int](repeating: -1, count: sectionCount)
    program.withRunner { runner in
      prepared.withView { view in
        var decided = 0
        for index in program.candidates(for: view).reversed() {
          let section = runner.entries[index].section
          guard section >= 0, winnerBySection[section] < 0 else { continue }
          if runner.matches(index, view) {
            winnerBySection[section] = index
            decided += 1
            if decided == runner.populatedSections { break }
          }
        }
      }
    }
    return winnerBySection.filter { $0 >= 0 }
  }

  /// For each path, the indices (ascending) of all rules matching it.
  public func matchTable(paths: [String]) -> [[Int]] {
    program.withRunner { runner in
      paths.map { path in
        CodeOwnersPath(path).withView { view in
          program.candidates(for: view).filter { runner.matches($0, view) }
        }
      }
    }
  }
}

/// One pattern line: a pattern and the owners it assigns.
public struct CodeOwnersRule: Sendable, Equatable {
  /// The pattern as written, with escapes resolved; assigning recompiles the matcher, reading `\` as an escape.
  public var pattern: String {
    didSet { matcher = CodeOwnersMatcher(source: pattern) }
  }
  /// Owners as written; in a GitLab section with default owners, a rule without owners gets the defaults.
  public var owners: [String]
  /// 1-based line number.
  public var line: Int
  /// 1-based column of the pattern.
  public var column: Int
  /// Index into `CodeOwnersFile.sections`.
  public var sectionIndex: Int
  /// True when `owners` came from the GitLab section header rather than the line itself.
  public var usesDefaultOwners: Bool
  var matcher: CodeOwnersMatcher

  /// Builds a rule from CODEOWNERS pattern syntax (backslash escapes are honoured, nothing is validated).
  public init(
    pattern: String,
    owners: [String],
    line: Int = 0,
    column: Int = 1,
    sectionIndex: Int = 0,
    usesDefaultOwners: Bool = false
  ) {
    let matcher = CodeOwnersMatcher(source: pattern)
    self.init(
      resolvedPattern: CodeOwnersMatcher.resolveEscapes(pattern), owners: owners, line: line, column: column,
      sectionIndex: sectionIndex, usesDefaultOwners: usesDefaultOwners, matcher: matcher)
  }

  init(
    resolvedPattern: String, owners: [String], line: Int, column: Int, sectionIndex: Int,
    usesDefaultOwners: Bool, matcher: CodeOwnersMatcher
  ) {
    self.pattern = resolvedPattern
    self.owners = owners
    self.line = line
    self.column = column
    self.sectionIndex = sectionIndex
    self.usesDefaultOwners = usesDefaultOwners
    self.matcher = matcher
  }

  /// Whether the pattern matches the file at `path` (directly or through a matching parent directory).
  public func matches(_ path: String) -> Bool {
    matcher.matches(CodeOwnersPath(path))
  }
}

/// A GitLab section; GitHub files only have the implicit default section.
public struct CodeOwnersSection: Sendable, Equatable {
  /// Name as first written; "" for the implicit default section.
  public var name: String
  /// `^[Name]`: approval from this section is optional.
  public var optional: Bool
  /// `[Name][2]` -> 2.
  public var approvals: Int?
  /// Default owners of all headers with this name, de-duplicated, in order.
  public var defaultOwners: [String]
  /// 1-based line of the first header; 0 for the implicit default section.
  public var line: Int

  public init(name: String, optional: Bool = false, approvals: Int? = nil, defaultOwners: [String] = [], line: Int) {
    self.name = name
    self.optional = optional
    self.approvals = approvals
    self.defaultOwners = defaultOwners
    self.line = line
  }
}

/// An invalid line: 1-based line, 1-based column (in Unicode scalars) and a human-readable message.
public struct CodeOwnersSyntaxError: Sendable, Equatable, Error, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(line):\(column): \(message)" }
}

/// Who owns one path and which rules decided it.
public struct CodeOwnersDecision: Sendable, Equatable {
  /// Union over sections of the winning rule's owners, de-duplicated, in section order.
  public var owners: [String]
  /// Indices into `rules` of the winning rule per section that had a match, in section order.
  public var decidingRules: [Int]
  public var isOwned: Bool { !owners.isEmpty }

  public init(owners: [String], decidingRules: [Int]) {
    self.owners = owners
    self.decidingRules = decidingRules
  }
}
