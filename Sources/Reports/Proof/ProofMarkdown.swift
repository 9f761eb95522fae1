import Foundation

/// The proof report as Markdown (report.md): the same sections as the page, as tables, for a wiki or a PR.
public enum ProofMarkdown {
  public static func render(_ data: ProofData) -> String {
    let e = escape
    var out = "# \(e(data.title))\n\n"
    let totals = data.totals
    out += ProofHTML.counted(totals.repositories, "repository", plural: "repositories")
    if totals.unreadable > 0 { out += " (\(totals.unreadable) could not be read)" }
    out += ", " + ProofHTML.counted(totals.findings, "finding")
    if let errors = totals.errors, let warnings = totals.warnings, let notes = totals.notes {
      let counts = [(errors, "error"), (warnings, "warning"), (notes, "note")].map { ProofHTML.counted($0, $1) }
      out += " (\(counts.joined(separator: ", ")))"
    }
    out += "."
    out += " Generated \(data.generated) by plumb \(data.tool.version).\n"

    out += "\n## Scorecard\n\n"
    out += table(
      ["category", "passing", "share", "trend", "findings"],
      data.scorecard.map { score in
        [
          score.category, "\(score.passing) of \(score.repositories)", score.share.map(ProofCharts.percent) ?? "–",
          trend(score), String(score.findings),
        ]
      })

    out += "\n## Adoption over time\n\n"
    if data.timeline.count > 1 {
      out += table(
        ["period", "repositories"] + data.categories,
        data.timeline.map { point in
          [point.label, String(point.repositories)] + point.shares.map { $0.map(ProofCharts.percent) ?? "–" }
        })
      if !data.adopted.isEmpty {
        out += "\nAdopted and kept: "
        out += data.adopted.map { "\($0.category) \($0.repositories)" }.joined(separator: ", ")
        out += data.regressions.map { "; " + ProofHTML.counted($0, "regression") } ?? ""
        out += ".\n"
      }
    } else {
      out += "No history: pass `plumb adoption --format json` output.\n"
    }

    out += "\n## Maturity\n\n"
    if data.maturity.isEmpty {
      out += "No maturity levels: pass `plumb adoption --format json` output.\n"
    } else {
      out += table(["level", "repositories"], data.maturity.map { [$0.level, String($0.repositories)] })
    }

    out += "\n## Repositories\n\n"
    out += table(
      ["repository", "team", "status"] + data.categories + [
        "errors", "warnings", "notes", "maturity", "commit scanned",
      ],
      data.repositories.map { repository -> [String] in
        let marks: [String] = data.categories.map { category in
          switch data.passes(repository, category) {
          case true?: return "✓"
          case false?: return "✗"
          case nil: return "–"
          }
        }
        // Adoption alone counts findings per category, not per severity: those cells are unknown.
        let counts: [String] = [repository.errors, repository.warnings, repository.notes].map { count in
          count.map(String.init) ?? "–"
        }
        let rest: [String] = [repository.maturity ?? "", repository.head.map { String($0.prefix(12)) } ?? ""]
        return [repository.name, repository.team ?? "", repository.status] + marks + counts + rest
      })

    out += "\n## Pin inventory\n\n"
    if let pins = data.pins {
      out += "\(pins.pins) pins in \(pins.repositories) repositories.\n\n"
      out += table(
        ["kind", "source", "versions in use", "consumers", "newest", "behind a major"],
        pins.sources.map { source in
          [
            source.kind, source.source, source.versions.map { "\($0.version) ×\($0.pins)" }.joined(separator: ", "),
            String(source.consumers), source.newest ?? "", source.behindMajor.joined(separator: ", "),
          ]
        })
    } else {
      out += "No pin inventory: pass `plumb pins --format json` output.\n"
    }

    out += "\n## Tags and releases\n\n### Breaking releases without a major version\n\n"
    out += events(data.releases.breaking)
    out += "\n### Moved tags\n\n" + events(data.releases.moved)

    out += "\n## Delivery\n\n"
    if let delivery = data.delivery {
      out += table(
        [
          "releases per month", "lead time median (d)", "lead time p90 (d)", "patch share", "days since release",
          "unreleased commits",
        ],
        [
          [
            ProofHTML.number(delivery.releasesPerMonth), ProofHTML.number(delivery.leadTimeMedianDays),
            ProofHTML.number(delivery.leadTimeP90Days), delivery.patchShare.map(ProofCharts.percent) ?? "–",
            ProofHTML.number(delivery.daysSinceLastRelease), delivery.unreleasedCommits.map(String.init) ?? "–",
          ]
        ])
    } else {
      out += "No delivery figures: pass `plumb adoption --format json` output.\n"
    }

    out += "\n## Waivers\n\n"
    if data.waivers.isEmpty {
      out += "No waivers.\n"
    } else {
      out += table(
        ["state", "rule", "owner", "expires", "scope", "declared in", "reported in", "reason"],
        data.waivers.map { waiver in
          [
            waiver.state == .active ? "active" : "**\(waiver.state.rawValue)**", waiver.rule, waiver.owner,
            waiver.expires, waiver.scope, waiver.declaredIn ?? "", waiver.reportedIn.joined(separator: ", "),
            waiver.reason ?? "",
          ]
        }, escapeFirst: false)
    }

    out += "\n## Findings\n"
    for repository in data.repositories where !repository.findings.isEmpty {
      // Inside an HTML block Markdown escapes are not undone: the name is HTML-escaped instead.
      let summary = HTMLText.escape(repository.name) + ": " + ProofHTML.counted(repository.findings.count, "finding")
      out += "\n<details><summary>\(summary)</summary>\n\n"
      for finding in repository.findings {
        var location = finding.path ?? ""
        if let line = finding.line, !location.isEmpty { location += ":\(line)" }
        // Rule ids and commit ids come from input files too: escaped like any text, never inside code spans.
        var item = "- \(finding.severity.rawValue) \(e(finding.rule))"
        if !location.isEmpty { item += " " + linked(e(location), finding.url) }
        item += " — " + e(finding.message)
        if let commit = finding.commit {
          item += " (commit " + linked(e(String(commit.sha.prefix(7))), commit.url) + " by \(e(commit.author)))"
        }
        out += item + "\n"
      }
      out += "\n</details>\n"
    }

    out += "\n## Reproduce\n\n"
    out += "- plumb \(data.tool.version), schema `\(data.schema)`\n"
    out +=
      "- policy hash: "
      + (data.policyHashes.isEmpty ? "unknown" : data.policyHashes.map(e).joined(separator: ", ")) + "\n"
    out += "- read from: " + data.sources.map(e).joined(separator: ", ") + "\n"
    out += "- commit scanned per repository: see the Repositories table and data.json\n"
    return out
  }

