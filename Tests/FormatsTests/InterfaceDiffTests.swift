import Formats
import XCTest

final class InterfaceDiffTests: XCTestCase {
  private func diff(_ old: [String: String], _ new: [String: String]) -> [InterfaceChange] {
    InterfaceDiff.changes(from: ModuleInterface.extract(files: old), to: ModuleInterface.extract(files: new))
  }

  private func diff(_ old: String, _ new: String) -> [InterfaceChange] {
    diff(["main.tf": old], ["main.tf": new])
  }

  private func only(
    _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line
  ) throws -> InterfaceChange {
    let changes = diff(old, new)
    XCTAssertEqual(changes.count, 1, "\(changes.map(\.kind))", file: file, line: line)
    return try XCTUnwrap(changes.first, file: file, line: line)
  }

  private let module = """
    terraform {
      required_version = ">= 1.5"
      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = ">= 5.0, < 6.0"
        }
        random = "~> 3.1"
      }
    }

    variable "name" {
      type = string
    }

    variable "settings" {
      type = object({
        size    = number
        enabled = optional(bool, true)
      })
      default = { size = 1 }
    }

    resource "aws_s3_bucket" "this" {
      bucket = var.name
    }

    module "logs" {
      source = "./logs"
    }

    output "arn" {
      value = aws_s3_bucket.this.arn
    }
    """

  func testIdenticalModulesHaveNoChanges() {
    XCTAssertEqual(diff(module, module), [])
  }

  func testWhitespaceAndCommentOnlyEditsHaveNoChanges() {
    let reformatted = """
      # Reformatted, re-commented and split differently.
      terraform {
        required_version = ">=1.5.0"
        required_providers {
          aws    = { source = "hashicorp/aws", version = ">= 5.0,< 6.0" } // inline
          random = "~>3.1"
        }
      }
      variable "name" { type = string }
      /* block
         comment */
      variable "settings" {
        type    = object({ size = number, enabled = optional(bool, true) }) # one line now
        default = {
          size = 1
        }
      }
      resource "aws_s3_bucket" "this" { bucket = var.name }
      module "logs" { source = "./logs" }
      output "arn" { value = aws_s3_bucket.this.arn }
      """
    XCTAssertEqual(diff(module, reformatted), [])
  }

  func testMovingDeclarationsBetweenFilesHasNoChanges() {
    let split = [
      "variables.tf": "variable \"a\" {\n  default = 1\n}\n",
      "outputs.tf": "output \"b\" {\n  value = 2\n}\n",
    ]
    let merged = ["main.tf": "output \"b\" {\n  value = 2\n}\n\n\nvariable \"a\" {\n  default = 1\n}\n"]
    XCTAssertEqual(diff(split, merged), [])
  }

  func testHistoricalMovedBlockWithoutRemovalHasNoChanges() {
    let source = "resource \"aws_s3_bucket\" \"b\" {}\nmoved {\n  from = aws_s3_bucket.a\n  to = aws_s3_bucket.b\n}\n"
    XCTAssertEqual(diff(source, source), [])
  }

  func testVariableAddedWithDefaultIsNotBreaking() throws {
    let change = try only("", "variable \"region\" {\n  default = \"eu-west-1\"\n}\n")
    XCTAssertEqual(change.kind, .variableAdded)
    XCTAssertEqual(change.subject, "region")
    XCTAssertFalse(change.isBreaking)
    XCTAssertEqual(change.after, "\"eu-west-1\"")
  }

  func testVariableAddedWithNullDefaultIsNotBreaking() throws {
    let change = try only("", "variable \"kms\" {\n  type = string\n  default = null\n}\n")
    XCTAssertEqual(change.kind, .variableAdded)
    XCTAssertFalse(change.isBreaking)
  }

  func testVariableAddedWithoutDefaultIsBreaking() throws {
    let change = try only("", "variable \"size\" {\n  type = number\n}\n")
    XCTAssertEqual(change.kind, .variableAddedWithoutDefault)
    XCTAssertTrue(change.isBreaking)
    XCTAssertEqual(change.detail, "variable \"size\" added without a default: every caller must now set it")
  }

