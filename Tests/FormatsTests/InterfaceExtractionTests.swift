import Formats
import XCTest

final class InterfaceExtractionTests: XCTestCase {
  private let variablesTF = """
    # Inputs of the bucket module.
    variable "name" {
      description = "Bucket name"
      type        = string
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }

    variable "rules" {
      description = "Lifecycle rules"
      type = map(object({
        prefix  = string # where it applies
        enabled = optional(bool, true)
        days    = number
      }))
      default = {
        logs = { prefix = "logs/", days = 30 }
      }

      validation {
        condition     = alltrue([for r in values(var.rules) : r.days > 0])
        error_message = "Every rule needs a positive number of days."
      }
    }

    variable "kms_key_arn" {
      type      = string
      default   = null
      sensitive = true
    }

    variable "replicas" {
      type     = number
      default  = 1
      nullable = false
    }

    variable "anything" {}
    """

  private func variables() -> [String: ModuleInterface.Variable] {
    ModuleInterface.extract(files: ["variables.tf": variablesTF]).variables
  }

  func testExtractsEveryVariableByName() {
    XCTAssertEqual(Set(variables().keys), ["name", "tags", "rules", "kms_key_arn", "replicas", "anything"])
  }

  func testRequiredVariableHasNoDefault() throws {
    let name = try XCTUnwrap(variables()["name"])
    XCTAssertEqual(name.type, "string")
    XCTAssertNil(name.defaultValue)
    XCTAssertFalse(name.hasDefault)
    XCTAssertTrue(name.nullable)
    XCTAssertFalse(name.sensitive)
    XCTAssertEqual(name.file, "variables.tf")
    XCTAssertEqual(name.line, 2)
  }

  func testComplexTypeAndDefaultAreNormalisedAndValidationIgnored() throws {
    let rules = try XCTUnwrap(variables()["rules"])
    XCTAssertEqual(rules.type, "map(object({prefix=string,enabled=optional(bool,true),days=number}))")
    XCTAssertEqual(rules.defaultValue, "{logs={prefix=\"logs/\",days=30}}")
    XCTAssertTrue(rules.hasDefault)
    XCTAssertEqual(rules.line, 12)
  }

  func testSpecExampleTypeNormalisation() throws {
    let source = "variable \"m\" {\n  type = map(object({ a = string }))\n}\n"
    let variable = try XCTUnwrap(ModuleInterface.extract(files: ["v.tf": source]).variables["m"])
    XCTAssertEqual(variable.type, "map(object({a=string}))")
  }

  func testNullDefaultCountsAsDefaultAndSensitiveIsRead() throws {
    let key = try XCTUnwrap(variables()["kms_key_arn"])
    XCTAssertTrue(key.hasDefault)
    XCTAssertEqual(key.defaultValue, "null")
    XCTAssertTrue(key.sensitive)
    XCTAssertTrue(key.nullable)
  }

  func testNullableFalseAndEmptyMapDefault() throws {
    let replicas = try XCTUnwrap(variables()["replicas"])
    XCTAssertFalse(replicas.nullable)
    XCTAssertEqual(replicas.defaultValue, "1")
    XCTAssertEqual(variables()["tags"]?.defaultValue, "{}")
    XCTAssertEqual(variables()["tags"]?.type, "map(string)")
  }

  func testUntypedVariableHasNilType() throws {
    let anything = try XCTUnwrap(variables()["anything"])
    XCTAssertNil(anything.type)
    XCTAssertFalse(anything.hasDefault)
  }

  func testObjectTypeWithCommasOrNewlinesRendersTheSame() {
    let commas = "variable \"o\" {\n  type = object({ a = string, b = list(number) })\n}\n"
    let newlines = "variable \"o\" {\n  type = object({\n    a = string\n    b = list(\n      number\n    )\n  })\n}\n"
    let first = ModuleInterface.extract(files: ["a.tf": commas]).variables["o"]?.type
    let second = ModuleInterface.extract(files: ["a.tf": newlines]).variables["o"]?.type
    XCTAssertEqual(first, "object({a=string,b=list(number)})")
    XCTAssertEqual(first, second)
  }

  func testHeredocAndTemplateDefaultsRenderAsQuotedText() {
    let source = """
      variable "policy" {
        default = <<-EOT
          line one
          line two
        EOT
      }
      variable "greeting" {
        default = "hello ${var.name}!"
      }
      """
    let interface = ModuleInterface.extract(files: ["v.tf": source])
    XCTAssertEqual(interface.variables["policy"]?.defaultValue, "\"line one\\nline two\\n\"")
    XCTAssertEqual(interface.variables["greeting"]?.defaultValue, "\"hello ${var.name}!\"")
  }

