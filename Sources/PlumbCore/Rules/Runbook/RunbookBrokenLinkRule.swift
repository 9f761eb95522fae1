import Formats
import Foundation

/// A relative link in a runbook that points at no file: found out during an incident, the worst time.
struct RunbookBrokenLinkRule: Rule {
  static let description = RuleDescription(id: "runbook/broken-link")

  func check(_ context: RuleContext) -> [Finding] {
    var findings: [Finding] = []
    for path in context.facts.runbooks {
      guard case .success(let outline) = context.snapshot.parsed(path, parser: "markdown", MarkdownOutline.parse)
      else { continue }
      // One finding per target: the same dead link repeated is one thing to fix, with one fingerprint.
      var linesByTarget: [String: [Int]] = [:]
      var order: [(link: String, target: String)] = []
      for link in outline.links {
        guard let target = Self.resolve(link.target, from: path), !context.snapshot.exists(target) else { continue }
        if linesByTarget[link.target] == nil { order.append((link.target, target)) }
        linesByTarget[link.target, default: []].append(link.line)
      }
      for (link, target) in order {
        let lines = linesByTarget[link] ?? []
        let again =
          lines.count > 1 ? " (also on line \(lines.dropFirst().map(String.init).joined(separator: ", ")))" : ""
        findings.append(
          context.finding(
            "runbook link \"\(link)\" points at \(target), which does not exist\(again)", path: path, line: lines.first,
            subject: link,
            evidence: [
              ("link", .string(link)), ("resolved", .string(target)), ("lines", .array(lines.map { .int($0) })),
            ]))
      }
    }
    return findings
  }

  /// The repository path a relative link names, or nil for URLs, anchors and mail links.
  static func resolve(_ link: String, from document: String) -> String? {
    var target = link
    if target.isEmpty || target.hasPrefix("#") || target.contains("://") || target.hasPrefix("mailto:")
      || target.hasPrefix("//")
    {
      return nil
    }
    if let scheme = target.firstIndex(of: ":"), !target[..<scheme].contains("/") { return nil }
    if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = String(target[..<cut]) }
    target = target.removingPercentEncoding ?? target
    var parts: [Substring] = []
    // Levels above the repository's root the link climbs: such a target never exists, and is named as climbed.
    var above = 0
    if !target.hasPrefix("/") {
      parts = document.split(separator: "/").dropLast()
    }
    for part in target.split(separator: "/") {
      switch part {
      case ".": continue
      case "..":
        if parts.isEmpty { above += 1 } else { parts.removeLast() }
      default: parts.append(part)
      }
    }
    if above > 0 { return String(repeating: "../", count: above) + parts.joined(separator: "/") }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }
}