  func testVariableRemovedIsBreaking() throws {
    let change = try only("variable \"size\" {\n  default = 1\n}\n", "")
    XCTAssertEqual(change.kind, .variableRemoved)
    XCTAssertEqual(change.subject, "size")
    XCTAssertTrue(change.isBreaking)
  }

  func testVariableTypeChangedIsBreaking() throws {
    let change = try only(
      "variable \"ids\" {\n  type = list(string)\n}\n", "variable \"ids\" {\n  type = set( string )\n}\n"
    )
    XCTAssertEqual(change.kind, .variableTypeChanged)
    XCTAssertTrue(change.isBreaking)
    XCTAssertEqual(change.before, "list(string)")
    XCTAssertEqual(change.after, "set(string)")
  }

  func testMissingTypeAndAnyAreTheSameType() {
    XCTAssertEqual(diff("variable \"x\" {}\n", "variable \"x\" {\n  type = any\n}\n"), [])
  }

  func testTerraform011QuotedTypesAreTheTypes012MadeOfThem() throws {
    for (legacy, modern) in [("\"string\"", "string"), ("\"list\"", "list(any)"), ("\"map\"", "map(any)")] {
      XCTAssertEqual(
        diff("variable \"x\" {\n  type = \(legacy)\n}\n", "variable \"x\" {\n  type = \(modern)\n}\n"), [], legacy)
    }
    XCTAssertEqual(
      try only("variable \"x\" {\n  type = \"string\"\n}\n", "variable \"x\" {\n  type = number\n}\n").kind,
      .variableTypeChanged)
  }

  func testVariableDefaultRemovedIsBreaking() throws {
    let change = try only(
      "variable \"size\" {\n  type = number\n  default = 2\n}\n", "variable \"size\" {\n  type = number\n}\n"
    )
    XCTAssertEqual(change.kind, .variableDefaultRemoved)
    XCTAssertTrue(change.isBreaking)
    XCTAssertEqual(change.before, "2")
    XCTAssertNil(change.after)
  }

  func testVariableDefaultChangedIsNotBreaking() throws {
    let change = try only(
      "variable \"tags\" {\n  default = { team = \"a\" }\n}\n", "variable \"tags\" {\n  default = { team = \"b\" }\n}\n"
    )
    XCTAssertEqual(change.kind, .variableDefaultChanged)
    XCTAssertFalse(change.isBreaking)
    XCTAssertEqual(change.before, "{team=\"a\"}")
    XCTAssertEqual(change.after, "{team=\"b\"}")
  }

  func testDefaultGainedIsReportedAsANonBreakingDefaultChange() throws {
    let change = try only("variable \"size\" {}\n", "variable \"size\" {\n  default = 3\n}\n")
    XCTAssertEqual(change.kind, .variableDefaultChanged)
    XCTAssertFalse(change.isBreaking)
    XCTAssertNil(change.before)
    XCTAssertEqual(change.after, "3")
  }

  func testNullableTurnedOffIsBreaking() throws {
    let change = try only(
      "variable \"n\" {\n  default = 1\n}\n", "variable \"n\" {\n  default = 1\n  nullable = false\n}\n")
    XCTAssertEqual(change.kind, .variableNullableTurnedOff)
    XCTAssertTrue(change.isBreaking)
  }

  func testNullableTurnedOnIsNotBreaking() throws {
    let change = try only(
      "variable \"n\" {\n  default = 1\n  nullable = false\n}\n", "variable \"n\" {\n  default = 1\n}\n")
    XCTAssertEqual(change.kind, .variableNullableTurnedOn)
    XCTAssertFalse(change.isBreaking)
  }

  func testSeveralChangesToOneVariableAreAllReported() {
    let changes = diff(
      "variable \"v\" {\n  type = string\n  default = \"a\"\n}\n",
      "variable \"v\" {\n  type = number\n  nullable = false\n}\n"
    )
    XCTAssertEqual(changes.map(\.kind), [.variableTypeChanged, .variableDefaultRemoved, .variableNullableTurnedOff])
    XCTAssertTrue(changes.allSatisfy(\.isBreaking))
  }

  func testOutputAddedIsNotBreakingAndRemovedIsBreaking() {
    let changes = diff("output \"a\" {\n  value = 1\n}\n", "output \"b\" {\n  value = 1\n}\n")
    XCTAssertEqual(changes.map(\.kind), [.outputRemoved, .outputAdded])
    XCTAssertEqual(changes.map(\.subject), ["a", "b"])
    XCTAssertEqual(changes.map(\.isBreaking), [true, false])
  }

