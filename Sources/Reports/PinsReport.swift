import PlumbCore

/// Renders `plumb pins`: the inventory (one row per pin) and the roll-up (one row per source).
public enum PinsReport {
  static let columns = ["kind", "source", "version", "ref", "status", "repository", "path", "line"]

  static func cells(_ row: PinInventoryReport.Row) -> [String] {
    [
      row.pin.kind.rawValue, row.pin.source, row.pin.version ?? "", row.pin.ref ?? "",
      row.status.joined(separator: ","),
      row.repository, row.pin.path, String(row.pin.line),
    ]
  }

  static func rollupCells(_ rollup: PinInventoryReport.Rollup) -> [String] {
    [
      rollup.kind.rawValue, rollup.source, rollup.versions.map { "\($0.version) ×\($0.pins)" }.joined(separator: ", "),
      String(rollup.consumers.count), rollup.newest ?? "", rollup.consumersBehindMajor.joined(separator: " "),
    ]
  }

  static let rollupColumns = ["kind", "source", "versions in use", "consumers", "newest", "behind a major"]

  public static func table(_ report: PinInventoryReport) -> String {
    var out = aligned([columns] + report.rows.map(cells))
    out += "\n" + aligned([rollupColumns] + report.rollups.map(rollupCells))
    for (repository, error) in report.unreadable { out += "\n\(repository): could not be read: \(error)" }
    return out + "\n"
  }

  static func aligned(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }

  public static func csv(_ report: PinInventoryReport) -> String {
    ([columns] + report.rows.map(cells)).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }

  static func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  public static func markdown(_ report: PinInventoryReport) -> String {
    func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
    func table(_ header: [String], _ rows: [[String]]) -> String {
      var out = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
      for row in rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
      return out
    }
    let problems = report.rows.filter(\.breaksPolicy).count
    let outdated = report.rows.filter(\.isOutdated).count
    var out = "## Pins\n\n\(report.rows.count) pins in \(Set(report.rows.map(\.repository)).count) repositories, "
    out += "\(problems) not pinned as policy says, \(outdated) behind the newest release.\n\n### By source\n\n"
    out += table(rollupColumns, report.rollups.map(rollupCells))
    out += "\n<details><summary>Every pin</summary>\n\n" + table(columns, report.rows.map(cells)) + "\n</details>\n"
    return out
  }

  public static func json(_ report: PinInventoryReport) -> JSONValue {
    .object([
      ("schema", "plumb/pins@1"),
      (
        "pins",
        .array(
          report.rows.map { row in
            .object([
              ("kind", .string(row.pin.kind.rawValue)), ("source", .string(row.pin.source)),
              ("raw", .string(row.pin.raw)),
              ("version", JSONValue(row.pin.version)), ("ref", JSONValue(row.pin.ref)),
              ("status", JSONValue(row.status)),
              ("repository", .string(row.repository)), ("path", .string(row.pin.path)), ("line", .int(row.pin.line)),
              ("name", .string(row.pin.name)), ("problems", JSONValue(row.messages)),
            ])
          })
      ),
      (
        "rollup",
        .array(
          report.rollups.map { rollup in
            .object([
              ("kind", .string(rollup.kind.rawValue)), ("source", .string(rollup.source)),
              ("versions", .object(rollup.versions.map { ($0.version, .int($0.pins)) })),
              ("consumers", JSONValue(rollup.consumers)), ("newest", JSONValue(rollup.newest)),
              ("consumers_behind_major", JSONValue(rollup.consumersBehindMajor)),
            ])
          })
      ),
      (
        "unreadable",
        .array(
          report.unreadable.map { .object([("repository", .string($0.repository)), ("error", .string($0.error))]) })
      ),
    ])
  }
}
