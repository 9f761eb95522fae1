/// The headings and links of a Markdown document, with line numbers; code blocks are skipped.
public struct MarkdownOutline: Sendable, Equatable {
  public struct Heading: Sendable, Equatable {
    public let level: Int
    public let text: String
    public let line: Int
  }

  public struct Link: Sendable, Equatable {
    public let target: String
    public let line: Int
    public let column: Int
  }

  public var headings: [Heading] = []
  public var links: [Link] = []

  public init(headings: [Heading] = [], links: [Link] = []) {
    self.headings = headings
    self.links = links
  }

  /// Reads ATX (`## Title`) and setext (`Title` over `===`) headings, inline links and images
  /// `[text](target)`, autolinks `<https://…>` and reference definitions `[id]: target`.
  public static func parse(_ text: String) -> MarkdownOutline {
    var outline = MarkdownOutline()
    var fence: Substring? = nil
    var previous: (text: Substring, line: Int)? = nil
    for (index, rawLine) in text.textLines.enumerated() {
      let lineNumber = index + 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let stripped = line.drop { $0 == " " }
      if let open = fence {
        if stripped.hasPrefix(open) { fence = nil }
        previous = nil
        continue
      }
      if stripped.hasPrefix("```") || stripped.hasPrefix("~~~") {
        fence = stripped.prefix(3)
        previous = nil
        continue
      }
      if line.count - stripped.count >= 4 {
        previous = nil
        continue  // an indented code block
      }
      if let heading = atxHeading(stripped, line: lineNumber) {
        outline.headings.append(heading)
        previous = nil
        continue
      }
      if let prior = previous, !stripped.isEmpty, stripped.allSatisfy({ $0 == "=" || $0 == "-" }),
        !prior.text.trimmingSpaces.isEmpty
      {
        outline.headings.append(
          Heading(level: stripped.first == "=" ? 1 : 2, text: String(prior.text.trimmingSpaces), line: prior.line))
        previous = nil
        continue
      }
      outline.links.append(contentsOf: links(in: line, line: lineNumber))
      previous = (line, lineNumber)
    }
    return outline
  }

  static func atxHeading(_ text: Substring, line: Int) -> Heading? {
    let hashes = text.prefix { $0 == "#" }.count
    guard (1...6).contains(hashes) else { return nil }
    let rest = text.dropFirst(hashes)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    var title = rest.trimmingSpaces
    while title.hasSuffix("#") { title = title.dropLast() }
    return Heading(level: hashes, text: String(title.trimmingSpaces), line: line)
  }

  static func links(in line: Substring, line number: Int) -> [Link] {
    var found: [Link] = []
    let chars = Array(line)
    // Each "(" with its matching ")", found in one pass: scanning ahead from every "](" was quadratic on a
    // line of unclosed ones.
    var closing = [Int](repeating: chars.count, count: chars.count)
    var open: [Int] = []
    for (position, char) in chars.enumerated() {
      if char == "(" { open.append(position) }
      if char == ")", let start = open.popLast() { closing[start] = position }
    }
    var index = 0
    var inCode = false
    while index < chars.count {
      let char = chars[index]
      if char == "`" { inCode.toggle() }
      if !inCode, char == "]", index + 1 < chars.count, chars[index + 1] == "(" {
        let end = closing[index + 1]
        if end < chars.count {
          var target = String(chars[(index + 2)..<end]).trimmingCharacters(in: " ")
          if target.hasPrefix("<"), let close = target.firstIndex(of: ">") {
            target = String(target[target.index(after: target.startIndex)..<close])
          } else if let space = target.firstIndex(of: " ") {
            target = String(target[..<space])  // a title after the target: [a](path "title")
          }
          found.append(Link(target: target, line: number, column: index + 3))
          index = end
        }
      }
      index += 1
    }
    // Reference definitions: [id]: target
    let trimmed = line.drop { $0 == " " }
    if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]"),
      trimmed.index(after: close) < trimmed.endIndex, trimmed[trimmed.index(after: close)] == ":"
    {
      let target = trimmed[trimmed.index(close, offsetBy: 2)...].trimmingSpaces.split(separator: " ").first
      if let target {
        found.append(Link(target: String(target), line: number, column: line.count - trimmed.count + 1))
      }
    }
    return found
  }
}

extension Substring {
  var trimmingSpaces: Substring {
    var result = self
    while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
    while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
    return result
  }
}

extension String {
  func trimmingCharacters(in set: Character) -> String {
    String(Substring(self).drop { $0 == set }.reversed().drop { $0 == set }.reversed())
  }
}
