import XCTest

@testable import Formats

final class PinsDockerfileTests: XCTestCase {
  // MARK: Image references

  func testStagesAreKnownByNameAlsoInLongFiles() {
    let stages = (0..<3_000).map { "FROM alpine:3.20 AS s\($0)\nFROM s\($0)\n" }.joined()
    let result = Dockerfile.parse(stages + "FROM golang AS s7\n")
    XCTAssertEqual(result.stages.count, 6_001)
    XCTAssertEqual(result.stages.filter { $0.referencesStage != nil }.count, 3_000, "FROM sN builds on stage sN")
    XCTAssertEqual(result.errors.map(\.message), ["Duplicate build stage name \"s7\"."])
  }

  func testImageReferenceWithTag() {
    let image = ImageReference.parse("ubuntu:22.04")
    XCTAssertEqual(image, ImageReference(registry: nil, repository: "ubuntu", tag: "22.04", digest: nil))
    XCTAssertEqual(image?.name, "ubuntu")
  }

  func testImageReferenceKeepsRepositoryAsWritten() {
    XCTAssertEqual(ImageReference.parse("library/ubuntu")?.repository, "library/ubuntu")
    let hub = ImageReference.parse("docker.io/acme/app:1.0")
    XCTAssertNil(hub?.registry)
    XCTAssertEqual(hub?.repository, "acme/app")
    XCTAssertEqual(hub?.name, "acme/app")
  }

  func testImageReferenceWithRegistry() {
    let image = ImageReference.parse("gcr.io/distroless/static-debian12:nonroot")
    XCTAssertEqual(image?.registry, "gcr.io")
    XCTAssertEqual(image?.repository, "distroless/static-debian12")
    XCTAssertEqual(image?.tag, "nonroot")
    XCTAssertEqual(image?.name, "gcr.io/distroless/static-debian12")
  }

  func testRegistryPortIsNotATag() {
    let tagged = ImageReference.parse("localhost:5000/app:1.0")
    XCTAssertEqual(tagged?.registry, "localhost:5000")
    XCTAssertEqual(tagged?.repository, "app")
    XCTAssertEqual(tagged?.tag, "1.0")
    let untagged = ImageReference.parse("registry.example.com:5000/team/app")
    XCTAssertEqual(untagged?.registry, "registry.example.com:5000")
    XCTAssertEqual(untagged?.repository, "team/app")
    XCTAssertNil(untagged?.tag)
    XCTAssertEqual(ImageReference.parse("localhost/app")?.registry, "localhost")
  }

  func testDigests() {
    let hex = String(repeating: "a1", count: 32)
    let digestOnly = ImageReference.parse("alpine@sha256:\(hex)")
    XCTAssertEqual(digestOnly?.digest, "sha256:\(hex)")
    XCTAssertNil(digestOnly?.tag)
    let both = ImageReference.parse("alpine:3.20@sha256:\(hex)")
    XCTAssertEqual(both?.tag, "3.20")
    XCTAssertEqual(both?.digest, "sha256:\(hex)")
    XCTAssertNil(ImageReference.parse("alpine@sha256:abc"))
    XCTAssertNil(ImageReference.parse("alpine@\(hex)"))
  }

  func testInvalidImageReferences() {
    for text in [
      "", "Ubuntu", "ubuntu:", ":latest", "ubuntu::1", "a//b", "app:-bad", "re po", "ubuntu:22.04 ", "-app", "app_",
    ] {
      XCTAssertNil(ImageReference.parse(text), text)
    }
    XCTAssertNotNil(ImageReference.parse("my_org__x/app-name.v2"))
  }

  // MARK: Stages

  func testSingleStage() {
    let result = Dockerfile.parse("FROM ubuntu:22.04\nRUN apt-get update\n")
    XCTAssertEqual(result.errors, [])
    XCTAssertEqual(result.stages.count, 1)
    let stage = result.stages[0]
    XCTAssertEqual(stage.rawImage, "ubuntu:22.04")
    XCTAssertEqual(stage.resolvedImage, "ubuntu:22.04")
    XCTAssertEqual(stage.image?.tag, "22.04")
    XCTAssertEqual(stage.line, 1)
    XCTAssertNil(stage.stageName)
    XCTAssertFalse(stage.isScratch)
  }

