#!/usr/bin/env python3
"""Writes a deterministic corpus of real-world-shaped Terraform files for the HCL differential
check and the throughput benchmark: modules with every source form, constraints, nested blocks,
locals with for expressions, heredocs, dynamic blocks, validations and comments of every kind.

Usage: hcl-corpus.py OUTDIR [--files N] [--seed S]"""
import argparse, os, random

p = argparse.ArgumentParser()
p.add_argument("outdir")
p.add_argument("--files", type=int, default=400)
p.add_argument("--seed", type=int, default=7)
a = p.parse_args()
rnd = random.Random(a.seed)

SOURCES = [
    ('"terraform-aws-modules/vpc/aws"', ['"~> 5.1"', '"5.1.2"', '">= 4.0, < 6.0"', None]),
    ('"app.terraform.io/acme/network/aws"', ['"2.1.0"', '"~> 2.1"']),
    ('"git::https://git.acme.test/platform/tf-modules.git//rds?ref=v3.2.0"', [None]),
    ('"git::ssh://git@git.acme.test/platform/modules.git//net?ref=main&depth=1"', [None]),
    ('"git@github.com:acme/modules.git//s3"', [None]),
    ('"github.com/acme/terraform-modules//s3-bucket?ref=tags/0.4.0"', [None]),
    ('"bitbucket.org/hashicorp/terraform-consul-aws"', [None]),
    ('"s3::https://s3-eu-west-1.amazonaws.com/examplecorp-terraform-modules/vpc.zip"', [None]),
    ('"./modules/app"', [None]),
    ('"../shared/network"', [None]),
]

def comment():
    return rnd.choice(["# a comment", "// another comment", "/* block\n   comment */", ""])

def module(i):
    src, versions = rnd.choice(SOURCES)
    v = rnd.choice(versions)
    lines = [comment(), f'module "m{i}" {{', f'  source = {src}']
    if v: lines.append(f'  version = {v}')
    lines += [
        f'  name   = "svc-{i}-${{var.environment}}"',
        '  cidr   = cidrsubnet(var.cidr, 8, %d)' % (i % 200),
        '  azs    = [for az in data.aws_availability_zones.all.names : az if az != "us-east-1e"]',
        '  tags   = merge(local.tags, { Name = "m%d", "kubernetes.io/role" = "shared" })' % i,
        '  enabled = var.create && length(var.subnets) > 0 ? true : false',
        '  ids     = aws_subnet.private[*].id',
        '  providers = {',
        '    aws = aws.eu',
        '  }',
        '}',
        '',
    ]
    return "\n".join(l for l in lines if l is not None)

def extras(i):
    return "\n".join([
        'variable "settings_%d" {' % i,
        '  type = map(object({',
        '    size    = number',
        '    enabled = optional(bool, true)',
        '  }))',
        '  default = {}',
        '  validation {',
        '    condition     = alltrue([for k, v in var.settings_%d : v.size > 0])' % i,
        '    error_message = "Sizes must be positive: ${join(", ", keys(var.settings_%d))}."' % i,
        '  }',
        '}',
        '',
        'resource "aws_security_group" "sg_%d" {' % i,
        '  name = "sg-%d"' % i,
        '  dynamic "ingress" {',
        '    for_each = { for idx, port in var.ports : idx => port }',
        '    content {',
        '      from_port = ingress.value',
        '      to_port   = ingress.value',
        '      protocol  = "tcp"',
        '    }',
        '  }',
        '  lifecycle {',
        '    ignore_changes = [tags["Owner"]]',
        '  }',
        '}',
        '',
        'locals {',
        '  policy_%d = <<-EOT' % i,
        '    {',
        '      "Version": "2012-10-17",',
        '      "Statement": [%{ for s in var.statements ~}"${s}",%{ endfor ~}]',
        '    }',
        '  EOT',
        '  raw_%d = <<EOF' % i,
        'literal ${upper("x")} text',
        'EOF',
        '  n_%d = 1.5e3 + -2 * (3 %% 2)' % i,
        '}',
        '',
        'output "id_%d" {' % i,
        '  value     = try(module.m%d.id, null)' % i,
        '  sensitive = false',
        '}',
        '',
    ])

os.makedirs(a.outdir, exist_ok=True)
for f in range(a.files):
    parts = ['terraform {', '  required_version = ">= 1.5"', '  required_providers {',
             '    aws = { source = "hashicorp/aws", version = "~> 5.0" }', '  }', '}', '']
    for i in range(rnd.randint(2, 12)):
        n = f * 100 + i
        parts.append(module(n))
        if rnd.random() < 0.6: parts.append(extras(n))
    with open(os.path.join(a.outdir, f"f{f:04d}.tf"), "w") as out:
        out.write("\n".join(parts))
print(f"{a.files} files in {a.outdir}")
