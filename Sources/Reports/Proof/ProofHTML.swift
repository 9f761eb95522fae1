import Foundation
import PlumbCore

/// The proof report as one self-contained HTML page: inline CSS, SVG charts, a small script for sorting and
/// filtering, and a Content-Security-Policy that forbids loading anything. Every text from the inputs is escaped.
public enum ProofHTML {
  /// Findings listed per repository on the page; the rest are counted and stay in data.json.
  static let findingsPerRepository = 200
  /// Repository rows shown before "show all" (the script keeps the same number after sorting and filtering).
  static let pageSize = 200

  public static func render(_ data: ProofData) -> String {
    var page = ""
    page.reserveCapacity(4096 + data.repositories.count * 1500)
    let e = HTMLText.escape
    page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    page += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(ProofPageAssets.contentSecurityPolicy)\">"
    page += "<meta name=\"generator\" content=\"plumb \(e(data.tool.version))\">"
    page += "<title>\(e(data.title))</title><style>\(ProofPageAssets.style)</style></head><body>\n"
    page += header(data)
    page += "<main class=\"wrap\">\n"
    page += scorecard(data)
    page += adoption(data)
    page += maturity(data)
    page += repositories(data)
    page += pins(data)
    page += releases(data)
    page += delivery(data)
    page += waivers(data)
    page += findings(data)
    page += "</main>\n"
    page += footer(data)
    page += "<script>\(ProofPageAssets.script)</script>\n</body></html>\n"
    return page
  }

  static let sections = [
    ("scorecard", "Scorecard"), ("adoption", "Adoption"), ("maturity", "Maturity"),
    ("repositories", "Repositories"), ("pins", "Pins"), ("releases", "Tags and releases"),
    ("delivery", "Delivery"), ("waivers", "Waivers"), ("findings", "Findings"), ("reproduce", "Reproduce"),
  ]

  static func header(_ data: ProofData) -> String {
    let totals = data.totals
    var meta = "\(totals.repositories) repositor\(totals.repositories == 1 ? "y" : "ies")"
    if totals.unreadable > 0 { meta += " (\(totals.unreadable) could not be read)" }
    meta += " · " + counted(totals.findings, "finding")
    if let errors = totals.errors, let warnings = totals.warnings, let notes = totals.notes {
      meta += " (\(counted(errors, "error")), \(counted(warnings, "warning")), \(counted(notes, "note")))"
    }
    meta += " · generated \(data.generated) · plumb \(data.tool.version)"
    var out = "<header><div class=\"wrap\"><h1>\(HTMLText.escape(data.title))</h1>"
    out += "<p class=\"meta\">\(HTMLText.escape(meta))</p><nav>"
    for (id, name) in sections { out += "<a href=\"#\(id)\">\(name)</a>" }
    return out + "</nav></div></header>\n"
  }

  static func scorecard(_ data: ProofData) -> String {
    var out = "<section id=\"scorecard\"><h2>Estate scorecard</h2>"
    out +=
      "<p class=\"note\">Share of repositories passing each category: no finding of warning or worse from its "
      + "rules. Arrows compare with the previous point in time.</p><div class=\"cards\">"
    for (position, score) in data.scorecard.enumerated() {
      let colour = ProofCharts.colour(position)
      let share = score.share.map(ProofCharts.percent) ?? "–"
      out += "<div class=\"card\" style=\"--c:\(colour)\"><div class=\"cat\">\(HTMLText.escape(score.category))</div>"
      out += "<div class=\"big\">\(share)</div>"
      out += "<div class=\"trend \(score.trend.rawValue)\"\(trendTitle(score))>\(trendText(score))</div>"
      out += "<div class=\"bar\"><span style=\"width:\(Int(((score.share ?? 0) * 100).rounded()))%\"></span></div>"
      out +=
        "<div class=\"small\">\(score.passing) of \(score.repositories) pass · \(counted(score.findings, "finding"))</div>"
      out += ProofCharts.sparkline(data.timeline, position: position, colour: colour) + "</div>"
    }
    out += "</div>"
    if data.totals.unreadable > 0 {
      out +=
        "<p class=\"note\">\(data.totals.unreadable) repositor\(data.totals.unreadable == 1 ? "y" : "ies") "
        + "could not be read and count in no category.</p>"
    }
    return out + "</section>\n"
  }

