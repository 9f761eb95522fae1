import Formats
import XCTest

final class HCLTerraformTests: XCTestCase {
  private func parse(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> HCLBody {
    do {
      return try HCLParser.parse(source)
    } catch {
      XCTFail("unexpected syntax error \(error)", file: file, line: line)
      throw error
    }
  }

  private func render(_ e: HCLExpression?) -> String? { e.map(HCLTestRenderer.render) }

  func testModuleBlocks() throws {
    let body = try parse(
      """
      module "vpc" {
        source  = "terraform-aws-modules/vpc/aws"
        version = "5.1.2"

        name = "my-vpc"
        cidr = "10.0.0.0/16"

        azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
        private_subnets = [for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)]

        enable_nat_gateway = true
        tags = {
          Terraform   = "true"
          Environment = var.environment
        }
      }

      module "local" {
        source = "./modules/local"
        count  = var.enabled ? 1 : 0
        providers = {
          aws = aws.replica
        }
        depends_on = [module.vpc]
      }
      """)
    let modules = body.blocks(ofType: "module")
    XCTAssertEqual(modules.map(\.labelValues), [["vpc"], ["local"]])
    let vpc = modules[0].body
    XCTAssertEqual(vpc.attribute(named: "source")?.expression.stringValue, "terraform-aws-modules/vpc/aws")
    XCTAssertEqual(vpc.attribute(named: "version")?.expression.stringValue, "5.1.2")
    XCTAssertEqual(vpc.attribute(named: "source")?.range.start, HCLPosition(line: 2, column: 3, byte: 17))
    XCTAssertEqual(
      render(vpc.attribute(named: "private_subnets")?.expression),
      #"[for i in range(3): cidrsubnet("10.0.0.0/16", 8, i)]"#)
    XCTAssertEqual(
      render(vpc.attribute(named: "tags")?.expression), #"{Terraform="true", Environment=var.environment}"#)
    XCTAssertEqual(modules[1].body.attribute(named: "source")?.expression.stringValue, "./modules/local")
    XCTAssertNil(modules[1].body.attribute(named: "version"))
    XCTAssertEqual(render(modules[1].body.attribute(named: "depends_on")?.expression), "[module.vpc]")
  }

  func testVariableBlocksWithComplexTypesAndValidation() throws {
    let body = try parse(
      """
      variable "services" {
        description = "Per-service settings"
        type = map(object({
          instance_type = string
          min_size      = number
          tags          = optional(map(string), {})
        }))
        default = {
          web = {
            instance_type = "t3.micro"
            min_size      = 1
          }
        }
        sensitive = false
        nullable  = true

        validation {
          condition     = alltrue([for k, v in var.services : v.min_size >= 0])
          error_message = "min_size must be non-negative."
        }

        validation {
          condition = (
            length(var.services) > 0 &&
            length(var.services) < 10
          )
          error_message = <<-EOT
            Between 1 and 9 services
            are supported.
          EOT
        }
      }
      """)
    let variable = body.blocks(ofType: "variable")[0]
    XCTAssertEqual(variable.labelValues, ["services"])
    XCTAssertEqual(
      render(variable.body.attribute(named: "type")?.expression),
      #"map(object({instance_type=string, min_size=number, tags=optional(map(string), {})}))"#)
    XCTAssertEqual(
      render(variable.body.attribute(named: "default")?.expression), #"{web={instance_type="t3.micro", min_size=1}}"#)
    let validations = variable.body.blocks(ofType: "validation")
    XCTAssertEqual(validations.count, 2)
    XCTAssertEqual(
      render(validations[0].body.attribute(named: "condition")?.expression),
      "alltrue([for k, v in var.services: (v.min_size >= 0)])")
    XCTAssertEqual(
      validations[0].body.attribute(named: "error_message")?.expression.stringValue, "min_size must be non-negative.")
    XCTAssertEqual(
      validations[1].body.attribute(named: "error_message")?.expression.stringValue,
      "Between 1 and 9 services\nare supported.\n")
  }

  func testTerraformSettingsBlock() throws {
    let body = try parse(
      """
      terraform {
        required_version = ">= 1.5.0"

        required_providers {
          aws = {
            source  = "hashicorp/aws"
            version = "~> 5.0"
          }
          random = { source = "hashicorp/random", version = ">= 3.1" }
        }

        backend "s3" {
          bucket = "state-bucket"
          key    = "prod/terraform.tfstate"
        }
      }
      """)
    let terraform = body.blocks(ofType: "terraform")[0].body
    XCTAssertEqual(terraform.attribute(named: "required_version")?.expression.stringValue, ">= 1.5.0")
    let providers = terraform.blocks(ofType: "required_providers")[0].body
    guard case .object(let aws) = providers.attribute(named: "aws")?.expression.kind else { return XCTFail() }
    XCTAssertEqual(aws.map(\.keyName), ["source", "version"])
    XCTAssertEqual(aws.map(\.value.stringValue), ["hashicorp/aws", "~> 5.0"])
    guard case .object(let random) = providers.attribute(named: "random")?.expression.kind else { return XCTFail() }
    XCTAssertEqual(random.first(where: { $0.keyName == "version" })?.value.stringValue, ">= 3.1")
    XCTAssertEqual(terraform.blocks(ofType: "backend")[0].labelValues, ["s3"])
  }

  func testMovedImportAndRemovedBlocks() throws {
    let body = try parse(
      """
      moved {
        from = aws_instance.old
        to   = module.compute.aws_instance.new["primary"]
      }
      import {
        to = aws_s3_bucket.logs
        id = "logs-bucket"
      }
      """)
    let moved = body.blocks(ofType: "moved")[0].body
    XCTAssertEqual(moved.attribute(named: "from")?.expression.traversal?.attributePath, ["aws_instance", "old"])
    XCTAssertEqual(render(moved.attribute(named: "to")?.expression), #"module.compute.aws_instance.new["primary"]"#)
    XCTAssertEqual(body.blocks(ofType: "import")[0].body.attribute(named: "id")?.expression.stringValue, "logs-bucket")
  }

  func testResourcesWithDynamicBlocksLifecycleAndOutputs() throws {
    let body = try parse(
      """
      resource "aws_security_group" "this" {
        name   = "${local.name}-sg"
        vpc_id = module.vpc.vpc_id

        dynamic "ingress" {
          for_each = { for r in var.rules : r.name => r }
          content {
            from_port   = ingress.value.port
            cidr_blocks = ingress.value.cidrs
          }
        }

        lifecycle {
          create_before_destroy = true
          ignore_changes        = [tags["LastModified"], description]
          precondition {
            condition     = var.rules != null
            error_message = "Rules required."
          }
        }
      }

      output "ids" {
        description = "All IDs"
        value       = aws_instance.web[*].id
        sensitive   = true
      }

      output "ips" {
        value = { for idx, inst in aws_instance.web : inst.id => inst.private_ip... if inst.private_ip != "" }
      }
      """)
    let sg = body.blocks(ofType: "resource")[0]
    XCTAssertEqual(sg.labelValues, ["aws_security_group", "this"])
    XCTAssertEqual(render(sg.body.attribute(named: "name")?.expression), #"tmpl(${local.name} "-sg")"#)
    let dynamic = sg.body.blocks(ofType: "dynamic")[0]
    XCTAssertEqual(dynamic.labelValues, ["ingress"])
    XCTAssertEqual(render(dynamic.body.attribute(named: "for_each")?.expression), "{for r in var.rules: r.name => r}")
    XCTAssertEqual(dynamic.body.blocks(ofType: "content")[0].body.attributes.map(\.name), ["from_port", "cidr_blocks"])
    let lifecycle = sg.body.blocks(ofType: "lifecycle")[0].body
    XCTAssertEqual(
      render(lifecycle.attribute(named: "ignore_changes")?.expression), #"[tags["LastModified"], description]"#)
    XCTAssertEqual(lifecycle.blocks(ofType: "precondition").count, 1)
    let outputs = body.blocks(ofType: "output")
    XCTAssertEqual(render(outputs[0].body.attribute(named: "value")?.expression), "splat(aws_instance.web[*].id)")
    XCTAssertEqual(outputs[0].body.attribute(named: "sensitive")?.expression.literalValue, .bool(true))
    XCTAssertEqual(
      render(outputs[1].body.attribute(named: "value")?.expression),
      #"{for idx, inst in aws_instance.web: inst.id => inst.private_ip... if (inst.private_ip != "")}"#)
  }

  func testLocalsAndProviderBlocks() throws {
    let body = try parse(
      """
      provider "aws" {
        region = var.region
        alias  = "replica"
        default_tags {
          tags = local.common_tags
        }
      }

      locals {
        name        = "svc-${var.environment}"
        common_tags = merge(var.tags, { ManagedBy = "terraform" })
        by_az       = { for s in data.aws_subnet.private : s.availability_zone => s.id... }
        enabled     = { for k, v in var.services : k => v if try(v.enabled, true) }
        first       = try(var.list[0], null)
        flat        = flatten([for s in var.services : [for p in s.ports : "${s.name}:${p}"]])
      }
      """)
    XCTAssertEqual(body.blocks(ofType: "provider")[0].body.attribute(named: "alias")?.expression.stringValue, "replica")
    let locals = body.blocks(ofType: "locals")[0].body
    XCTAssertEqual(locals.attributes.map(\.name), ["name", "common_tags", "by_az", "enabled", "first", "flat"])
    XCTAssertEqual(
      render(locals.attribute(named: "by_az")?.expression),
      "{for s in data.aws_subnet.private: s.availability_zone => s.id...}")
    XCTAssertEqual(
      render(locals.attribute(named: "flat")?.expression),
      #"flatten([for s in var.services: [for p in s.ports: tmpl(${s.name} ":" ${p})]])"#)
  }

  func testTerragruntConfiguration() throws {
    let body = try parse(
      """
      include "root" {
        path   = find_in_parent_folders()
        expose = true
      }

      include "envcommon" {
        path = "${dirname(find_in_parent_folders())}/_envcommon/vpc.hcl"
      }

      locals {
        account_vars = read_terragrunt_config(find_in_parent_folders("account.hcl"))
        account_id   = local.account_vars.locals.aws_account_id
        env          = basename(get_terragrunt_dir())
      }

      terraform {
        source = "tfr:///terraform-aws-modules/vpc/aws?version=5.1.2"

        extra_arguments "retry" {
          commands  = get_terraform_commands_that_need_locking()
          arguments = ["-lock-timeout=20m"]
        }
      }

      dependency "network" {
        config_path = "../network"
        mock_outputs = {
          vpc_id = "vpc-000000"
        }
        mock_outputs_allowed_terraform_commands = ["validate", "plan"]
      }

      inputs = merge(
        local.account_vars.locals,
        {
          vpc_id = dependency.network.outputs.vpc_id
          name   = "app-${local.env}"
        }
      )
      """)
    let includes = body.blocks(ofType: "include")
    XCTAssertEqual(includes.map(\.labelValues), [["root"], ["envcommon"]])
    XCTAssertEqual(render(includes[0].body.attribute(named: "path")?.expression), "find_in_parent_folders()")
    XCTAssertEqual(
      render(includes[1].body.attribute(named: "path")?.expression),
      #"tmpl(${dirname(find_in_parent_folders())} "/_envcommon/vpc.hcl")"#)
    let terraform = body.blocks(ofType: "terraform")[0].body
    XCTAssertEqual(
      terraform.attribute(named: "source")?.expression.stringValue, "tfr:///terraform-aws-modules/vpc/aws?version=5.1.2"
    )
    XCTAssertEqual(terraform.blocks(ofType: "extra_arguments")[0].labelValues, ["retry"])
    XCTAssertEqual(
      body.blocks(ofType: "locals")[0].body.attribute(named: "account_id")?.expression.traversal?.attributePath,
      ["local", "account_vars", "locals", "aws_account_id"])
    XCTAssertEqual(
      body.blocks(ofType: "dependency")[0].body.attribute(named: "config_path")?.expression.stringValue, "../network")
    guard case .functionCall(let merge) = body.attribute(named: "inputs")?.expression.kind else { return XCTFail() }
    XCTAssertEqual(merge.arguments.count, 2)
    XCTAssertEqual(body.attribute(named: "inputs")?.range.end.line, 39)
  }

  func testHeredocsInResources() throws {
    let body = try parse(
      """
      resource "aws_iam_policy" "p" {
        policy = <<-EOT
          {
            "Statement": [{"Resource": "arn:aws:s3:::${var.bucket}/*"}]
          }
        EOT
      }

      resource "null_resource" "n" {
        provisioner "local-exec" {
          command = <<EOF
      echo "%{ for h in var.hosts }${h} %{ endfor }"
      EOF
        }
      }
      """)
    let policy = body.blocks[0].body.attribute(named: "policy")!.expression
    XCTAssertEqual(
      HCLTestRenderer.render(policy),
      #"heredoc-EOT("{\n  \"Statement\": [{\"Resource\": \"arn:aws:s3:::" ${var.bucket} "/*\"}]\n}\n")"#)
    let command = body.blocks[1].body.blocks[0].body.attribute(named: "command")!.expression
    XCTAssertEqual(HCLTestRenderer.render(command), #"heredocEOF("echo \"" %for(h in var.hosts; ${h} " ") "\"\n")"#)
    XCTAssertEqual(body.blocks[1].body.blocks[0].labelValues, ["local-exec"])
  }

  func testObjectSeparatorsTemplateKeysAndMultilineForValues() throws {
    let body = try parse(
      """
      module "endpoints" {
        gateways = {
          one = {
            asn = 65112
          },
          two = {
            asn = 65113
          }
          three = { asn = 2147483648 }
        }
        tags_per_az = { "${local.region}a" = { PerAZ = "private-a" } }
        subnet_configurations = [
          for v in module.vpc.private_subnet_objects :
          {
            ipv4      = cidrhost(v.cidr_block, 10)
            subnet_id = v.id
          }
        ]
        route_table_ids = flatten([module.vpc.intra_route_table_ids, module.vpc.private_route_table_ids])
        az = local.azs[0]
      }
      """)
    let module = body.blocks[0].body
    guard case .object(let gateways) = module.attribute(named: "gateways")?.expression.kind else { return XCTFail() }
    XCTAssertEqual(gateways.map(\.keyName), ["one", "two", "three"])
    guard case .object(let perAZ) = module.attribute(named: "tags_per_az")?.expression.kind else { return XCTFail() }
    XCTAssertNil(perAZ[0].keyName)
    XCTAssertEqual(HCLTestRenderer.render(perAZ[0].key), #"tmpl(${local.region} "a")"#)
    XCTAssertEqual(
      render(module.attribute(named: "subnet_configurations")?.expression),
      "[for v in module.vpc.private_subnet_objects: {ipv4=cidrhost(v.cidr_block, 10), subnet_id=v.id}]")
    XCTAssertEqual(render(module.attribute(named: "az")?.expression), "local.azs[0]")
  }
}
