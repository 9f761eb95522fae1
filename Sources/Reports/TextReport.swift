import PlumbCore
import Rainbow

/// Findings for people: grouped by repository and rule, coloured only on a terminal.
public struct TextReport: Sendable {
  public var colour: Bool
  /// How many findings of one rule in one repository are shown before "and N more".
  public var perRule: Int

  public init(colour: Bool, perRule: Int = 5) {
    self.colour = colour
    self.perRule = perRule
  }

  public func render(_ results: [RepositoryResult]) -> String {
    var out = ""
    for result in results {
      let head = result.head.map { String($0.prefix(12)) } ?? "-"
      let where_ = [result.ref, head].compactMap { $0 }.joined(separator: " @ ")
      out += paint(result.name, \.bold) + "  " + paint("\(result.path)  \(where_)", \.dim) + "\n"
      if result.status == .error {
        out += "  " + paint("✖ could not be read: ", \.red) + (result.error ?? "unknown error") + "\n\n"
        continue
      }
      if result.findings.isEmpty {
        out += "  " + paint("✔ no findings", \.green) + "\n\n"
        continue
      }
      var order: [String] = []
      var byRule: [String: [Finding]] = [:]
      for finding in result.findings {
        if byRule[finding.rule] == nil { order.append(finding.rule) }
        byRule[finding.rule, default: []].append(finding)
      }
      order.sort { (byRule[$0]![0].severity, $1) > (byRule[$1]![0].severity, $0) }
      for rule in order {
        let findings = byRule[rule]!
        let count = findings.count > 1 ? paint(" ×\(findings.count)", \.dim) : ""
        out += "  " + badge(findings[0].severity) + " " + paint(rule, \.bold) + count + "\n"
        for finding in findings.prefix(perRule) {
          var place = finding.path ?? ""
          if let line = finding.line { place += ":\(line)" }
          out += "      " + (place.isEmpty ? "" : paint(place, \.cyan) + "  ") + finding.message + "\n"
        }
        if findings.count > perRule { out += "      " + paint("… and \(findings.count - perRule) more", \.dim) + "\n" }
      }
      out += "\n"
    }
    out += summaryLine(Summary(results)) + "\n"
    return out
  }

  func summaryLine(_ summary: Summary) -> String {
    let repositories = "\(summary.repositories) repositor\(summary.repositories == 1 ? "y" : "ies")"
    let unreadable = summary.unreadable > 0 ? paint(" (\(summary.unreadable) could not be read)", \.red) : ""
    let counts = summary.bySeverity.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 ? "" : "s")" }.joined(separator: ", ")
    let findings = "\(summary.findings) finding\(summary.findings == 1 ? "" : "s")"
    return "\(repositories)\(unreadable), \(findings)" + (counts.isEmpty ? "" : ": \(counts)")
  }

  func badge(_ severity: Severity) -> String {
    switch severity {
    case .error: return paint("✖ error  ", \.red)
    case .warning: return paint("▲ warning", \.yellow)
    case .note: return paint("● note   ", \.blue)
    }
  }

  func paint(_ text: String, _ style: KeyPath<String, String>) -> String {
    colour ? text[keyPath: style] : text
  }
}