  static func trendText(_ score: ProofData.Score) -> String {
    guard let now = score.share, let before = score.previousShare else { return "no earlier point" }
    let points = Int(((now - before) * 100).rounded())
    switch score.trend {
    case .up: return "▲ +\(points) pts"
    case .down: return "▼ \(points) pts"
    case .same: return "▬ no change"
    case .none: return "no earlier point"
    }
  }

  static func trendTitle(_ score: ProofData.Score) -> String {
    guard let before = score.previousShare else { return "" }
    let label = score.previousLabel.map { " in \($0)" } ?? ""
    return " title=\"" + HTMLText.escape("from \(ProofCharts.percent(before))\(label)") + "\""
  }

  static func adoption(_ data: ProofData) -> String {
    var out = "<section id=\"adoption\"><h2>Adoption over time</h2>"
    guard data.timeline.count > 1 else {
      return out
        + "<p class=\"note\">No history yet: pass the JSON of <code>plumb adoption --format json</code> "
        + "(or a store with several runs) to draw adoption over time.</p></section>\n"
    }
    out += ProofCharts.adoption(data.timeline, categories: data.categories)
    out += "<ul class=\"legend\">"
    for (position, category) in data.categories.enumerated() {
      out += "<li style=\"--c:\(ProofCharts.colour(position))\">\(HTMLText.escape(category))</li>"
    }
    out += "</ul>"
    if !data.adopted.isEmpty {
      out += "<h3>Adopted and kept</h3><div class=\"figures\">"
      for count in data.adopted {
        out +=
          "<div class=\"figure\"><b>\(count.repositories)</b><span>\(HTMLText.escape(count.category))</span></div>"
      }
      if let regressions = data.regressions {
        out += "<div class=\"figure\"><b>\(regressions)</b><span>regressions</span></div>"
      }
      out += "</div>"
    }
    return out + "</section>\n"
  }

  static func maturity(_ data: ProofData) -> String {
    var out = "<section id=\"maturity\"><h2>Maturity</h2>"
    guard !data.maturity.isEmpty else {
      return out
        + "<p class=\"note\">Maturity levels come from <code>plumb adoption --format json</code>; "
        + "pass its output to see how many repositories reach each level.</p></section>\n"
    }
    out += ProofCharts.maturity(data.maturity)
    return out + "</section>\n"
  }

