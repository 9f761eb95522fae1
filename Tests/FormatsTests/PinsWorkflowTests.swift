import XCTest

@testable import Formats

final class PinsWorkflowTests: XCTestCase {
  private func uses(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [ActionUse] {
    do {
      return try Workflow.parseWorkflow(text)
    } catch {
      XCTFail("unexpected error: \(error.message)", file: file, line: line)
      return []
    }
  }

  private func failure(_ text: String, action: Bool = false) -> WorkflowParseError? {
    do {
      _ = action ? try Workflow.parseAction(text) : try Workflow.parseWorkflow(text)
      XCTFail("expected an error")
      return nil
    } catch {
      return error
    }
  }

  func testStepsWithPositions() {
    let text = """
      name: CI
      on: push
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: make
            - name: Setup
              uses: actions/setup-node@v4.0.2
      """
    let found = uses(text)
    XCTAssertEqual(found.count, 2)
    XCTAssertEqual(found[0].uses, "actions/checkout@v4")
    XCTAssertEqual(found[0].kind, .action(owner: "actions", repository: "checkout", path: nil))
    XCTAssertEqual(found[0].ref, "v4")
    XCTAssertEqual(found[0].job, "build")
    XCTAssertEqual(found[0].step, 0)
    XCTAssertEqual(found[0].line, 7)
    XCTAssertEqual(found[0].column, 15)
    XCTAssertEqual(found[1].step, 2)
    XCTAssertEqual(found[1].line, 10)
    XCTAssertEqual(found[1].column, 15)
    XCTAssertFalse(found[0].refIsCommitID)
  }

  func testReusableWorkflowAtJobLevel() {
    let text = """
      on: push
      jobs:
        call:
          uses: octo-org/example-repo/.github/workflows/reusable.yml@main
          with:
            config: x
        local:
          uses: ./.github/workflows/lint.yaml
      """
    let found = uses(text)
    XCTAssertEqual(found.count, 2)
    XCTAssertEqual(
      found[0].kind,
      .reusableWorkflow(owner: "octo-org", repository: "example-repo", path: ".github/workflows/reusable.yml"))
    XCTAssertEqual(found[0].ref, "main")
    XCTAssertEqual(found[0].job, "call")
    XCTAssertNil(found[0].step)
    XCTAssertEqual(found[1].kind, .local(path: "./.github/workflows/lint.yaml"))
    XCTAssertNil(found[1].ref)
  }

  func testDockerLocalAndPathActions() {
    let text = """
      jobs:
        test:
          steps:
            - uses: docker://alpine:3.20
            - uses: ./.github/actions/lint
            - uses: octo/repo/path/to/action@v1
      """
    let found = uses(text)
    XCTAssertEqual(
      found.map(\.kind),
      [
        .docker(image: "alpine:3.20"),
        .local(path: "./.github/actions/lint"),
        .action(owner: "octo", repository: "repo", path: "path/to/action"),
      ])
    XCTAssertEqual(found.map(\.ref), [nil, nil, "v1"])
    XCTAssertEqual(found.map(\.step), [0, 1, 2])
  }

  func testCommentsNameTheVersion() {
    let sha = "b4ffde65f46336ab88eb53be808477a3936bae11"
    let text = """
      jobs:
        a:
          steps:
            - uses: actions/checkout@\(sha) # v4.1.1
            - uses: actions/cache@\(sha)  # tag=v3.3.2
            - uses: actions/setup-go@\(sha) # pin@v5.0.0
            - uses: actions/upload-artifact@\(sha) # ratchet:actions/upload-artifact@v4
            - uses: "actions/labeler@\(sha)" # renovate: v5.0.0-beta.1
            - uses: actions/stale@\(sha) # pinned to main
            - uses: actions/cache@v3#notacomment
      """
    let found = uses(text)
    XCTAssertEqual(found.map(\.refComment), ["v4.1.1", "v3.3.2", "v5.0.0", "v4", "v5.0.0-beta.1", nil, nil])
    XCTAssertTrue(found[0].refIsCommitID)
    XCTAssertEqual(found[4].uses, "actions/labeler@\(sha)")
    XCTAssertEqual(found[6].ref, "v3#notacomment")
  }

  func testTrailingCommentsOnAOneLineFlowSequence() throws {
    let many = Array(repeating: "{uses: actions/cache@0123456789abcdef0123456789abcdef01234567}", count: 2_000)
    let text =
      "on: push\njobs:\n  b:\n    runs-on: x\n    steps: [\(many.joined(separator: ", "))] # v4.2.0\n"
      + "  c:\n    runs-on: x\n    steps: [{uses: \"a/b@v1 # not a comment\"}, {uses: c/d@main}]\n"
    let found = try Workflow.parseWorkflow(text)
    XCTAssertEqual(found.count, 2_002)
    XCTAssertEqual(Set(found.prefix(2_000).map(\.refComment)), ["v4.2.0"], "the line's comment names every pin on it")
    XCTAssertEqual(found.suffix(2).map(\.refComment), [nil, nil], "a # inside a quoted value is no comment")
  }

  func testCompositeAction() throws {
    let text = """
      name: Setup
      runs:
        using: composite
        steps:
          - uses: actions/setup-python@v5 # v5.1.0
          - run: echo hi
            shell: bash
          - uses: ./actions/inner
      """
    let found = try Workflow.parseAction(text)
    XCTAssertEqual(found.count, 2)
    XCTAssertNil(found[0].job)
    XCTAssertEqual(found[0].step, 0)
    XCTAssertEqual(found[0].refComment, "v5.1.0")
    XCTAssertEqual(found[1].step, 2)
    XCTAssertEqual(found[1].kind, .local(path: "./actions/inner"))
    XCTAssertEqual(try Workflow.parseAction("name: docker\nruns:\n  using: docker\n  image: Dockerfile\n"), [])
  }

  func testInvalidYAMLReportsLine() {
    let text = "jobs:\n  build:\n    steps:\n      - uses: [unclosed\n"
    let error = failure(text)
    XCTAssertNotNil(error?.line)
    XCTAssertGreaterThanOrEqual(error?.line ?? 0, 4)
    XCTAssertTrue(error?.message.hasPrefix("Invalid YAML") == true)
    let tabs = failure("jobs:\n\tbuild: x\n")
    XCTAssertEqual(tabs?.line, 2)
  }

  func testControlCharacterReportsLine() {
    let error = failure("jobs:\n  a:\n    name: bad\u{7}bell\n")
    XCTAssertEqual(error?.line, 3)
    XCTAssertEqual(error?.column, 14)
  }

  func testDuplicateKeysAreReported() {
    let error = failure("jobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n")
    XCTAssertTrue(error?.message.contains("a") == true)
    XCTAssertNotNil(error?.line)
  }

  func testTopLevelMustBeAMapping() {
    XCTAssertEqual(failure("- a\n- b\n")?.line, 1)
    XCTAssertNotNil(failure(""))
    XCTAssertNotNil(failure("- x", action: true))
  }

  func testStepsMustBeASequence() {
    let error = failure("jobs:\n  a:\n    steps: nope\n")
    XCTAssertEqual(error?.line, 3)
  }

  func testWorkflowWithoutJobsHasNoUses() {
    XCTAssertEqual(uses("name: x\non: push\n"), [])
  }

  func testAliasBombIsRefused() {
    var text = "shared: &big\n" + String(repeating: "  - uses: a/b@v1\n", count: 1_000) + "jobs:\n"
    for job in 0..<200 {
      text += "  j\(job):\n    steps: *big\n"
    }
    let error = failure(text)
    XCTAssertTrue(error?.message.contains("alias bomb") == true, error?.message ?? "")
    XCTAssertNil(error?.line)
  }

  func testAliasInsideAKeyIsRefusedQuickly() {
    var text = "a0: &a0 [x, x]\n"
    for level in 1...40 {
      text += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n"
    }
    text += "jobs:\n  ? *a40\n  : 1\n  ? *a39\n  : 2\n"
    let error = failure(text)
    XCTAssertEqual(error?.line, 43)
    XCTAssertTrue(error?.message.contains("alias") == true, error?.message ?? "")
  }

  func testGlobsAndQuotedStarsAreNotAliases() {
    let text = """
      on:
        push:
          paths: ['src/**', "*.md", '*release']
      jobs:
        a:
          steps:
            - run: ls *.txt
            - uses: actions/checkout@v4
      """
    XCTAssertEqual(uses(text).map(\.step), [1])
  }

  func testAliasedStepsAreRead() {
    let text = """
      jobs:
        a:
          steps: &shared
            - uses: actions/checkout@v4
        b:
          steps: *shared
      """
    let found = uses(text)
    XCTAssertEqual(found.map(\.job), ["a", "b"])
    XCTAssertEqual(found.map(\.line), [4, 4])
  }

  func testCRLFAndUnicodeColumns() {
    let text = "jobs:\r\n  ünï:\r\n    steps:\r\n      - { name: \"é\", uses: actions/checkout@v4 } # v4.2.0\r\n"
    let found = uses(text)
    XCTAssertEqual(found.first?.job, "ünï")
    XCTAssertEqual(found.first?.refComment, "v4.2.0")
    XCTAssertEqual(found.first?.column, 28)
  }
}