  func testComponentAddedIsNotBreaking() throws {
    let change = try only("", "resource \"aws_sqs_queue\" \"q\" {\n  count = 2\n}\n")
    XCTAssertEqual(change.kind, .componentAdded)
    XCTAssertEqual(change.subject, "aws_sqs_queue.q")
    XCTAssertFalse(change.isBreaking)
  }

  func testResourceRemovedIsBreaking() throws {
    let change = try only("resource \"aws_sqs_queue\" \"q\" {}\n", "")
    XCTAssertEqual(change.kind, .componentRemoved)
    XCTAssertEqual(change.subject, "aws_sqs_queue.q")
    XCTAssertTrue(change.isBreaking)
  }

  func testModuleCallRemovedIsBreaking() throws {
    let change = try only("module \"vpc\" {\n  source = \"./vpc\"\n}\n", "")
    XCTAssertEqual(change.kind, .componentRemoved)
    XCTAssertEqual(change.subject, "module.vpc")
    XCTAssertTrue(change.isBreaking)
  }

  func testAddingCountOrForEachKeepsTheAddress() {
    XCTAssertEqual(
      diff(
        "resource \"aws_instance\" \"web\" {}\n", "resource \"aws_instance\" \"web\" {\n  for_each = var.names\n}\n"),
      []
    )
  }

  func testDataSourceChangesAreIgnored() {
    XCTAssertEqual(diff("data \"aws_caller_identity\" \"me\" {}\n", "data \"aws_region\" \"here\" {}\n"), [])
  }

  func testRenameWithoutMovedIsOneBreakingChange() throws {
    let change = try only(
      "resource \"aws_s3_bucket\" \"logs\" {}\n", "resource \"aws_s3_bucket\" \"access_logs\" {}\n"
    )
    XCTAssertEqual(change.kind, .componentRenamedWithoutMoved)
    XCTAssertEqual(change.subject, "aws_s3_bucket.logs")
    XCTAssertEqual(change.before, "aws_s3_bucket.logs")
    XCTAssertEqual(change.after, "aws_s3_bucket.access_logs")
    XCTAssertTrue(change.isBreaking)
  }

  func testRenameWithMovedIsNotBreaking() throws {
    let new = """
      resource "aws_s3_bucket" "access_logs" {}

      moved {
        from = aws_s3_bucket.logs
        to   = aws_s3_bucket.access_logs
      }
      """
    let change = try only("resource \"aws_s3_bucket\" \"logs\" {}\n", new)
    XCTAssertEqual(change.kind, .componentMoved)
    XCTAssertEqual(change.subject, "aws_s3_bucket.logs")
    XCTAssertEqual(change.after, "aws_s3_bucket.access_logs")
    XCTAssertFalse(change.isBreaking)
  }

  func testModuleRenameWithAndWithoutMoved() throws {
    let old = "module \"network\" {\n  source = \"./vpc\"\n}\n"
    let renamed = "module \"vpc\" {\n  source = \"./vpc\"\n}\n"
    XCTAssertEqual(try only(old, renamed).kind, .componentRenamedWithoutMoved)
    let moved = renamed + "moved {\n  from = module.network\n  to = module.vpc\n}\n"
    XCTAssertEqual(try only(old, moved).kind, .componentMoved)
  }

  func testMovedWithInstanceKeysStillCoversTheResource() throws {
    let new = """
      resource "aws_instance" "web" {
        for_each = toset(["a"])
      }
      moved {
        from = aws_instance.server
        to   = aws_instance.web["a"]
      }
      """
    let change = try only("resource \"aws_instance\" \"server\" {}\n", new)
    XCTAssertEqual(change.kind, .componentMoved)
    XCTAssertEqual(change.after, "aws_instance.web[\"a\"]")
  }

  func testMovedIntoANewModuleCallKeepsTheCallAsAdded() {
    let new = """
      module "storage" {
        source = "./storage"
      }
      moved {
        from = aws_s3_bucket.data
        to   = module.storage.aws_s3_bucket.this
      }
      """
    let changes = diff("resource \"aws_s3_bucket\" \"data\" {}\n", new)
    XCTAssertEqual(changes.map(\.kind), [.componentAdded, .componentMoved])
    XCTAssertEqual(changes.map(\.subject), ["module.storage", "aws_s3_bucket.data"])
    XCTAssertFalse(changes.contains(where: \.isBreaking))
  }

