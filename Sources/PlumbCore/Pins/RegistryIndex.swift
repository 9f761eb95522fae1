import Formats
import Version
import Yams

/// The `registry-index` file: module registry addresses and the versions published for them,
/// for estates whose modules are not all mirrored as repositories. A version may carry the day it was
/// published, which `plumb adoption` uses to judge each period by the versions out by then.
///
///     terraform-aws-modules/vpc/aws: [5.1.2, 5.8.1, 6.0.0]
///     app.terraform.io/acme/network/aws: ["2.1.0", {version: 2.2.0, published: 2026-03-01}]
public enum RegistryIndex {
  public static func parse(_ text: String, file: String) throws(ConfigError) -> [String: [Version]] {
    try parseWithDates(text, file: file).versions
  }

  /// The versions per address, and for those that say so, the time (seconds, UTC midnight) each was published.
  public static func parseWithDates(_ text: String, file: String) throws(ConfigError) -> (
    versions: [String: [Version]], published: [String: [Version: Int64]]
  ) {
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
    var published: [String: [Version: Int64]] = [:]
    for (key, value) in map {
      guard let address = key.string, let list = value.sequence else {
        throw ConfigError(
          file: file, line: key.mark?.line, column: key.mark?.column, message: "expected ADDRESS: [VERSION, ...]")
      }
      let normalized = ModuleSource.parse(address).address
      var versions: [Version] = []
      for item in list {
        let text = item.mapping?["version"]?.string ?? item.string
        guard let text, let version = parseSemanticVersion(text) else {
          throw ConfigError(
            file: file, line: item.mark?.line, column: item.mark?.column,
            message: "'\(text ?? "?")' is not a version (a version, or {version: V, published: YYYY-MM-DD})")
        }
        if let day = item.mapping?["published"] {
          guard let date = day.string.flatMap({ CivilDate(iso: String($0.prefix(10))) }) else {
            throw ConfigError(
              file: file, line: day.mark?.line, column: day.mark?.column,
              message: "'\(day.string ?? "?")' is not a day (YYYY-MM-DD)")
          }
          published[normalized, default: [:]][version] = date.startSeconds
        }
        versions.append(version)
      }
      index[normalized] = versions
    }
    return (index, published)
  }
}
