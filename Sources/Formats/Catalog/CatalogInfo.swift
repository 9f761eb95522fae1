import Yams

/// The parts of a Backstage `catalog-info.yaml` plumb reads: the component's type, owner and annotations.
public struct CatalogInfo: Sendable, Equatable {
  public var kind: String?
  public var name: String?
  public var type: String?
  public var owner: String?
  public var annotations: [String: String] = [:]
  /// 1-based line of each annotation, for findings about one (the template a repository records).
  public var annotationLines: [String: Int] = [:]
  /// 1-based line of `spec.owner`, for findings.
  public var ownerLine: Int?

  public struct ParseError: Error, Sendable, Equatable {
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(line: Int?, column: Int?, message: String) {
      self.line = line
      self.column = column
      self.message = message
    }
  }

  /// Parses every document and keeps the first `Component` (or the first document when none is).
  public static func parse(_ text: String) throws(ParseError) -> CatalogInfo {
    var documents: [Node] = []
    do {
      // Iterating by hand, because compose_all's sequence swallows syntax errors.
      let parser = try Yams.Parser(yaml: text, encoding: .utf8)
      while let document = try parser.nextRoot() {
        documents.append(document)
        if documents.count > 1_000 { break }
      }
    } catch let error as YamlError {
      throw yamlProblem(error)
    } catch {
      throw ParseError(line: nil, column: nil, message: "\(error)")
    }
    let mappings = documents.compactMap(\.mapping)
    guard let chosen = mappings.first(where: { $0["kind"]?.string == "Component" }) ?? mappings.first else {
      throw ParseError(line: 1, column: 1, message: "catalog-info.yaml holds no mapping")
    }
    var info = CatalogInfo()
    info.kind = chosen["kind"]?.string
    let metadata = chosen["metadata"]?.mapping
    info.name = metadata?["name"]?.string
    for (key, value) in metadata?["annotations"]?.mapping ?? [:] {
      guard let name = key.string, let text = value.string else { continue }
      info.annotations[name] = text
      info.annotationLines[name] = key.mark?.line
    }
    let spec = chosen["spec"]?.mapping
    info.type = spec?["type"]?.string
    if let owner = spec?["owner"] {
      info.owner = owner.string
      info.ownerLine = owner.mark?.line
    }
    return info
  }

  public static func yamlProblem(_ error: YamlError) -> ParseError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
      return ParseError(line: mark.line, column: mark.column, message: problem)
    default:
      return ParseError(line: nil, column: nil, message: "\(error)")
    }
  }
}
