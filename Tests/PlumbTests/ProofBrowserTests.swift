import FixtureKit
import Foundation
import XCTest

/// The proof report as a person sees it: opened in headless Chromium (Debian's `chromium`), it loads with no
/// console error, asks the network for nothing, sorts and filters, shows hostile names as text, and is
/// photographed at 1400 px wide into out/report-screenshots/.
final class ProofBrowserTests: XCTestCase {
  let root = projectRoot()

  func executable(_ name: String) -> String? {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  func testReportOpensCleanlyInChromium() throws {
    guard executable("chromium") != nil else {
      throw XCTSkip("chromium is not installed (scripts/install-chromium.sh installs Debian's package)")
    }
    let python = try XCTUnwrap(executable("python3"), "python3 runs the DevTools client")
    let folder = TemporaryFolder()
    let (estate, config) = try ProofReportTests.makeEstate(folder)
    let hostile = "<img src=x onerror=alert(1)>"
    _ = try Materializer.materialize(
      try RepositorySpec.parse(yaml: "files: {CODEOWNERS: \"* @acme/x\\n\", README.md: \"<b>hi</b>\\n\"}"),
      at: estate + "/" + hostile)
    let findings = try ProofReportTests.scan(folder, estate: estate, config: config)
    let output = folder.path + "/report"
    let manifest = folder.path + "/estate.yml"
    try "repositories:\n  - {path: clean, team: platform}\n  - {path: releases, team: modules}\n".write(
      toFile: manifest, atomically: true, encoding: .utf8)
    let report = try CLI.run([
      "report", findings, root + "/fixtures/report/adoption-demo.json", "--config", config, "--manifest", manifest,
      "--output", output, "--link-template", "https://git.example.com/acme/{repo}/blob/{sha}/{path}#L{line}",
    ])
    XCTAssertEqual(report.status, 0, report.stderr)

    let screenshots = root + "/out/report-screenshots"
    let check = Process()
    check.executableURL = URL(fileURLWithPath: python)
    check.arguments = [
      root + "/scripts/report-browser-check.py", output + "/index.html", "--screenshots", screenshots,
      "--expect-text", hostile, "--expect-text", "Estate scorecard",
    ]
    let pipe = Pipe()
    check.standardOutput = pipe
    try check.run()
    let text = pipe.fileHandleForReading.readDataToEndOfFile()
    check.waitUntilExit()
    let result = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: text) as? [String: Any], String(decoding: text, as: UTF8.self))
    XCTAssertEqual(check.terminationStatus, 0, "\(result)")
    XCTAssertEqual(result["console_errors"] as? [String], [])
    XCTAssertEqual(result["exceptions"] as? [String], [])
    XCTAssertEqual(result["requests"] as? [String], [], "the page loads nothing but itself")
    XCTAssertEqual(result["missing_text"] as? [String], [], "the hostile name shows as text")

    let interaction = try XCTUnwrap(result["interaction"] as? [String: Any])
    XCTAssertEqual(interaction["rows"] as? Int, 5)
    XCTAssertEqual(interaction["sorted_ascending"] as? Bool, true)
    XCTAssertEqual(interaction["sorted_descending"] as? Bool, true)
    XCTAssertEqual(interaction["teams"] as? Int, 3, "modules, platform, and (no team)")
    XCTAssertEqual(interaction["shown_for_first_team"] as? Int, 1, "filtering by team leaves that team's rows")
    XCTAssertEqual(interaction["shown_after_reset"] as? Int, 5)
    XCTAssertEqual(interaction["scripts"] as? Int, 1, "no repository text became a script")
    XCTAssertEqual(interaction["external_assets"] as? Int, 0)

    let shots = try XCTUnwrap(result["screenshots"] as? [String])
    XCTAssertTrue(shots.contains(screenshots + "/top.png"), "\(shots)")
    for shot in shots {
      let png = try Data(contentsOf: URL(fileURLWithPath: shot))
      XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], shot)
      // PNG width, big-endian at bytes 16–19 of the IHDR chunk.
      let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
      XCTAssertEqual(width, 1400, shot)
    }
  }
}