  static func repositories(_ data: ProofData) -> String {
    let e = HTMLText.escape
    let hasMaturity = data.repositories.contains { $0.maturity != nil }
    let hasDelivery = data.repositories.contains { $0.delivery != nil }
    let hasTier = data.repositories.contains { $0.tier != nil }
    let hasTeam = !data.teams.isEmpty
    let levels = data.maturity.map(\.level)
    var out = "<section id=\"repositories\"><h2>Repositories</h2><div class=\"controls\">"
    if !data.teams.isEmpty {
      out += "<label>Team <select id=\"team\"><option value=\"\">all teams</option>"
      for team in data.teams { out += "<option value=\"\(e(team))\">\(e(team))</option>" }
      if data.repositories.contains(where: { $0.team == nil }) { out += "<option value=\"-\">(no team)</option>" }
      out += "</select></label>"
    }
    out += "<input id=\"q\" type=\"search\" placeholder=\"filter by name\" aria-label=\"filter by name\">"
    out += "<span id=\"shown\" class=\"count\">\(data.repositories.count) repositories</span></div>"
    out +=
      "<div class=\"scroll\"><table class=\"sortable\" id=\"repository-table\" data-page=\"\(pageSize)\"><thead><tr><th>repository</th>"
    out += (hasTeam ? "<th>team</th>" : "") + (hasTier ? "<th>tier</th>" : "") + "<th>status</th>"
    for category in data.categories { out += "<th title=\"passes \(e(category))\">\(e(category))</th>" }
    out += "<th class=\"num\">errors</th><th class=\"num\">warnings</th><th class=\"num\">notes</th>"
    if hasMaturity { out += "<th>maturity</th>" }
    if hasDelivery { out += "<th class=\"num\">releases/mo</th><th class=\"num\">lead time (d)</th>" }
    out += "<th>commit scanned</th></tr></thead><tbody>"
    for (index, repository) in data.repositories.enumerated() {
      let name = e(repository.name)
      // Rows past the first page are laid out only when asked for: 2,000 rows would slow the first paint.
      out += "<tr\(index >= pageSize ? " class=\"x\"" : "") data-team=\"\(e(repository.team ?? "-"))\" "
      out += "data-name=\"\(e(repository.name.lowercased()))\">"
      let target = repository.findings.isEmpty ? name : "<a href=\"#r\(index)\">\(name)</a>"
      out += "<td title=\"\(e(repository.path))\">\(target)</td>"
      if hasTeam { out += "<td>\(e(repository.team ?? ""))</td>" }
      if hasTier { out += "<td data-v=\"\(e(sortKey(tier: repository.tier)))\">\(e(repository.tier ?? ""))</td>" }
      if repository.status == "ok" {
        out += "<td>ok</td>"
      } else {
        out += "<td class=\"sev error\" title=\"\(e(repository.error ?? ""))\">\(e(repository.status))</td>"
      }
      for category in data.categories {
        switch data.passes(repository, category) {
        case true?: out += "<td class=\"y\" data-v=\"1\">✓</td>"
        case false?: out += "<td class=\"n\" data-v=\"0\">✗</td>"
        case nil: out += "<td class=\"u\" data-v=\"\">–</td>"
        }
      }
      for count in [repository.errors, repository.warnings, repository.notes] {
        out += "<td class=\"num\">\(count.map(String.init) ?? "–")</td>"
      }
      if hasMaturity {
        // Levels sort in their order, lowest first, not by name.
        let rank = repository.maturity.flatMap { levels.firstIndex(of: $0) }.map { String(format: "%03d", $0) } ?? "999"
        out += "<td data-v=\"\(rank)\">\(e(repository.maturity ?? ""))</td>"
      }
      if hasDelivery {
        out += "<td class=\"num\">\(number(repository.delivery?.releasesPerMonth))</td>"
        out += "<td class=\"num\">\(number(repository.delivery?.leadTimeMedianDays))</td>"
      }
      let sha = repository.head.map { HTMLText.link(e(String($0.prefix(12))), repository.headLink) } ?? ""
      out += "<td class=\"sha\">\(sha)</td></tr>"
    }
    out += "</tbody></table></div>"
    if data.repositories.count > pageSize {
      out += "<p><button id=\"more\" type=\"button\">show all \(data.repositories.count) repositories</button></p>"
    }
    return out + "</section>\n"
  }

  static func pins(_ data: ProofData) -> String {
    let e = HTMLText.escape
    var out = "<section id=\"pins\"><h2>Pin inventory</h2>"
    guard let pins = data.pins else {
      return out
        + "<p class=\"note\">Pass the JSON of <code>plumb pins --format json</code> to see which versions of each "
        + "module, action and image are in use.</p></section>\n"
    }
    let behind = pins.sources.filter { !$0.behindMajor.isEmpty }.count
    out +=
      "<p class=\"note\">\(pins.pins) pins in \(pins.repositories) repositories, \(pins.sources.count) sources; "
      + "\(behind) with consumers a major version behind the newest.</p>"
    out += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th>kind</th><th>source</th>"
    out += "<th>versions in use (pins)</th><th class=\"num\">consumers</th><th>newest</th>"
    out += "<th class=\"num\">behind a major</th></tr></thead><tbody>\n"
    for source in pins.sources {
      let versions = source.versions.map { "\(e($0.version)) ×\($0.pins)" }.joined(separator: ", ")
      out += "<tr><td>\(e(source.kind))</td><td><code>\(e(source.source))</code></td><td>\(versions)</td>"
      out +=
        "<td class=\"num\">\(source.consumers)</td><td data-v=\"\(e(sortKey(version: source.newest)))\">\(e(source.newest ?? ""))</td>"
      out += "<td class=\"num\" data-v=\"\(source.behindMajor.count)\">"
      if source.behindMajor.isEmpty {
        out += "0"
      } else {
        let names = source.behindMajor.map(e).joined(separator: ", ")
        out += "<details><summary>\(source.behindMajor.count)</summary>\(names)</details>"
      }
      out += "</td></tr>\n"
    }
    return out + "</tbody></table></div></section>\n"
  }

  static func releases(_ data: ProofData) -> String {
    var out = "<section id=\"releases\"><h2>Tags and releases</h2>"
    out += "<h3>Breaking releases without a major version (\(data.releases.breaking.count))</h3>"
    out += events(data.releases.breaking, empty: "No release broke a module's interface without a major bump.")
    out += "<h3>Moved tags (\(data.releases.moved.count))</h3>"
    out += events(data.releases.moved, empty: "No tag was seen to move (this needs runs recorded in a store).")
    return out + "</section>\n"
  }

  static func events(_ events: [ProofData.ReleaseEvent], empty: String) -> String {
    guard !events.isEmpty else { return "<p class=\"note\">\(empty)</p>" }
    let e = HTMLText.escape
    var out = "<table class=\"sortable\"><thead><tr><th>repository</th><th>tag</th><th>what happened</th>"
    out += "<th>commit</th></tr></thead><tbody>\n"
    for event in events {
      out += "<tr><td>\(e(event.repository))</td><td><code>\(e(event.tag ?? ""))</code></td>"
      out += "<td>\(e(event.message))</td><td>\(commit(event.commit))</td></tr>\n"
    }
    return out + "</tbody></table>"
  }

  static func delivery(_ data: ProofData) -> String {
    var out = "<section id=\"delivery\"><h2>Delivery</h2>"
    guard let delivery = data.delivery else {
      return out
        + "<p class=\"note\">Delivery figures (releases, lead time, patch share) come from "
        + "<code>plumb adoption --format json</code>.</p></section>\n"
    }
    let figures: [(String, String)] = [
      (number(delivery.releasesPerMonth), "releases per month"),
      (number(delivery.leadTimeMedianDays), "median lead time (days)"),
      (number(delivery.leadTimeP90Days), "90th percentile lead time (days)"),
      (delivery.patchShare.map(ProofCharts.percent) ?? "–", "of releases are patches"),
      (number(delivery.daysSinceLastRelease), "days since last release (median)"),
      (delivery.unreleasedCommits.map(String.init) ?? "–", "commits not yet released"),
      (delivery.releases.map(String.init) ?? "–", "releases"),
    ]
    out += "<div class=\"figures\">"
    for (value, label) in figures { out += "<div class=\"figure\"><b>\(value)</b><span>\(label)</span></div>" }
    return out + "</div></section>\n"
  }

  static func waivers(_ data: ProofData) -> String {
    let e = HTMLText.escape
    var out = "<section id=\"waivers\"><h2>Waivers</h2>"
    guard !data.waivers.isEmpty else {
      return out
        + "<p class=\"note\">No waivers: none in the config given with <code>--config</code> and none reported "
        + "as expired or unused.</p></section>\n"
    }
    let expired = data.waivers.filter { $0.state == .expired }.count
    let unused = data.waivers.filter { $0.state == .unused }.count
    out += "<p class=\"note\">\(counted(data.waivers.count, "waiver")): \(expired) expired, \(unused) unused.</p>"
    out += "<table class=\"sortable\"><thead><tr><th>state</th><th>rule</th><th>owner</th><th>expires</th>"
    out += "<th>scope</th><th>applies to</th><th>declared in</th><th>reported in</th><th>reason</th></tr></thead>"
    out += "<tbody>\n"
    for waiver in data.waivers {
      var scope: [String] = []
      if !waiver.repositories.isEmpty { scope.append("repositories " + waiver.repositories.joined(separator: ", ")) }
      if !waiver.paths.isEmpty { scope.append("paths " + waiver.paths.joined(separator: ", ")) }
      out += "<tr class=\"\(waiver.state.rawValue)\"><td class=\"state\">\(waiver.state.rawValue)</td>"
      out +=
        "<td><code>\(e(waiver.rule))</code></td><td>\(e(waiver.owner))</td><td class=\"date\">\(e(waiver.expires))</td>"
      out += "<td>\(e(waiver.scope))</td><td>\(e(scope.isEmpty ? "everything" : scope.joined(separator: "; ")))</td>"
      out += "<td>\(e(waiver.declaredIn ?? ""))</td><td>\(e(waiver.reportedIn.joined(separator: ", ")))</td>"
      out += "<td>\(e(waiver.reason ?? ""))</td></tr>\n"
    }
    return out + "</tbody></table></section>\n"
  }

  static func findings(_ data: ProofData) -> String {
    let e = HTMLText.escape
    var out = "<section id=\"findings\"><h2>Findings</h2>"
    let withFindings = data.repositories.enumerated().filter { !$0.element.findings.isEmpty }
    guard !withFindings.isEmpty else {
      return out + "<p class=\"note\">No findings.</p></section>\n"
    }
    out += "<p class=\"note\">Per repository, most severe first; each links to the commit that introduced it.</p>\n"
    for (index, repository) in withFindings {
      out += "<details class=\"repo\" id=\"r\(index)\" data-team=\"\(e(repository.team ?? "-"))\" "
      out += "data-name=\"\(e(repository.name.lowercased()))\"><summary><b>\(e(repository.name))</b>"
      for (count, severity) in [
        (repository.errors ?? 0, "error"), (repository.warnings ?? 0, "warning"), (repository.notes ?? 0, "note"),
      ]
      where count > 0 {
        out += "<span class=\"pill \(severity)\">\(count) \(severity)\(count == 1 ? "" : "s")</span>"
      }
      out += "</summary><ul class=\"findings\">"
      // One list item per finding, few elements each: thousands of them must stay cheap to parse.
      for finding in repository.findings.prefix(findingsPerRepository) {
        var location = finding.path ?? ""
        if let line = finding.line, !location.isEmpty { location += ":\(line)" }
        out += "<li class=\"\(finding.severity.rawValue)\"><code>\(e(finding.rule))</code> "
        if !location.isEmpty { out += HTMLText.link(e(location), finding.url) + " " }
        out += e(finding.message) + " " + commit(finding.commit) + "</li>"
      }
      let more = repository.findings.count - findingsPerRepository
      if more > 0 { out += "<li class=\"more\">and \(more) more in data.json</li>" }
      out += "</ul></details>\n"
    }
    return out + "</section>\n"
  }

  /// The short commit id (a link when there is one) and who made it when; the summary shows on hover.
  static func commit(_ commit: ProofData.Commit?) -> String {
    guard let commit else { return "" }
    let e = HTMLText.escape
    let sha = e(String(commit.sha.prefix(7)))
    let title = " title=\"\(e(commit.summary))\""
    let shown =
      HTMLText.href(commit.url).map { "<a class=\"sha\" href=\"\($0)\"\(title)>\(sha)</a>" }
      ?? "<span class=\"sha\"\(title)>\(sha)</span>"
    return "<span class=\"by\">\(shown) \(e(commit.author)), \(e(String(commit.time.prefix(10))))</span>"
  }

  static func footer(_ data: ProofData) -> String {
    let e = HTMLText.escape
    var out = "<footer id=\"reproduce\" class=\"wrap\"><h2>Reproduce this report</h2><p>"
    out += "plumb \(e(data.tool.version)) · schema \(e(data.schema)) · generated \(e(data.generated))<br>"
    let hashes = data.policyHashes.isEmpty ? "unknown" : data.policyHashes.map(e).joined(separator: ", ")
    out += "policy hash\(data.policyHashes.count > 1 ? "es (inputs disagree)" : ""): <code>\(hashes)</code><br>"
    out += "read from: \(data.sources.map(e).joined(separator: ", "))</p>"
    out += "<details><summary>Commit scanned in each of \(data.repositories.count) repositories</summary><pre>"
    let width = data.repositories.map(\.name.count).max() ?? 0
    for repository in data.repositories {
      let padding = String(repeating: " ", count: max(0, width - repository.name.count))
      out += e(repository.name) + padding + "  " + e(repository.head ?? "(\(repository.status))") + "\n"
    }
    return out + "</pre></details></footer>\n"
  }

  static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
  }

  /// One decimal, or a dash when unknown.
  static func number(_ value: Double?) -> String {
    guard let value else { return "–" }
    return String(format: "%.1f", value)
  }

  /// A tier's sort key: numbers in numeric order (1, 2, 10), before names.
  static func sortKey(tier: String?) -> String {
    guard let tier else { return "2" }
    if let number = Double(tier), number >= 0, number < 1e12 { return "0" + String(format: "%016.4f", number) }
    return "1" + tier.lowercased()
  }

  /// A version's sort key: each numeric part zero-padded (9.x before 10.x), a release after its pre-releases.
  static func sortKey(version: String?) -> String {
    guard let version else { return "" }
    let core = version.drop { $0 == "v" || $0 == "V" }
    let release = core.prefix { $0 != "-" && $0 != "+" }
    let parts = release.split(separator: ".").map { part in
      part.allSatisfy(\.isNumber) && part.count <= 12
        ? String(repeating: "0", count: 12 - part.count) + part : String(part)
    }
    let preRelease = core.dropFirst(release.count).hasPrefix("-")
    return parts.joined(separator: ".") + (preRelease ? "!" + core.dropFirst(release.count) : "~")
  }
}
