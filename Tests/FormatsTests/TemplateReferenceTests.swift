import XCTest

@testable import Formats

final class TemplateReferenceTests: XCTestCase {
  func testCopierAnswersGiveSourceVersionLineAndAnswers() throws {
    let reference = try TemplateReference.parseCopierAnswers(
      """
      # Changes here will be overwritten by Copier
      _commit: v1.4.0-3-gabc1234
      _src_path: gh:acme/golden-service
      project_name: billing
      use_docker: true
      tags: [a, b]
      """)
    XCTAssertEqual(reference.tool, .copier)
    XCTAssertEqual(reference.source, "gh:acme/golden-service")
    XCTAssertEqual(reference.version, "v1.4.0-3-gabc1234")
    XCTAssertEqual(reference.line, 2)
    XCTAssertEqual(reference.values, ["project_name": "billing", "use_docker": "true"])
    XCTAssertEqual(reference.location.address, "github.com/acme/golden-service")
    XCTAssertEqual(reference.location.name, "golden-service")
  }

  func testCopierAnswersWithoutACommitOrSourceOrMapping() throws {
    let local = try TemplateReference.parseCopierAnswers("_src_path: ../templates/golden-service\n_commit: null\n")
    XCTAssertNil(local.version)
    XCTAssertEqual(local.location.path, "../templates/golden-service")
    XCTAssertEqual(local.location.name, "golden-service")
    XCTAssertThrowsError(try TemplateReference.parseCopierAnswers("_commit: v1\n")) { error in
      XCTAssertTrue((error as? TemplateReference.ParseError)?.message.contains("_src_path") ?? false)
    }
    XCTAssertThrowsError(try TemplateReference.parseCopierAnswers("- a list\n"))
    XCTAssertThrowsError(try TemplateReference.parseCopierAnswers("_src_path: [unclosed\n")) { error in
      XCTAssertNotNil((error as? TemplateReference.ParseError)?.line)
    }
  }

  func testCruftGivesTheCommitDirectoryAndCookiecutterContext() throws {
    let reference = try TemplateReference.parseCruft(
      """
      {
        "template": "git@github.com:acme/py-template.git",
        "commit": "8a6d7d5b1e9c0f5b2f3a4c5d6e7f8091a2b3c4d5",
        "checkout": null,
        "context": {"cookiecutter": {"project_slug": "billing", "workers": 4, "_commit": "x"}},
        "directory": "python"
      }
      """)
    XCTAssertEqual(reference.tool, .cruft)
    XCTAssertEqual(reference.version, "8a6d7d5b1e9c0f5b2f3a4c5d6e7f8091a2b3c4d5")
    XCTAssertEqual(reference.line, 3)
    XCTAssertEqual(reference.directory, "python")
    XCTAssertEqual(reference.values["cookiecutter.project_slug"], "billing")
    XCTAssertEqual(reference.values["cookiecutter.workers"], "4")
    XCTAssertEqual(reference.location.address, "github.com/acme/py-template")
    XCTAssertEqual(reference.location.name, "py-template")
  }

  func testCruftErrorsCarryTheirPlace() {
    XCTAssertThrowsError(try TemplateReference.parseCruft("{\n  \"template\": \"x\",\n  \"commit\": oops\n}")) {
      error in
      let problem = error as? TemplateReference.ParseError
      XCTAssertEqual(problem?.line, 3)
      XCTAssertFalse(problem?.message.isEmpty ?? true)
    }
    XCTAssertThrowsError(try TemplateReference.parseCruft("[1, 2]"))
    XCTAssertThrowsError(try TemplateReference.parseCruft("{\"commit\": \"abc\"}")) { error in
      XCTAssertTrue((error as? TemplateReference.ParseError)?.message.contains("template") ?? false)
    }
  }

  func testCatalogAnnotations() {
    let plumb = TemplateReference.fromCatalog(
      annotations: ["plumb.dev/template": "https://github.com/acme/golden-service.git@v2.1.0"],
      lines: ["plumb.dev/template": 5])
    XCTAssertEqual(plumb?.source, "https://github.com/acme/golden-service.git")
    XCTAssertEqual(plumb?.version, "v2.1.0")
    XCTAssertEqual(plumb?.line, 5)
    XCTAssertEqual(plumb?.location.address, "github.com/acme/golden-service")
    let ssh = TemplateReference.fromCatalog(
      annotations: ["plumb.dev/template": "git@github.com:acme/golden.git"], lines: [:])
    XCTAssertEqual(ssh?.source, "git@github.com:acme/golden.git", "the @ of an ssh address is not a version")
    XCTAssertNil(ssh?.version)
    let backstage = TemplateReference.fromCatalog(
      annotations: ["backstage.io/source-template": "template:default/golden-service"], lines: [:])
    XCTAssertEqual(backstage?.source, "golden-service")
    XCTAssertNil(backstage?.version)
    XCTAssertNil(TemplateReference.fromCatalog(annotations: ["other": "x"], lines: [:]))
  }
}