  func testMovedBlockInTheOldRevisionOnlyDoesNotCover() throws {
    let old = "resource \"aws_s3_bucket\" \"a\" {}\nmoved {\n  from = aws_s3_bucket.a\n  to = aws_s3_bucket.b\n}\n"
    let change = try only(old, "resource \"aws_s3_bucket\" \"b\" {}\n")
    XCTAssertEqual(change.kind, .componentRenamedWithoutMoved)
  }

  func testMovedToAnUndeclaredAddressDoesNotCover() throws {
    let new = "resource \"aws_s3_bucket\" \"b\" {}\nmoved {\n  from = aws_s3_bucket.a\n  to = aws_s3_bucket.c\n}\n"
    let change = try only("resource \"aws_s3_bucket\" \"a\" {}\n", new)
    XCTAssertEqual(change.kind, .componentRenamedWithoutMoved)
    XCTAssertEqual(change.after, "aws_s3_bucket.b")
  }

  func testDifferentResourceTypesAreNotARename() {
    let changes = diff("resource \"aws_s3_bucket\" \"a\" {}\n", "resource \"aws_sqs_queue\" \"a\" {}\n")
    XCTAssertEqual(changes.map(\.kind), [.componentRemoved, .componentAdded])
    XCTAssertEqual(changes.map(\.subject), ["aws_s3_bucket.a", "aws_sqs_queue.a"])
  }

  func testSeveralRenamesOfOneTypePairInAddressOrder() {
    let changes = diff(
      "resource \"aws_sqs_queue\" \"a\" {}\nresource \"aws_sqs_queue\" \"b\" {}\nresource \"aws_sqs_queue\" \"c\" {}\n",
      "resource \"aws_sqs_queue\" \"x\" {}\nresource \"aws_sqs_queue\" \"y\" {}\n"
    )
    XCTAssertEqual(
      changes.map(\.kind), [.componentRemoved, .componentRenamedWithoutMoved, .componentRenamedWithoutMoved]
    )
    XCTAssertEqual(changes.map(\.subject), ["aws_sqs_queue.c", "aws_sqs_queue.a", "aws_sqs_queue.b"])
    XCTAssertEqual(changes.compactMap(\.after), ["aws_sqs_queue.x", "aws_sqs_queue.y"])
  }

  private func versions(_ constraint: String?) -> String {
    guard let constraint else { return "terraform {}\n" }
    return "terraform {\n  required_version = \"\(constraint)\"\n}\n"
  }

  func testRequiredVersionNarrowedIsBreaking() throws {
    let change = try only(versions(">= 1.3"), versions(">= 1.5.0"))
    XCTAssertEqual(change.kind, .requiredVersionNarrowed)
    XCTAssertEqual(change.subject, "required_version")
    XCTAssertTrue(change.isBreaking)
    XCTAssertEqual(change.before, ">= 1.3")
    XCTAssertEqual(change.after, ">= 1.5.0")
    XCTAssertTrue(change.detail.contains("1.3.0"), change.detail)
  }

  func testRequiredVersionWidenedIsNotBreaking() throws {
    let change = try only(versions("~> 1.5.0"), versions(">= 1.5.0, < 2.0.0"))
    XCTAssertEqual(change.kind, .requiredVersionWidened)
    XCTAssertFalse(change.isBreaking)
  }

  func testRequiredVersionShiftedBothWaysIsChangedAndBreaking() throws {
    let change = try only(versions(">= 1.0, < 1.5"), versions(">= 1.3, < 2.0"))
    XCTAssertEqual(change.kind, .requiredVersionChanged)
    XCTAssertTrue(change.isBreaking)
  }

  func testEquivalentRequiredVersionSpellingsAreNoChange() {
    XCTAssertEqual(diff(versions("~> 1.5"), versions(">= 1.5.0, < 2.0.0")), [])
    XCTAssertEqual(diff(versions(">= 1.2"), versions(">=1.2.0")), [])
  }

