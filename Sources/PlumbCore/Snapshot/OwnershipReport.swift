import Formats

/// Who owns a file and which CODEOWNERS line decided it: what a developer asks when a review request surprises them.
public struct OwnershipReport {
  public struct Answer {
    public let path: String
    public let exists: Bool
    public let owners: [String]
    public let decidingLines: [(line: Int, text: String)]

    public func json(source: String) -> JSONValue {
      .object([
        ("path", .string(path)), ("owners", JSONValue(owners)),
        (
          "decided_by",
          .array(
            decidingLines.map {
              .object([("file", .string(source)), ("line", .int($0.line)), ("text", .string($0.text))])
            })
        ),
        ("exists", .bool(exists)),
      ])
    }
  }

  let snapshot: Snapshot
  let facts: RepositoryFacts
  /// The CODEOWNERS file read, or nil.
  public let source: String?
  public let problem: String?
  let lines: [Substring]

  public init(snapshot: Snapshot) {
    self.snapshot = snapshot
    facts = RepositoryFacts(snapshot: snapshot, policy: Policy(pack: "none", rules: [:]))
    if let codeOwners = facts.codeOwners, codeOwners.parsed != nil,
      case .success(let text) = snapshot.text(codeOwners.path)
    {
      source = codeOwners.path
      problem = nil
      lines = text.textLines
    } else {
      source = nil
      if let codeOwners = facts.codeOwners, case .failure(let failure) = codeOwners.file {
        problem = "\(codeOwners.path) \(failure)"
      } else {
        problem = nil
      }
      lines = []
    }
  }

  public func owners(of path: String) -> Answer {
    guard let file = facts.codeOwners?.parsed else {
      return Answer(path: path, exists: snapshot.exists(path), owners: [], decidingLines: [])
    }
    let decision = file.owners(of: path)
    let deciding = decision.decidingRules.map { index in
      let line = file.rules[index].line
      return (line, line <= lines.count ? String(lines[line - 1]) : "")
    }
    return Answer(path: path, exists: snapshot.exists(path), owners: decision.owners, decidingLines: deciding)
  }
}
