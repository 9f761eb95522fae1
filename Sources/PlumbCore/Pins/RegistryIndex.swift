import Formats
import Version
import Yams

/// The `registry-index` file: module registry addresses and the versions published for them,
/// for estates whose modules are not all mirrored as repositories.
///
///     terraform-aws-modules/vpc/aws: [5.1.2, 5.8.1, 6.0.0]
///     app.terraform.io/acme/network/aws: ["2.1.0", "2.2.0"]
public enum RegistryIndex {
  public static func parse(_ text: String, file: String) throws(ConfigError) -> [String: [Version]] {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, .default, .default, .utf8)
    } catch {
      throw ConfigError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)")
    }
    guard let map = root?.mapping else {
      throw ConfigError(
        file: file, line: 1, column: 1, message: "a registry index maps module addresses to lists of versions")
    }
    var index: [String: [Version]] = [:]
    for (key, value) in map {
      guard let address = key.string, let list = value.sequence else {
        throw ConfigError(
          file: file, line: key.mark?.line, column: key.mark?.column, message: "expected ADDRESS: [VERSION, ...]")
      }
      var versions: [Version] = []
      for item in list {
        guard let text = item.string, let version = parseSemanticVersion(text) else {
          throw ConfigError(
            file: file, line: item.mark?.line, column: item.mark?.column,
            message: "'\(item.string ?? "?")' is not a version")
        }
        versions.append(version)
      }
      index[ModuleSource.parse(address).address] = versions
    }
    return index
  }
}