  func testRequiredVersionAddedNarrowsAndRemovedWidens() throws {
    XCTAssertEqual(try only(versions(nil), versions(">= 1.5")).kind, .requiredVersionNarrowed)
    XCTAssertEqual(try only(versions(">= 1.5"), versions(nil)).kind, .requiredVersionWidened)
  }

  func testUnparseableRequiredVersionChangeIsBreaking() throws {
    let change = try only(versions(">= 1.5"), versions(">= v1.6"))
    XCTAssertEqual(change.kind, .requiredVersionChanged)
    XCTAssertTrue(change.isBreaking)
    XCTAssertEqual(diff(versions(">= v1.6"), versions(">=  v1.6")), [])
  }

  private func providers(_ entries: String) -> String {
    "terraform {\n  required_providers {\n\(entries)\n  }\n}\n"
  }

  func testProviderAddedIsNotBreakingAndRemovedIsBreaking() {
    let changes = diff(
      providers("aws = { source = \"hashicorp/aws\" }"), providers("random = { source = \"hashicorp/random\" }")
    )
    XCTAssertEqual(changes.map(\.kind), [.providerRemoved, .providerAdded])
    XCTAssertEqual(changes.map(\.subject), ["aws", "random"])
    XCTAssertEqual(changes.map(\.isBreaking), [true, false])
    XCTAssertEqual(changes.map(\.before), ["hashicorp/aws", nil])
    XCTAssertEqual(changes.map(\.after), [nil, "hashicorp/random"])
  }

  func testProviderConstraintNarrowedIsBreaking() throws {
    let change = try only(
      providers("aws = { source = \"hashicorp/aws\", version = \">= 4.0\" }"),
      providers("aws = { source = \"hashicorp/aws\", version = \">= 5.0\" }")
    )
    XCTAssertEqual(change.kind, .providerConstraintNarrowed)
    XCTAssertEqual(change.subject, "aws")
    XCTAssertTrue(change.isBreaking)
    XCTAssertEqual(change.before, ">= 4.0")
    XCTAssertEqual(change.after, ">= 5.0")
  }

  func testProviderConstraintWidenedIsNotBreaking() throws {
    let change = try only(providers("random = \"~> 3.1.0\""), providers("random = \"~> 3.1\""))
    XCTAssertEqual(change.kind, .providerConstraintWidened)
    XCTAssertFalse(change.isBreaking)
  }

  func testProviderConstraintMovedBothWaysIsChangedAndBreaking() throws {
    let change = try only(providers("aws = { version = \"~> 4.0\" }"), providers("aws = { version = \"~> 5.0\" }"))
    XCTAssertEqual(change.kind, .providerConstraintChanged)
    XCTAssertTrue(change.isBreaking)
  }

  func testProviderConstraintOutsideTheProbeGridUsesNamedVersions() throws {
    let change = try only(providers("aws = \">= 5.40.0\""), providers("aws = \">= 5.40.0, != 5.41.3\""))
    XCTAssertEqual(change.kind, .providerConstraintNarrowed)
    XCTAssertTrue(change.detail.contains("5.41.3"), change.detail)
  }

  func testLegacyAndObjectFormsWithTheSameMeaningAreNoChange() {
    XCTAssertEqual(
      diff(
        providers("aws = \"~> 5.0\""),
        providers("aws = { source = \"registry.terraform.io/hashicorp/aws\", version = \"~> 5.0\" }")),
      []
    )
  }

  func testUnparseableProviderConstraintChangeIsBreaking() throws {
    let change = try only(providers("aws = \"~> 5.0\""), providers("aws = \"5.x\""))
    XCTAssertEqual(change.kind, .providerConstraintChanged)
    XCTAssertTrue(change.isBreaking)
  }

  func testProviderSourceChangeIsRemovalPlusAddition() {
    let changes = diff(
      providers("kubectl = { source = \"gavinbunney/kubectl\" }"), providers("kubectl = { source = \"alekc/kubectl\" }")
    )
    XCTAssertEqual(changes.map(\.kind), [.providerRemoved, .providerAdded])
    XCTAssertEqual(changes.map(\.isBreaking), [true, false])
    XCTAssertEqual(changes.first?.before, "gavinbunney/kubectl")
    XCTAssertEqual(changes.last?.after, "alekc/kubectl")
  }

