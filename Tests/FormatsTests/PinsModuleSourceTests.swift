import XCTest

@testable import Formats

final class PinsModuleSourceTests: XCTestCase {
  // MARK: Local paths

  func testLocalPathsKeepTheirSpelling() {
    let current = ModuleSource.parse("./consul")
    XCTAssertEqual(current.kind, .local)
    XCTAssertEqual(current.address, "./consul")
    XCTAssertNil(current.problem)
    let parent = ModuleSource.parse("../modules/vpc")
    XCTAssertEqual(parent.kind, .local)
    XCTAssertEqual(parent.address, "../modules/vpc")
    XCTAssertEqual(ModuleSource.parse(".\\modules\\vpc").kind, .local)
  }

  func testBareWordIsInvalidWithTheProblemSentence() {
    let source = ModuleSource.parse("stage")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertEqual(
      source.problem,
      "\"stage\" is neither a local path (must start with ./ or ../) nor a registry address (HOST/NAMESPACE/NAME/PROVIDER)"
    )
  }

  func testTwoComponentPathIsInvalid() {
    let source = ModuleSource.parse("modules/vpc")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertEqual(
      source.problem,
      "\"modules/vpc\" is neither a local path (must start with ./ or ../) nor a registry address (HOST/NAMESPACE/NAME/PROVIDER)"
    )
  }

