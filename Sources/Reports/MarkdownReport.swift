import PlumbCore

/// Findings as Markdown for pull-request comments and CI job summaries: a count, then one section per
/// rule (most severe first), long sections folded into `<details>`.
public struct MarkdownReport: Sendable {
  /// The forge's file URL with `{repo}`, `{path}`, `{line}` and `{sha}` placeholders, for example
  /// `https://github.com/acme/{repo}/blob/{sha}/{path}#L{line}`. Locations link to the file at the scanned
  /// commit; with no line the fragment (`#L{line}`) is dropped. A commit links to the forge's commit page
  /// when the file URL says which forge (`/blob/{sha}` on GitHub and GitLab, `/src/{sha}` on Bitbucket),
  /// else to the same pattern with an empty path (`…/<sha>/`). Nil: plain text, no links.
  public var linkTemplate: String?
  /// Rules with more findings than this are folded into a `<details>` block.
  static let foldAbove = 5

  public init(linkTemplate: String? = nil) {
    self.linkTemplate = linkTemplate
  }

  public func render(_ results: [RepositoryResult], title: String = "plumb") -> String {
    let summary = Summary(results)
    let multiple = results.count > 1
    var out = "## \(Self.escape(title))\n\n" + Self.countLine(summary) + "\n"

    var rules: [String] = []
    var byRule: [String: [LocatedFinding]] = [:]
    for item in ReportOrder.mostSevereFirst(results) {
      if byRule[item.finding.rule] == nil { rules.append(item.finding.rule) }
      byRule[item.finding.rule, default: []].append(item)
    }
    // Most severe rule first; the rule id breaks ties so the order never depends on the input's.
    let severity = { (rule: String) in byRule[rule]!.map(\.finding.severity).max()! }
    rules.sort { (severity($0), $1) > (severity($1), $0) }

    for rule in rules {
      let items = byRule[rule]!
      out += "\n### \(severity(rule).rawValue) · `\(rule)` (\(items.count))\n\n"
      let list = items.map { "- " + item($0, multiple: multiple) + "\n" }.joined()
      if items.count > Self.foldAbove {
        // The blank lines around the list are what make GitHub and GitLab render Markdown inside the HTML block.
        out += "<details><summary>\(items.count) findings</summary>\n\n" + list + "\n</details>\n"
      } else {
        out += list
      }
    }

    let unreadable = results.filter { $0.status == .error }
    if !unreadable.isEmpty {
      out += "\n### Could not be read\n\n"
      for result in unreadable {
        out +=
          "- **\(Self.escape(result.name))** (\(Self.escape(result.path))): "
          + Self.escape(result.error ?? "unknown error") + "\n"
      }
    }
    return out
  }

  static func countLine(_ summary: Summary) -> String {
    let repositories = "\(summary.repositories) repositor\(summary.repositories == 1 ? "y" : "ies")"
    let unreadable = summary.unreadable > 0 ? " (\(summary.unreadable) could not be read)" : ""
    let findings = "\(summary.findings) finding\(summary.findings == 1 ? "" : "s")"
    let counts = summary.bySeverity.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 ? "" : "s")" }.joined(separator: ", ")
    return "**\(repositories)**\(unreadable), **\(findings)**" + (counts.isEmpty ? "" : ": \(counts)") + "."
  }

  /// `path:line — message (commit abc1234 by Author)`, prefixed with the repository when there are several.
  func item(_ item: LocatedFinding, multiple: Bool) -> String {
    let finding = item.finding
    let repository = item.repository
    let name = "**\(Self.escape(repository.name))**"
    var location: String?
    if let path = finding.path, !path.isEmpty {
      let line = finding.line.map { max(1, $0) }  // lines are 1-based, as in every other format
      let text = Self.escape(path + (line.map { ":\($0)" } ?? ""))
      let target = link(repo: repository.name, path: path, line: line, sha: repository.head ?? "HEAD")
      location = (multiple ? name + " " : "") + linked(text, target)
    } else if multiple {
      location = linked(name, link(repo: repository.name, path: "", line: nil, sha: repository.head ?? "HEAD"))
    }
    var text = (location.map { $0 + " — " } ?? "") + Self.escape(finding.message)
    if let commit = finding.commit {
      let short = String(commit.sha.prefix(7))
      let target = commitLink(repo: repository.name, sha: commit.sha)
      text += " (commit \(linked("`\(short)`", target)) by \(Self.escape(commit.author)))"
    }
    return text
  }

  func linked(_ text: String, _ target: String?) -> String {
    target.map { "[\(text)](\($0))" } ?? text
  }

  /// Plain placeholder substitution (values percent-encoded); no line means no fragment.
  func link(repo: String, path: String, line: Int?, sha: String) -> String? {
    guard var url = linkTemplate else { return nil }
    if line == nil || path.isEmpty, let hash = url.firstIndex(of: "#") { url = String(url[..<hash]) }
    let values = [
      ("{repo}", ReportLocation.percentEncoded(repo, strict: true)),
      ("{path}", ReportLocation.percentEncoded(path, strict: true)),
      ("{line}", line.map(String.init) ?? ""),
      ("{sha}", ReportLocation.percentEncoded(sha, strict: true)),
    ]
    for (placeholder, value) in values { url = url.replacing(placeholder, with: value) }
    return url
  }

  /// A commit's page: the file URL up to `{sha}` with its file view swapped for the commit view.
  func commitLink(repo: String, sha: String) -> String? {
    guard let template = linkTemplate, let placeholder = template.range(of: "{sha}") else {
      return link(repo: repo, path: "", line: nil, sha: sha)
    }
    let prefix = String(template[..<placeholder.lowerBound])
    let views = [("/-/blob/", "/-/commit/"), ("/blob/", "/commit/"), ("/src/", "/commits/")]
    guard let (file, commit) = views.first(where: { prefix.hasSuffix($0.0) }) else {
      return link(repo: repo, path: "", line: nil, sha: sha)
    }
    let page = MarkdownReport(linkTemplate: String(prefix.dropLast(file.count)) + commit + "{sha}")
    return page.link(repo: repo, path: "", line: nil, sha: sha)
  }

  /// Makes text inert in Markdown: `|` would split a table, `<` `>` open HTML, backticks open code, and
  /// `@team` in a PR comment would notify the team, so handles go into code spans.
  static func escape(_ text: String) -> String {
    var out = ""
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      let startsWord = index == 0 || !isHandle(scalars[index - 1])
      if scalar == "@", startsWord, index + 1 < scalars.count, isHandle(scalars[index + 1]) {
        var end = index + 1
        while end < scalars.count && isHandle(scalars[end]) { end += 1 }
        while end > index + 1 && scalars[end - 1] == "." { end -= 1 }  // a full stop ends the sentence, not the handle
        out += "`"
        out.unicodeScalars.append(contentsOf: scalars[index..<end])
        out += "`"
        index = end
        continue
      }
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "|", "`", "\\", "*", "_", "[", "]":
        out += "\\"
        out.unicodeScalars.append(scalar)
      case "\n", "\r": out += " "
      default: out.unicodeScalars.append(scalar)
      }
      index += 1
    }
    return out
  }

  /// Characters of a GitHub or GitLab handle (`@acme/platform-team`, `@jane.doe`).
  static func isHandle(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isAlphabetic || (48...57).contains(scalar.value) || "-_/.".unicodeScalars.contains(scalar)
  }
}
