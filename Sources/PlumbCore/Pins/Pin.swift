import Formats

/// One reference to something versioned from outside the repository: a module, an action or an image.
public struct Pin: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable { case module, action, image }

  /// What the reference points at, parsed.
  public enum Target: Sendable, Equatable {
    case module(ModuleSource, constraint: String?)
    case action(ActionUse)
    case image(DockerfileStage)
  }

  public let kind: Kind
  /// The identity pins are rolled up by: module address, `owner/repo[/path]`, or image name.
  public let source: String
  /// As written in the file.
  public let raw: String
  /// The version constraint (modules) or the tag (images, actions with a version comment).
  public let version: String?
  /// The git ref (modules `?ref=`, actions `@ref`), or the image digest.
  public let ref: String?
  /// Where it is written: the module block name, `job/step`, or the stage.
  public let name: String
  public let path: String
  public let line: Int
  /// Built from variables plumb cannot evaluate statically (interpolation, an ARG without default).
  public let isDynamic: Bool
  public let target: Target
  /// A module block's `version` line, where findings about the constraint point (so blame finds who wrote it).
  public var versionLine: Int? = nil
}

/// A file that should have held pins but did not parse.
public struct PinParseProblem: Sendable, Equatable {
  public let path: String
  public let line: Int?
  public let column: Int?
  public let message: String
}

/// Every pin of a snapshot, and the files that could not be read for pins.
public struct PinInventory: Sendable {
  public var pins: [Pin] = []
  public var problems: [PinParseProblem] = []
}