  func testChangesAreSortedBreakingFirstThenByKindAndSubject() {
    let old = """
      variable "b" {}
      variable "a" {}
      output "gone" {
        value = 1
      }
      resource "aws_sqs_queue" "q" {}
      """
    let new = """
      variable "z" {
        default = 1
      }
      variable "y" {}
      output "new" {
        value = 1
      }
      resource "aws_sqs_queue" "q" {}
      resource "aws_sns_topic" "t" {}
      """
    let changes = diff(old, new)
    XCTAssertEqual(
      changes.map(\.kind),
      [
        .variableAddedWithoutDefault, .variableRemoved, .variableRemoved, .outputRemoved, .variableAdded, .outputAdded,
        .componentAdded,
      ]
    )
    XCTAssertEqual(changes.map(\.subject), ["y", "a", "b", "gone", "z", "new", "aws_sns_topic.t"])
  }

  func testEveryKindCarriesTheDesignedBreakingFlag() {
    let old = """
      terraform {
        required_version = ">= 1.0, < 1.5"
        required_providers {
          gone   = { source = "hashicorp/gone" }
          narrow = { source = "hashicorp/narrow", version = ">= 1.0" }
          widen  = { source = "hashicorp/widen", version = "~> 1.0.0" }
          shift  = { source = "hashicorp/shift", version = "~> 1.0" }
        }
      }
      variable "removed" {}
      variable "retyped" { type = string }
      variable "loses_default" { default = 1 }
      variable "new_default" { default = 1 }
      variable "turn_off" {}
      variable "turn_on" { nullable = false }
      output "removed" { value = 1 }
      resource "aws_sqs_queue" "removed" {}
      resource "aws_sns_topic" "renamed" {}
      resource "aws_s3_bucket" "moved" {}
      """
    let new = """
      terraform {
        required_version = ">= 1.3, < 2.0"
        required_providers {
          added  = { source = "hashicorp/added" }
          narrow = { source = "hashicorp/narrow", version = ">= 2.0" }
          widen  = { source = "hashicorp/widen", version = "~> 1.0" }
          shift  = { source = "hashicorp/shift", version = "~> 2.0" }
        }
      }
      variable "added" { default = 1 }
      variable "required" {}
      variable "retyped" { type = number }
      variable "loses_default" {}
      variable "new_default" { default = 2 }
      variable "turn_off" { nullable = false }
      variable "turn_on" {}
      output "added" { value = 1 }
      resource "aws_lambda_function" "added" {}
      resource "aws_sns_topic" "renamed_to" {}
      resource "aws_s3_bucket" "moved_to" {}
      moved {
        from = aws_s3_bucket.moved
        to   = aws_s3_bucket.moved_to
      }
      """
    let changes = diff(old, new)
    let flags = Dictionary(changes.map { ($0.kind, $0.isBreaking) }, uniquingKeysWith: { first, _ in first })
    let expected: [InterfaceChange.Kind: Bool] = [
      .variableAdded: false, .variableAddedWithoutDefault: true, .variableRemoved: true, .variableTypeChanged: true,
      .variableDefaultRemoved: true, .variableDefaultChanged: false, .variableNullableTurnedOff: true,
      .variableNullableTurnedOn: false, .outputAdded: false, .outputRemoved: true, .componentAdded: false,
      .componentRemoved: true, .componentRenamedWithoutMoved: true, .componentMoved: false,
      .requiredVersionNarrowed: true, .requiredVersionWidened: false, .requiredVersionChanged: true,
      .providerAdded: false, .providerRemoved: true, .providerConstraintNarrowed: true,
      .providerConstraintWidened: false, .providerConstraintChanged: true,
    ]
    // required_version can only change one way per diff, so the other two kinds are checked separately.
    XCTAssertEqual(changes.count, 20, "\(changes.map { "\($0.kind) \($0.subject)" })")
    for (kind, breaking) in flags { XCTAssertEqual(expected[kind], breaking, "\(kind)") }
    XCTAssertEqual(
      Set(flags.keys), Set(expected.keys).subtracting([.requiredVersionNarrowed, .requiredVersionWidened]))
    let firstHarmless = changes.firstIndex { !$0.isBreaking } ?? changes.count
    XCTAssertTrue(changes[firstHarmless...].allSatisfy { !$0.isBreaking })
  }
}