  func testMultiStageReferencesEarlierStageCaseInsensitively() {
    let text = """
      # build
      from golang:1.22 As Builder
      RUN go build ./...

      FROM BUILDER AS final
      FROM alpine:3.20
      """
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.errors, [])
    XCTAssertEqual(result.stages.map(\.stageName), ["builder", "final", nil])
    XCTAssertEqual(result.stages.map(\.line), [2, 5, 6])
    XCTAssertEqual(result.stages[1].referencesStage, "builder")
    XCTAssertNil(result.stages[1].image)
    XCTAssertEqual(result.stages[2].image?.name, "alpine")
  }

  func testLaterStageNameIsNotAReference() {
    let result = Dockerfile.parse("FROM final\nFROM alpine AS final\n")
    XCTAssertNil(result.stages[0].referencesStage)
    XCTAssertEqual(result.stages[0].image?.repository, "final")
  }

  func testScratch() {
    let result = Dockerfile.parse("FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\n")
    XCTAssertTrue(result.stages[1].isScratch)
    XCTAssertNil(result.stages[1].image)
    XCTAssertNil(result.stages[1].referencesStage)
  }

  func testPlatformFlag() {
    let result = Dockerfile.parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n")
    XCTAssertEqual(result.errors, [])
    let stage = result.stages[0]
    XCTAssertEqual(stage.platform, "$BUILDPLATFORM")
    XCTAssertEqual(stage.rawImage, "golang:1.22")
    XCTAssertEqual(stage.stageName, "build")
    XCTAssertEqual(stage.image?.tag, "1.22")
  }

  func testFlagErrors() {
    let result = Dockerfile.parse("FROM --platfrom=linux/amd64 alpine\nFROM --platform alpine\n")
    XCTAssertEqual(result.errors.map(\.line), [1, 2])
    XCTAssertEqual(result.stages.map(\.rawImage), ["alpine", "alpine"])
  }

  func testFromWithoutImageIsAnError() {
    let result = Dockerfile.parse("FROM\nFROM --platform=linux/arm64\n")
    XCTAssertEqual(result.stages, [])
    XCTAssertEqual(result.errors.map(\.line), [1, 2])
    XCTAssertTrue(result.errors[0].message.contains("image"))
  }

  func testWrongArgumentCountAndBadStageNames() {
    let result = Dockerfile.parse("FROM alpine AS\nFROM alpine AS 1st\nFROM alpine AS a\nFROM alpine AS A\n")
    XCTAssertEqual(result.errors.map(\.line), [1, 2, 4])
    XCTAssertTrue(result.errors[2].message.contains("Duplicate"))
  }

  // MARK: ARG substitution

  func testGlobalArgsSubstitute() {
    let text = """
      ARG REGISTRY=registry.example.com:5000
      ARG VERSION=1.25
      FROM ${REGISTRY}/nginx:$VERSION
      """
    let stage = Dockerfile.parse(text).stages[0]
    XCTAssertEqual(stage.rawImage, "${REGISTRY}/nginx:$VERSION")
    XCTAssertEqual(stage.resolvedImage, "registry.example.com:5000/nginx:1.25")
    XCTAssertEqual(stage.image?.registry, "registry.example.com:5000")
    XCTAssertEqual(stage.unresolvedVariables, [])
  }

  func testArgWithoutDefaultIsUnresolved() {
    let stage = Dockerfile.parse("ARG TAG\nFROM node:${TAG}\n").stages[0]
    XCTAssertEqual(stage.unresolvedVariables, ["TAG"])
    XCTAssertEqual(stage.resolvedImage, "node:${TAG}")
    XCTAssertNil(stage.image)
    XCTAssertEqual(Dockerfile.parse("ARG TAG\nFROM node:${TAG}\n").errors, [])
  }

  func testDefaultAndAlternativeModifiers() {
    let text = """
      ARG UNSET
      ARG EMPTY=
      ARG SET=18
      FROM node:${UNSET:-20}-alpine AS a
      FROM node:${EMPTY:-21} AS b
      FROM node:${SET:-22} AS c
      FROM node${SET:+:custom} AS d
      FROM node${UNSET:+:custom} AS e
      FROM node:${EMPTY-23}x AS f
      """
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.errors, [])
    XCTAssertEqual(
      result.stages.map(\.resolvedImage),
      [
        "node:20-alpine", "node:21", "node:18", "node:custom", "node", "node:x",
      ])
    XCTAssertTrue(result.stages.allSatisfy { $0.unresolvedVariables.isEmpty })
  }

  func testArgDefaultsMayUseEarlierArgs() {
    let text = "ARG BASE=alpine\nARG IMAGE=\"${BASE}:3.20\"\nFROM $IMAGE\n"
    XCTAssertEqual(Dockerfile.parse(text).stages[0].resolvedImage, "alpine:3.20")
    let unresolved = Dockerfile.parse("ARG HOST\nARG IMAGE=${HOST}/app:1\nFROM $IMAGE\n").stages[0]
    XCTAssertEqual(unresolved.unresolvedVariables, ["HOST"])
  }

  func testArgInsideStageDoesNotReachFrom() {
    let text = "FROM alpine:3.20 AS one\nARG TAG=1.0\nFROM app:${TAG}\n"
    let stage = Dockerfile.parse(text).stages[1]
    XCTAssertEqual(stage.unresolvedVariables, ["TAG"])
    XCTAssertNil(stage.image)
  }

  func testMultipleArgsOnOneLineAndPatternRemoval() {
    let text = "ARG A=python B=3.12.4-slim\nFROM ${A}:${B%-slim}\nFROM ${A}:${B#3.}\n"
    XCTAssertEqual(Dockerfile.parse(text).stages.map(\.resolvedImage), ["python:3.12.4", "python:12.4-slim"])
  }

  func testWildcardPatternRemoval() {
    let text = "ARG V=3.12.4-slim-bookworm\nFROM python:${V%%-*}\nFROM python:${V#*-}\nFROM python:${V%-*}\n"
    XCTAssertEqual(
      Dockerfile.parse(text).stages.map(\.resolvedImage),
      [
        "python:3.12.4", "python:slim-bookworm", "python:3.12.4-slim",
      ])
  }

  func testDeeplyNestedSubstitutionIsAnErrorNotACrash() {
    let depth = 50_000
    let text = "FROM " + String(repeating: "${A:-", count: depth) + "x" + String(repeating: "}", count: depth) + "\n"
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.stages.count, 1)
    XCTAssertNil(result.stages[0].image)
    XCTAssertTrue(result.errors.contains { $0.message.contains("nested too deeply") })
  }

  func testSubstitutionCanNameAnEarlierStage() {
    let text = "ARG BASE=builder\nFROM alpine AS builder\nFROM ${BASE}\n"
    XCTAssertEqual(Dockerfile.parse(text).stages[1].referencesStage, "builder")
  }

  // MARK: Lines, comments and directives

  func testLineContinuationsWithCommentsAndBlankLines() {
    let text = """
      FROM \\
        # the base image

        alpine:3.20 \\
        AS base
      RUN true
      FROM debian:12
      """
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.errors, [])
    XCTAssertEqual(result.stages.count, 2)
    XCTAssertEqual(result.stages[0].rawImage, "alpine:3.20")
    XCTAssertEqual(result.stages[0].stageName, "base")
    XCTAssertEqual(result.stages[0].line, 1)
    XCTAssertEqual(result.stages[1].line, 7)
  }

  func testEscapeDirectiveChangesContinuationCharacter() {
    let text = """
      # escape=`
      FROM mcr.microsoft.com/windows/servercore:ltsc2022 `
          AS base
      RUN dir c:\\
      FROM base
      """
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.errors, [])
    XCTAssertEqual(result.stages.count, 2)
    XCTAssertEqual(result.stages[0].image?.registry, "mcr.microsoft.com")
    XCTAssertEqual(result.stages[0].stageName, "base")
    XCTAssertEqual(result.stages[1].referencesStage, "base")
  }

  func testDirectivesOnlyCountAtTheTop() {
    let late = Dockerfile.parse("# comment\n# escape=`\nFROM alpine \\\n  AS base\n")
    XCTAssertEqual(late.stages.first?.stageName, "base")
    let syntax = Dockerfile.parse("# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine:3.20\n")
    XCTAssertEqual(syntax.errors, [])
    XCTAssertEqual(syntax.stages.first?.image?.tag, "3.20")
    let bad = Dockerfile.parse("# escape=x\nFROM alpine\n")
    XCTAssertEqual(bad.errors.first?.line, 1)
  }

  func testCommentsAndIndentedInstructions() {
    let text = "\n   # FROM commented:1\n\tfrom   alpine:3.20   \n"
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.stages.count, 1)
    XCTAssertEqual(result.stages[0].rawImage, "alpine:3.20")
    XCTAssertEqual(result.stages[0].line, 3)
  }

  func testCRLFLineEndings() {
    let result = Dockerfile.parse("FROM alpine:3.20 AS a\r\nFROM \\\r\n  a\r\n")
    XCTAssertEqual(result.errors, [])
    XCTAssertEqual(result.stages.map(\.rawImage), ["alpine:3.20", "a"])
    XCTAssertEqual(result.stages[1].referencesStage, "a")
  }

  func testHeredocBodiesAreNotInstructions() {
    let text = """
      FROM alpine:3.20
      RUN <<EOF
      FROM evil:latest
      EOF
      COPY <<-"SCRIPT" /run.sh
      \tFROM also-not:1
      \tSCRIPT
      FROM debian:12
      """
    let result = Dockerfile.parse(text)
    XCTAssertEqual(result.stages.map(\.rawImage), ["alpine:3.20", "debian:12"])
    XCTAssertEqual(result.stages[1].line, 8)
  }

  func testGarbageDoesNotCrash() {
    for text in [
      "", "\\", "FROM ${", "FROM ${:-x}", "FROM $", "FROM 'unterminated", "ARG =x\nFROM a", "# escape=`\n`",
      "FROM ${A:-${B:-${C", "💥\nFROM 🚀",
    ] {
      let result = Dockerfile.parse(text)
      XCTAssertTrue(result.stages.allSatisfy { $0.image == nil || !$0.resolvedImage.isEmpty }, text)
    }
    XCTAssertFalse(Dockerfile.parse("FROM 'unterminated").errors.isEmpty)
    XCTAssertFalse(Dockerfile.parse("FROM 🚀").errors.isEmpty)
  }
}