  /// MarkdownReport's escaping, skipped for the many texts that hold nothing it would change.
  static func escape(_ text: String) -> String {
    text.utf8.contains(where: specialBytes.contains) ? MarkdownReport.escape(text) : text
  }

  static let specialBytes: Set<UInt8> = Set("@&<>|`\\*_[]\n\r".utf8)

  static func trend(_ score: ProofData.Score) -> String {
    switch score.trend {
    case .up: return "▲ " + ProofHTML.trendText(score).dropFirst(2)
    case .down: return "▼ " + ProofHTML.trendText(score).dropFirst(2)
    case .same: return "no change"
    case .none: return "–"
    }
  }

  static func events(_ events: [ProofData.ReleaseEvent]) -> String {
    guard !events.isEmpty else { return "None.\n" }
    return table(
      ["repository", "tag", "what happened", "commit"],
      events.map { [$0.repository, $0.tag ?? "", $0.message, $0.commit.map { String($0.sha.prefix(7)) } ?? ""] })
  }

  static func linked(_ text: String, _ url: String?) -> String {
    guard let url, HTMLText.href(url) != nil else { return text }
    return "[\(text)](\(url))"
  }

  /// A Markdown table; every cell is escaped (the first column too unless told it is already Markdown).
  static func table(_ header: [String], _ rows: [[String]], escapeFirst: Bool = true) -> String {
    var out = "| " + header.map(escape).joined(separator: " | ") + " |\n"
    out += "|" + header.map { _ in " --- |" }.joined() + "\n"
    for row in rows {
      let cells = row.enumerated().map { index, cell in
        index == 0 && !escapeFirst ? cell : escape(cell)
      }
      out += "| " + cells.joined(separator: " | ") + " |\n"
    }
    return out
  }
}