  func testOutputsWithSensitivity() throws {
    let source = """
      output "bucket_arn" {
        value = aws_s3_bucket.this.arn
      }

      output "secret" {
        value     = random_password.p.result
        sensitive = true
      }
      """
    let outputs = ModuleInterface.extract(files: ["outputs.tf": source]).outputs
    XCTAssertEqual(Set(outputs.keys), ["bucket_arn", "secret"])
    let arn = try XCTUnwrap(outputs["bucket_arn"])
    XCTAssertFalse(arn.sensitive)
    XCTAssertEqual(arn.line, 1)
    XCTAssertEqual(arn.file, "outputs.tf")
    XCTAssertEqual(outputs["secret"]?.sensitive, true)
    XCTAssertEqual(outputs["secret"]?.line, 5)
  }

  func testRequiredProvidersBothFormsAndRequiredVersion() throws {
    let source = """
      terraform {
        required_version = ">= 1.5.0, < 2.0.0"

        required_providers {
          aws = {
            source  = "hashicorp/aws"
            version = "~> 5.0"
          }
          random = "~> 3.1"
          tls = {
            source = "hashicorp/tls"
          }
        }
      }
      """
    let interface = ModuleInterface.extract(files: ["versions.tf": source])
    XCTAssertEqual(interface.requiredVersion, ">= 1.5.0, < 2.0.0")
    XCTAssertEqual(Set(interface.providers.keys), ["aws", "random", "tls"])
    let aws = try XCTUnwrap(interface.providers["aws"])
    XCTAssertEqual(aws.localName, "aws")
    XCTAssertEqual(aws.source, "hashicorp/aws")
    XCTAssertEqual(aws.constraint, "~> 5.0")
    XCTAssertEqual(aws.file, "versions.tf")
    XCTAssertEqual(aws.line, 5)
    XCTAssertNil(interface.providers["random"]?.source)
    XCTAssertEqual(interface.providers["random"]?.constraint, "~> 3.1")
    XCTAssertEqual(interface.providers["tls"]?.source, "hashicorp/tls")
    XCTAssertNil(interface.providers["tls"]?.constraint)
  }

  func testResourcesAndModuleCallsButNotDataSources() throws {
    let source = """
      data "aws_iam_policy_document" "assume" {
        statement {
          actions = ["sts:AssumeRole"]
        }
      }

      resource "aws_s3_bucket" "this" {
        bucket = var.name
      }

      resource "aws_s3_bucket_object" "files" {
        for_each = var.files
        bucket   = aws_s3_bucket.this.id
        key      = each.key
      }

      resource "aws_iam_role" "replica" {
        count = var.replicas
        name  = "replica-${count.index}"
      }

      module "vpc" {
        source  = "terraform-aws-modules/vpc/aws"
        version = "5.1.0"
      }

      locals {
        name = "x"
      }

      provider "aws" {
        region = "eu-west-1"
      }

      ephemeral "random_password" "p" {
        length = 16
      }
      """
    let components = ModuleInterface.extract(files: ["main.tf": source]).components
    XCTAssertEqual(
      Set(components.keys), ["aws_s3_bucket.this", "aws_s3_bucket_object.files", "aws_iam_role.replica", "module.vpc"]
    )
    let bucket = try XCTUnwrap(components["aws_s3_bucket.this"])
    XCTAssertEqual(bucket.kind, .resource)
    XCTAssertEqual(bucket.address, "aws_s3_bucket.this")
    XCTAssertEqual(bucket.line, 7)
    XCTAssertEqual(components["module.vpc"]?.kind, .module)
    XCTAssertEqual(components["module.vpc"]?.line, 22)
  }

  func testMovedBlocksKeepAddressesWithoutWhitespace() {
    let source = """
      moved {
        from = aws_s3_bucket.old
        to   = aws_s3_bucket.this
      }

      moved {
        from = module.network [ "eu" ]
        to   = module.vpc["eu"]
      }

      moved {
        from = aws_instance.web
      }
      """
    let moved = ModuleInterface.extract(files: ["moved.tf": source]).moved
    XCTAssertEqual(moved.map(\.from), ["aws_s3_bucket.old", "module.network[\"eu\"]"])
    XCTAssertEqual(moved.map(\.to), ["aws_s3_bucket.this", "module.vpc[\"eu\"]"])
  }

