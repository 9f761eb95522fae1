import XCTest

@testable import Formats

final class CatalogInfoTests: XCTestCase {
  func testReadsTheComponentAmongSeveralDocuments() throws {
    let info = try CatalogInfo.parse(
      """
      apiVersion: backstage.io/v1alpha1
      kind: System
      metadata: {name: payments}
      ---
      apiVersion: backstage.io/v1alpha1
      kind: Component
      metadata:
        name: payments-api
        annotations:
          github.com/project-slug: acme/payments-api
      spec:
        type: service
        owner: group:default/payments
      """)
    XCTAssertEqual(info.kind, "Component")
    XCTAssertEqual(info.name, "payments-api")
    XCTAssertEqual(info.type, "service")
    XCTAssertEqual(info.owner, "group:default/payments")
    XCTAssertEqual(info.ownerLine, 13)
    XCTAssertEqual(info.annotations["github.com/project-slug"], "acme/payments-api")
  }

  func testSyntaxErrorsCarryTheirPlace() {
    XCTAssertThrowsError(try CatalogInfo.parse("kind: Component\nspec:\n  type: [service\n")) { error in
      let problem = error as? CatalogInfo.ParseError
      XCTAssertNotNil(problem?.line)
      XCTAssertFalse(problem?.message.isEmpty ?? true)
    }
    XCTAssertThrowsError(try CatalogInfo.parse("- just\n- a list\n"))
  }
}
