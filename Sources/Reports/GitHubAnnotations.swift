import PlumbCore

/// GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), one per finding, so
/// findings show as annotations on the run and on the pull request's diff.
public enum GitHubAnnotations {
  /// Most severe first (GitHub shows only the first few annotations of each kind per step), then one
  /// `::error::` line per repository that could not be read.
  public static func render(_ results: [RepositoryResult]) -> String {
    let multiple = results.count > 1
    var out = ""
    for item in ReportOrder.mostSevereFirst(results) {
      let finding = item.finding
      var properties: [String] = []
      // Repository-level findings carry no file: GitHub then annotates the run, not a line of the diff.
      if let path = finding.path, !path.isEmpty {
        let file = ReportLocation.qualified(path, repository: item.repository, multiple: multiple)
        properties.append("file=" + property(file))
        if let line = finding.line { properties.append("line=\(max(1, line))") }
      }
      properties.append("title=" + property(finding.rule))
      // With several repositories a message must say which one it is about.
      let message = multiple ? "\(item.repository.name): \(finding.message)" : finding.message
      out += "::\(command(finding.severity)) \(properties.joined(separator: ","))::\(data(message))\n"
    }
    for result in results where result.status == .error {
      out += "::error::" + data("\(result.path): could not be read: \(result.error ?? "unknown error")") + "\n"
    }
    return out
  }

  static func command(_ severity: Severity) -> String {
    switch severity {
    case .error: return "error"
    case .warning: return "warning"
    case .note: return "notice"
    }
  }

  /// Escapes a command's message, as the Actions runner's `escapeData` does.
  static func data(_ text: String) -> String { escaped(text, property: false) }

  /// Escapes a property value, as the runner's `escapeProperty` does: ":" and "," would end the value.
  static func property(_ text: String) -> String { escaped(text, property: true) }

  /// Works on scalars, not Characters, so the "\r" of a "\r\n" pair is escaped too.
  static func escaped(_ text: String, property: Bool) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "%": out += "%25"
      case "\r": out += "%0D"
      case "\n": out += "%0A"
      case ":" where property: out += "%3A"
      case "," where property: out += "%2C"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