  func testMultipleFilesAreMergedWithTheirPaths() {
    let files = [
      "main.tf": "resource \"aws_sqs_queue\" \"q\" {\n  name = var.name\n}\n",
      "variables.tf": "\n\nvariable \"name\" {\n  type = string\n}\n",
      "outputs.tf": "output \"url\" {\n  value = aws_sqs_queue.q.url\n}\n",
      "versions.tf": "terraform {\n  required_version = \">= 1.3\"\n}\n",
    ]
    let interface = ModuleInterface.extract(files: files)
    XCTAssertEqual(interface.variables["name"]?.file, "variables.tf")
    XCTAssertEqual(interface.variables["name"]?.line, 3)
    XCTAssertEqual(interface.outputs["url"]?.file, "outputs.tf")
    XCTAssertEqual(interface.components["aws_sqs_queue.q"]?.file, "main.tf")
    XCTAssertEqual(interface.requiredVersion, ">= 1.3")
    XCTAssertTrue(interface.errors.isEmpty)
  }

  func testSyntaxErrorInOneFileStillExtractsTheOthers() throws {
    let files = [
      "broken.tf": "variable \"lost\" {\n  type = string\n\noutput \"x\" {\n",
      "ok.tf": "variable \"kept\" {\n  default = 1\n}\noutput \"o\" {\n  value = 1\n}\n",
    ]
    let interface = ModuleInterface.extract(files: files)
    XCTAssertEqual(Set(interface.variables.keys), ["kept"])
    XCTAssertEqual(Set(interface.outputs.keys), ["o"])
    XCTAssertEqual(interface.errors.count, 1)
    let error = try XCTUnwrap(interface.errors.first)
    XCTAssertEqual(error.file, "broken.tf")
    XCTAssertNotNil(error.line)
    XCTAssertNotNil(error.column)
    XCTAssertFalse(error.message.isEmpty)
  }

  func testErrorPositionPointsAtTheProblem() throws {
    let interface = ModuleInterface.extract(files: [
      "bad.tf": "variable \"a\" {}\nvariable \"b\" {\n  type = = string\n}\n"
    ])
    let error = try XCTUnwrap(interface.errors.first)
    XCTAssertEqual(error.line, 3)
    XCTAssertEqual(error.column, 10)
    XCTAssertTrue(interface.variables.isEmpty)
  }

  func testOverrideFilesReplaceArgumentsButDeclareNothingNew() {
    let files = [
      "variables.tf": "variable \"size\" {\n  type = number\n  default = 1\n}\n",
      "override.tf": "variable \"size\" {\n  default = 3\n}\nvariable \"ghost\" {}\n",
      "versions_override.tf": "terraform {\n  required_version = \">= 1.6\"\n}\n",
      "versions.tf": "terraform {\n  required_version = \">= 1.3\"\n}\n",
    ]
    let interface = ModuleInterface.extract(files: files)
    XCTAssertEqual(interface.variables["size"]?.defaultValue, "3")
    XCTAssertEqual(interface.variables["size"]?.type, "number")
    XCTAssertEqual(interface.variables["size"]?.file, "variables.tf")
    XCTAssertNil(interface.variables["ghost"])
    XCTAssertEqual(interface.requiredVersion, ">= 1.6")
  }

  func testFirstDeclarationInPathOrderWinsForDuplicates() {
    let files = [
      "b.tf": "variable \"x\" {\n  default = \"b\"\n}\n",
      "a.tf": "variable \"x\" {\n  default = \"a\"\n}\n",
    ]
    let interface = ModuleInterface.extract(files: files)
    XCTAssertEqual(interface.variables["x"]?.defaultValue, "\"a\"")
    XCTAssertEqual(interface.variables["x"]?.file, "a.tf")
  }

  func testEscapesSurviveRendering() {
    let source = #"""
      variable "message" {
        default = "say \"hi\"\t$${literal} %%{raw}"
      }
      """#
    let interface = ModuleInterface.extract(files: ["v.tf": source])
    XCTAssertEqual(interface.variables["message"]?.defaultValue, #""say \"hi\"\t$${literal} %%{raw}""#)
  }

  func testEmptyModuleHasAnEmptyInterface() {
    let interface = ModuleInterface.extract(files: [:])
    XCTAssertTrue(interface.variables.isEmpty)
    XCTAssertTrue(interface.outputs.isEmpty)
    XCTAssertTrue(interface.providers.isEmpty)
    XCTAssertTrue(interface.components.isEmpty)
    XCTAssertTrue(interface.moved.isEmpty)
    XCTAssertTrue(interface.errors.isEmpty)
    XCTAssertNil(interface.requiredVersion)
  }
}
