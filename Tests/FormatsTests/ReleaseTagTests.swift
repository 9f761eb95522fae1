import Formats
import Version
import XCTest

/// Release tags read as versions: plain X.Y.Z is built from its numbers, the rest through Version's
/// parser, and both agree with what Version makes of the same text.
final class ReleaseTagTests: XCTestCase {
  func testVersionsAreWhatVersionParsesAndOnlyStrictSemver() {
    let semver = [
      "1.2.3", "v1.2.3", "V0.0.0", "10.20.30", "1.0.0-rc.1", "v2.0.0-alpha+build.5", "1.2.3+meta",
      "0.9.12-beta.2", "1.0.0-x-y-z.--", "1.0.0-alpha.0valid", "1.0.0-0",
    ]
    for name in semver {
      let tag = ReleaseTag.parse(name)
      let body = name.hasPrefix("v") || name.hasPrefix("V") ? String(name.dropFirst()) : name
      XCTAssertEqual(tag.version, Version(body), name)
      XCTAssertNotNil(tag.version, name)
      XCTAssertEqual(tag.component, "", name)
    }
    let notSemver = [
      "1.2", "1.2.3.4", "01.2.3", "1.02.3", "v", "", "latest", "1..3", "1.2.x", "99999999999999999999.0.0",
      "١.٢.٣",
      // SemVer 2.0.0's pre-release and build: no empty identifier, no leading zero in a number, ASCII only.
      "1.0.0-", "3.0.0+", "v5.0.0-01", "1.0.0-rc..1", "1.0.0-rc.", "1.0.0+b_c", "1.0.0-α", "1.0.0-rc+", "1.0.0-00",
    ]
    for name in notSemver { XCTAssertNil(ReleaseTag.parse(name).version, name) }
    XCTAssertEqual(ReleaseTag.parse("modules/vpc/v1.4.0").component, "modules/vpc")
    XCTAssertEqual(ReleaseTag.parse("grafana-7.0.1").version, Version(7, 0, 1))
    XCTAssertTrue(ReleaseTag.parse("v1.0.0").hasVPrefix)
  }
}
