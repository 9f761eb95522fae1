import PlumbCore

/// GitLab's Code Quality report (a JSON array of Code Climate-style issues), for the merge request widget.
public enum GitLabCodeQuality {
  public static func document(_ results: [RepositoryResult]) -> JSONValue {
    let multiple = results.count > 1
    let items = results.flatMap { result in result.findings.map { LocatedFinding(repository: result, finding: $0) } }
    let fingerprints = uniqueFingerprints(items.map(\.finding))
    return .array(
      zip(items, fingerprints).map { item, fingerprint in
        let finding = item.finding
        // GitLab requires a path: repository-level findings use the same anchor as SARIF.
        let path = ReportLocation.qualified(
          ReportLocation.path(of: finding), repository: item.repository, multiple: multiple)
        return .object([
          ("description", .string(multiple ? "\(item.repository.name): \(finding.message)" : finding.message)),
          ("check_name", .string(finding.rule)),
          ("fingerprint", .string(fingerprint)),
          ("severity", .string(severity(finding.severity))),
          (
            "location",
            .object([("path", .string(path)), ("lines", .object([("begin", .int(max(1, finding.line ?? 1)))]))])
          ),
        ])
      })
  }

  /// error → major, warning → minor, note → info (critical and blocker are left for security tools).
  static func severity(_ severity: Severity) -> String {
    switch severity {
    case .error: return "major"
    case .warning: return "minor"
    case .note: return "info"
    }
  }

  /// GitLab keys issues by fingerprint, so each must be unique. A plumb fingerprint shared by several
  /// findings (one subject on several lines) gets ":" + line on every member, so the suffix does not
  /// depend on which one came first; anything still equal gets ":2", ":3", … in input order.
  static func uniqueFingerprints(_ findings: [Finding]) -> [String] {
    var counts: [String: Int] = [:]
    for finding in findings { counts[finding.fingerprint, default: 0] += 1 }
    let first = findings.map { finding in
      counts[finding.fingerprint, default: 0] > 1 ? finding.fingerprint + ":\(finding.line ?? 0)" : finding.fingerprint
    }
    var used = Set(first)
    var seen: Set<String> = []
    return first.map { candidate in
      guard seen.insert(candidate).inserted else {
        var suffix = 2
        while used.contains(candidate + ":\(suffix)") { suffix += 1 }
        used.insert(candidate + ":\(suffix)")
        return candidate + ":\(suffix)"
      }
      return candidate
    }
  }
}