  func testAbsolutePathIsInvalid() {
    let source = ModuleSource.parse("/opt/modules/vpc")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("absolute filesystem path") == true)
    XCTAssertEqual(ModuleSource.parse("C:\\modules\\vpc").kind, .invalid)
  }

  // MARK: Registry

  func testPublicRegistryAddressGetsDefaultHost() {
    let source = ModuleSource.parse("hashicorp/consul/aws")
    XCTAssertEqual(source.kind, .registry)
    XCTAssertEqual(source.address, "registry.terraform.io/hashicorp/consul/aws")
    XCTAssertNil(source.subdirectory)
    XCTAssertNil(source.ref)
  }

  func testPrivateRegistryAddressKeepsHostLowerCased() {
    let source = ModuleSource.parse("App.Terraform.io/example-corp/k8s-cluster/azurerm")
    XCTAssertEqual(source.kind, .registry)
    XCTAssertEqual(source.address, "app.terraform.io/example-corp/k8s-cluster/azurerm")
  }

  func testRegistrySubdirectory() {
    let source = ModuleSource.parse("hashicorp/consul/aws//modules/consul-cluster")
    XCTAssertEqual(source.kind, .registry)
    XCTAssertEqual(source.address, "registry.terraform.io/hashicorp/consul/aws")
    XCTAssertEqual(source.subdirectory, "modules/consul-cluster")
  }

  func testRegistryAddressWithQueryIsInvalid() {
    let source = ModuleSource.parse("hashicorp/consul/aws?ref=v1.0.0")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("cannot carry a query string") == true, source.problem ?? "")
  }

  func testRegistryTargetSystemMustBeLowerAlphanumeric() {
    let source = ModuleSource.parse("acme/network/aws_v2")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("invalid target system \"aws_v2\"") == true, source.problem ?? "")
  }

  func testHostnameWithTooFewComponentsIsInvalid() {
    let source = ModuleSource.parse("example.com/network/vpc")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("three more components") == true, source.problem ?? "")
  }

  // MARK: GitHub and Bitbucket

  func testGitHubShorthand() {
    let source = ModuleSource.parse("github.com/hashicorp/example")
    XCTAssertEqual(source.kind, .github)
    XCTAssertEqual(source.address, "github.com/hashicorp/example")
    XCTAssertNil(source.ref)
  }

  func testGitHubShorthandWithSubdirectoryAndRef() {
    let source = ModuleSource.parse("github.com/hashicorp/example//modules/vpc?ref=v1.2.0")
    XCTAssertEqual(source.kind, .github)
    XCTAssertEqual(source.address, "github.com/hashicorp/example")
    XCTAssertEqual(source.subdirectory, "modules/vpc")
    XCTAssertEqual(source.ref, "v1.2.0")
    XCTAssertEqual(source.query, ["ref": "v1.2.0"])
  }

  func testGitHubExtraPathSegmentsAreAnImplicitSubdirectory() {
    let source = ModuleSource.parse("github.com/acme/mods/vpc")
    XCTAssertEqual(source.kind, .github)
    XCTAssertEqual(source.address, "github.com/acme/mods")
    XCTAssertEqual(source.subdirectory, "vpc")
  }

  func testGitHubSSHForm() {
    let source = ModuleSource.parse("git@github.com:hashicorp/example.git")
    XCTAssertEqual(source.kind, .github)
    XCTAssertEqual(source.address, "github.com/hashicorp/example")
  }

  func testGitHubShorthandNeedsOwnerAndRepository() {
    let source = ModuleSource.parse("github.com/hashicorp")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("github.com/OWNER/REPO") == true)
  }

  func testBitbucketShorthand() {
    let source = ModuleSource.parse("bitbucket.org/hashicorp/terraform-consul-aws")
    XCTAssertEqual(source.kind, .bitbucket)
    XCTAssertEqual(source.address, "bitbucket.org/hashicorp/terraform-consul-aws")
  }

  // MARK: Generic Git

  func testGenericGitOverHTTPS() {
    let source = ModuleSource.parse("git::https://example.com/vpc.git")
    XCTAssertEqual(source.kind, .git)
    XCTAssertEqual(source.address, "example.com/vpc")
  }

  func testGenericGitOverSSHURL() {
    let source = ModuleSource.parse("git::ssh://username@example.com/storage.git")
    XCTAssertEqual(source.kind, .git)
    XCTAssertEqual(source.address, "example.com/storage")
  }

  func testGenericGitSSHURLWithPortDropsPortFromIdentity() {
    let source = ModuleSource.parse("git::ssh://git@git.example.com:2222/platform/net.git?ref=v3")
    XCTAssertEqual(source.kind, .git)
    XCTAssertEqual(source.address, "git.example.com/platform/net")
    XCTAssertEqual(source.ref, "v3")
  }

  func testGenericGitScpLikeSyntax() {
    let source = ModuleSource.parse("git::username@example.com:storage.git")
    XCTAssertEqual(source.kind, .git)
    XCTAssertEqual(source.address, "example.com/storage")
    let gitUser = ModuleSource.parse("git::git@example.com:infra/storage.git")
    XCTAssertEqual(gitUser.address, "example.com/infra/storage")
  }

  func testGenericGitWithSubdirectoryAndArguments() {
    let source = ModuleSource.parse(
      "git::git@gitlab.example.com:infra/network.git//modules/vpc?ref=v1.2.0&depth=1&sshkey=a2V5")
    XCTAssertEqual(source.kind, .git)
    XCTAssertEqual(source.address, "gitlab.example.com/infra/network")
    XCTAssertEqual(source.subdirectory, "modules/vpc")
    XCTAssertEqual(source.ref, "v1.2.0")
    XCTAssertEqual(source.query, ["ref": "v1.2.0", "depth": "1", "sshkey": "a2V5"])
  }

  func testDocumentedSubdirectoryBeforeArguments() {
    let source = ModuleSource.parse("git::https://example.com/network.git//modules/vpc?ref=v1.2.0")
    XCTAssertEqual(source.address, "example.com/network")
    XCTAssertEqual(source.subdirectory, "modules/vpc")
    XCTAssertEqual(source.ref, "v1.2.0")
  }

  func testThreeSpellingsOfOneRepositoryShareAnAddress() {
    let forms = [
      "git::https://github.com/acme/mods.git//vpc?ref=v1",
      "github.com/acme/mods//vpc",
      "git@github.com:acme/mods.git",
      "git::ssh://git@github.com/Acme/Mods.git",
    ]
    for form in forms {
      XCTAssertEqual(ModuleSource.parse(form).address, "github.com/acme/mods", form)
    }
    XCTAssertEqual(ModuleSource.parse(forms[0]).kind, .git)
  }

  func testCommitIDRef() {
    let source = ModuleSource.parse("git::https://example.com/storage.git?ref=51d462976d84fdea54b47d80dcabbf680badcdb8")
    XCTAssertTrue(source.refIsCommitID)
    XCTAssertFalse(source.refLooksLikeVersion)
    XCTAssertNil(source.refTagName)
    XCTAssertFalse(ModuleSource.parse("git::https://example.com/storage.git?ref=51d4629").refIsCommitID)
    let sha256 = String(repeating: "ab", count: 32)
    XCTAssertTrue(ModuleSource.parse("github.com/a/b?ref=\(sha256)").refIsCommitID)
  }

  func testUnprefixedScpWithOtherUserIsInvalid() {
    let source = ModuleSource.parse("deploy@git.example.com:infra/net.git")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("git::deploy@git.example.com:infra/net.git") == true, source.problem ?? "")
  }

  func testUnprefixedSCPWithGitUserOnOtherHostIsGit() {
    let source = ModuleSource.parse("git@gitlab.com:group/sub/repo.git?ref=v2.0.0")
    XCTAssertEqual(source.kind, .git)
    XCTAssertEqual(source.address, "gitlab.com/group/sub/repo")
    XCTAssertEqual(source.ref, "v2.0.0")
  }

  func testBareSSHURLNeedsGitPrefix() {
    let source = ModuleSource.parse("ssh://git@example.com/storage.git")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("git::ssh://git@example.com/storage.git") == true, source.problem ?? "")
  }

  func testSubdirectoryLeavingThePackageIsInvalid() {
    let source = ModuleSource.parse("git::https://example.com/network.git//../secrets")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("outside of the module package") == true)
  }

  // MARK: Mercurial, buckets, HTTP

  func testMercurial() {
    let source = ModuleSource.parse("hg::http://example.com/vpc.hg?ref=v1.2.0")
    XCTAssertEqual(source.kind, .mercurial)
    XCTAssertEqual(source.address, "example.com/vpc.hg")
    XCTAssertEqual(source.ref, "v1.2.0")
  }

  func testS3Bucket() {
    let source = ModuleSource.parse("s3::https://s3-eu-west-1.amazonaws.com/examplecorp-terraform-modules/vpc.zip")
    XCTAssertEqual(source.kind, .s3)
    XCTAssertEqual(source.address, "https://s3-eu-west-1.amazonaws.com/examplecorp-terraform-modules/vpc.zip")
  }

  func testS3BucketWithSubdirectory() {
    let source = ModuleSource.parse(
      "s3::https://s3-eu-west-1.amazonaws.com/examplecorp-terraform-modules/network.zip//modules/vpc")
    XCTAssertEqual(source.kind, .s3)
    XCTAssertEqual(source.address, "https://s3-eu-west-1.amazonaws.com/examplecorp-terraform-modules/network.zip")
    XCTAssertEqual(source.subdirectory, "modules/vpc")
  }

  func testGCSBucket() {
    let source = ModuleSource.parse("gcs::https://www.googleapis.com/storage/v1/modules/foomodule.zip")
    XCTAssertEqual(source.kind, .gcs)
    XCTAssertEqual(source.address, "https://www.googleapis.com/storage/v1/modules/foomodule.zip")
  }

  func testUnprefixedBucketHostsAreDetected() {
    let s3 = ModuleSource.parse("examplecorp-terraform-modules.s3.amazonaws.com/vpc.zip")
    XCTAssertEqual(s3.kind, .s3)
    XCTAssertEqual(s3.address, "https://examplecorp-terraform-modules.s3.amazonaws.com/vpc.zip")
    let gcs = ModuleSource.parse("www.googleapis.com/storage/v1/modules/foomodule.zip")
    XCTAssertEqual(gcs.kind, .gcs)
    XCTAssertEqual(gcs.address, "https://www.googleapis.com/storage/v1/modules/foomodule.zip")
  }

  func testBucketSchemeURLsAreInvalid() {
    let source = ModuleSource.parse("s3://examplecorp-terraform-modules/vpc.zip")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("s3::https://") == true, source.problem ?? "")
    XCTAssertEqual(ModuleSource.parse("gcs://bucket/module.zip").kind, .invalid)
  }

  func testHTTPArchive() {
    let source = ModuleSource.parse("https://example.com/vpc-module.zip")
    XCTAssertEqual(source.kind, .http)
    XCTAssertEqual(source.address, "https://example.com/vpc-module.zip")
  }

  func testHTTPArchiveArgumentAndSubdirectory() {
    let forced = ModuleSource.parse("https://example.com/vpc-module?archive=zip")
    XCTAssertEqual(forced.kind, .http)
    XCTAssertEqual(forced.address, "https://example.com/vpc-module")
    XCTAssertEqual(forced.query["archive"], "zip")
    let nested = ModuleSource.parse("https://example.com/network-module.tar.gz//modules/vpc")
    XCTAssertEqual(nested.address, "https://example.com/network-module.tar.gz")
    XCTAssertEqual(nested.subdirectory, "modules/vpc")
  }

  func testPlainHTTPSURLIsHTTPGetter() {
    let source = ModuleSource.parse("https://modules.example.com/vpc")
    XCTAssertEqual(source.kind, .http)
    XCTAssertEqual(source.address, "https://modules.example.com/vpc")
  }

  // MARK: Terragrunt

  func testTerragruntPublicRegistry() {
    let source = ModuleSource.parse("tfr:///terraform-aws-modules/vpc/aws?version=5.1.2")
    XCTAssertEqual(source.kind, .registry)
    XCTAssertEqual(source.address, "registry.terraform.io/terraform-aws-modules/vpc/aws")
    XCTAssertEqual(source.version, "5.1.2")
    XCTAssertEqual(source.query, ["version": "5.1.2"])
  }

  func testTerragruntPrivateRegistryWithSubdirectory() {
    let source = ModuleSource.parse("tfr://registry.example.com/ns/name/provider//modules/x?version=1.0.0")
    XCTAssertEqual(source.kind, .registry)
    XCTAssertEqual(source.address, "registry.example.com/ns/name/provider")
    XCTAssertEqual(source.subdirectory, "modules/x")
    XCTAssertEqual(source.version, "1.0.0")
  }

  func testTerragruntWithoutVersionIsInvalid() {
    let source = ModuleSource.parse("tfr:///terraform-aws-modules/vpc/aws")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("version") == true)
  }

  // MARK: Query handling and refs

  func testQueryValuesArePercentDecoded() {
    let source = ModuleSource.parse("git::https://example.com/vpc.git?ref=feature%2Fnew-vpc&sshkey=a%3D%3D")
    XCTAssertEqual(source.ref, "feature/new-vpc")
    XCTAssertEqual(source.query["sshkey"], "a==")
    XCTAssertEqual(ModuleSource.parse("github.com/a/b?ref=bad%zz").ref, "bad%zz")
  }

  func testRefTagNames() {
    XCTAssertEqual(ModuleSource.parse("github.com/a/b?ref=tags/0.4.0").refTagName, "0.4.0")
    XCTAssertEqual(ModuleSource.parse("github.com/a/b?ref=refs/tags/v1.2.0").refTagName, "v1.2.0")
    XCTAssertEqual(ModuleSource.parse("github.com/a/b?ref=refs/tags/v1.2.0").ref, "refs/tags/v1.2.0")
    XCTAssertNil(ModuleSource.parse("github.com/a/b?ref=v1.2.0").refTagName)
    XCTAssertNil(ModuleSource.parse("github.com/a/b?ref=refs/heads/main").refTagName)
    XCTAssertNil(ModuleSource.parse("github.com/a/b").refTagName)
  }

  func testRefLooksLikeVersion() {
    for ref in ["v1.2.3", "1.2", "v2", "1.0.0-rc.1", "tags/0.4.0", "refs/tags/v1.2.0"] {
      XCTAssertTrue(ModuleSource.parse("github.com/a/b?ref=\(ref)").refLooksLikeVersion, ref)
    }
    for ref in ["main", "release-1.2", "refs/heads/v1", "51d462976d84fdea54b47d80dcabbf680badcdb8"] {
      XCTAssertFalse(ModuleSource.parse("github.com/a/b?ref=\(ref)").refLooksLikeVersion, ref)
    }
  }

  // MARK: Garbage

  func testUnknownForcedGetterIsInvalid() {
    let source = ModuleSource.parse("svn::https://example.com/repo")
    XCTAssertEqual(source.kind, .invalid)
    XCTAssertTrue(source.problem?.contains("\"svn::\"") == true)
  }

  func testGarbageNeverCrashesAndIsInvalid() {
    let inputs = [
      "", " ", "::", "git::", "hg::", "s3::", "tfr://", "tfr:///", "?", "//", "?ref=", "git::?ref=x",
      "git::https://", "https://", "ünïcødé/模块/🚀", "💥", "a//b//c", ":", "@", "git@:", "%", "\u{0}",
      "github.com/", "git::github.com/x", "..", ".",
    ]
    for input in inputs {
      let source = ModuleSource.parse(input)
      XCTAssertEqual(source.kind, .invalid, input)
      XCTAssertNotNil(source.problem, input)
      XCTAssertEqual(source.raw, input)
    }
  }
}
