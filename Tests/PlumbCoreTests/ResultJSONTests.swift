import FixtureKit
import XCTest

@testable import PlumbCore

/// A result written as plumb/findings@1 JSON reads back equal, and a malformed one says what is wrong.
final class ResultJSONTests: XCTestCase {
  func testAScannedResultReadsBackFromItsJSON() throws {
    let folder = TemporaryFolder()
    let repository = try folder.repository(
      "svc",
      yaml: """
        commits:
          - message: owners with a dead pattern
            author: Ann <ann@acme.test>
            date: 2026-01-01T00:00:00Z
            files:
              CODEOWNERS: "* @acme/platform\\n/gone/ @acme/ghosts\\n"
        """)
    let result = try scan(repository.path)
    XCTAssertTrue(result.findings.contains { $0.commit != nil && $0.evidence != .object([]) })
    XCTAssertEqual(try RepositoryResult(json: JSONParser.parse(result.json.serialized())), result)

    var described = result
    described.metadata = RepositoryMetadata(team: "payments", tier: "1", tags: ["pci", "edge"])
    let text = described.json.serialized()
    XCTAssertTrue(text.contains(#""name":"svc","team":"payments","tier":"1","tags":["pci","edge"],"head""#), text)
    XCTAssertEqual(try RepositoryResult(json: JSONParser.parse(text)), described)

    let failed = RepositoryResult.failed(path: "a", name: "a", error: "gone")
    XCTAssertEqual(try RepositoryResult(json: JSONParser.parse(failed.json.serialized())), failed)
  }

  func testAMalformedResultNamesWhatIsWrong() throws {
    let cases = [
      (#"{"path":"a","name":"a","status":"ok"}"#, #"repository has no "findings""#),
      (#"{"path":"a","name":"a","status":"fine","findings":[]}"#, #"repository "status" has an unexpected value"#),
      (
        #"{"path":"a","name":"a","status":"ok","findings":[{"rule":"r","severity":"error","message":"m"}]}"#,
        #"finding has no "fingerprint""#
      ),
      (
        #"{"path":"a","name":"a","status":"ok","findings":[{"rule":"r","severity":"error","message":"m","fingerprint":"f","commit":{"sha":"s"}}]}"#,
        #"commit has no "author""#
      ),
    ]
    for (text, message) in cases {
      XCTAssertThrowsError(try RepositoryResult(json: JSONParser.parse(text)), text) {
        XCTAssertEqual("\($0)", message)
      }
    }
  }

  func testAStreamedObjectIsTheSameTextAsTheWholeObjectWrittenAtOnce() {
    let head: [(String, JSONValue)] = [
      ("schema", "plumb/adoption@1"), ("empty", .object([])), ("list", .array([1, "two\n\"quoted\"", .null])),
      ("nested", .object([("a", .array([])), ("b", .object([("c", .double(0.5))]))])),
    ]
    func element(_ index: Int) -> JSONValue {
      .object([("index", .int(index)), ("name", .string("repository-\(index)\t")), ("points", .array([true, false]))])
    }
    for count in [0, 1, 12_000] {
      for indent in [2, nil] as [Int?] {
        var pieces: [[UInt8]] = []
        let tail: [(String, JSONValue)] = count == 1 ? [] : [("summary", .object([("n", .int(count))])), ("end", true)]
        JSONValue.streamObject(
          head, array: "repositories", count: count, tail: tail, indent: indent, element: element
        ) { pieces.append($0) }
        let whole = JSONValue.object(head + [("repositories", .array((0..<count).map(element)))] + tail)
        XCTAssertEqual(String(decoding: pieces.joined(), as: UTF8.self), whole.serialized(indent: indent) + "\n")
        if count == 12_000 && indent != nil { XCTAssertGreaterThan(pieces.count, 1, "written in pieces") }
      }
    }
  }

  func testAStreamedObjectMayStartWithItsArray() {
    var bytes: [UInt8] = []
    JSONValue.streamObject([], array: "items", count: 2, tail: [("after", 1)], indent: 2, element: { .int($0) }) {
      bytes += $0
    }
    let whole = JSONValue.object([("items", .array([0, 1])), ("after", 1)])
    XCTAssertEqual(String(decoding: bytes, as: UTF8.self), whole.serialized(indent: 2) + "\n")
  }
}
