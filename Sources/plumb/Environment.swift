import Estate
import Foundation
import PlumbCore
import Version

/// What every command needs from its surroundings: the rules folder, the policy, today's date, output.
enum Environment {
  static func catalog() throws -> RuleCatalog {
    guard let directory = RuleCatalog.locate() else {
      throw PlumbFailure.usage("cannot find plumb's rules/ folder; set PLUMB_RULES_DIR to it")
    }
    do {
      return try RuleCatalog.load(directory: directory)
    } catch {
      throw PlumbFailure.usage("cannot read rules from \(directory): \(error)")
    }
  }

  /// The estate policy from `--config` (or `plumb.yml` in the current folder when present), and the
  /// file it came from (relative paths in it are relative to that file).
  static func policyAndPath(configPath: String?, loader: PolicyLoader) throws -> (Policy, String?) {
    var path = configPath
    if path == nil, FileManager.default.fileExists(atPath: "plumb.yml") { path = "plumb.yml" }
    guard let path else {
      return (try wrap { () throws(ConfigError) in try loader.estatePolicy(configText: nil, file: "plumb.yml") }, nil)
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlumbFailure.usage("\(path): cannot read config file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PlumbFailure.usage("\(path): config is not UTF-8 text")
    }
    return (try wrap { () throws(ConfigError) in try loader.estatePolicy(configText: text, file: path) }, path)
  }

  /// Tags and branches of every repository, and the registry index the config names.
  static func knowledge(
    _ locations: [RepositoryLocation], policy: Policy, configPath: String?,
    known: [EstateKnowledge.RepositoryRefs?] = []
  ) throws -> EstateKnowledge {
    var index: [String: [Version]] = [:]
    var published: [String: [Version: Int64]] = [:]
    if let relative = policy.registryIndex {
      let base = configPath.map { ($0 as NSString).deletingLastPathComponent } ?? ""
      let path = relative.hasPrefix("/") || base.isEmpty ? relative : base + "/" + relative
      guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw PlumbFailure.usage("\(path): cannot read the registry index named by registry-index")
      }
      (index, published) = try wrap { () throws(ConfigError) in try RegistryIndex.parseWithDates(text, file: path) }
    }
    return KnowledgeBuilder.build(locations, registryIndex: index, registryPublished: published, known: known)
  }

  static func wrap<T>(_ body: () throws(ConfigError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw PlumbFailure.usage("invalid configuration: \(error)")
    }
  }

  /// `--timeout` as the estate's deadline can take it: more than 0 and at most a year (its clock counts
  /// milliseconds in 64 bits; infinity or 1e19 would not convert).
  static func checkTimeout(_ seconds: Double) throws {
    guard seconds > 0 else { throw PlumbFailure.usage("--timeout must be more than 0 seconds") }
    guard seconds <= 366 * 86_400 else {
      throw PlumbFailure.usage("--timeout must be at most 31622400 seconds (a year), not \(seconds)")
    }
  }

  /// Today in UTC as `YYYY-MM-DD`, for waiver expiry and adoption periods; `PLUMB_TODAY` pins it (tests).
  static func today() -> String {
    if let pinned = ProcessInfo.processInfo.environment["PLUMB_TODAY"], CivilDate(iso: pinned) != nil {
      return pinned
    }
    return CivilDate(seconds: Int64(Date().timeIntervalSince1970.rounded(.down))).description
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Writes to `--output` or standard output, through OutputStream: a regular file is replaced atomically, while
  /// a device or a pipe (`--output /dev/null`, `--output /dev/stdout`) is written in place, never renamed over.
  static func emit(_ text: String, to output: String?) throws {
    try emit(to: output) { try $0.write(text) }
  }

  /// Writes output piece by piece (a long report need not exist whole in memory); nothing is left half-written.
  static func emit(to output: String?, _ write: (OutputStream) throws -> Void) throws {
    let stream = try OutputStream(to: output)
    do {
      try write(stream)
      try stream.close()
    } catch let failure as PlumbFailure {
      stream.abandon()
      throw failure
    } catch {
      stream.abandon()
      throw PlumbFailure.usage("cannot write \(output ?? "standard output"): \(error.localizedDescription)")
    }
  }

  /// What every estate command starts from: rules, policy, the repositories found, and what the estate knows.
  struct Estate {
    let catalog: RuleCatalog
    let loader: PolicyLoader
    let policy: Policy
    let locations: [RepositoryLocation]
    let knowledge: EstateKnowledge
  }

  /// The estate before its refs are read: rules, policy (and the file it came from), the repositories found.
  struct EstateRepositories {
    let catalog: RuleCatalog
    let loader: PolicyLoader
    let policy: Policy
    let configPath: String?
    let locations: [RepositoryLocation]
  }

  /// Loads rules and policy, finds the repositories (from a manifest, or by discovery, warning about bad
  /// paths), and reads the estate's refs.
  static func estate(paths: [String], config: String?, manifest: String? = nil) throws -> Estate {
    let found = try repositories(paths: paths, config: config, manifest: manifest)
    return Estate(
      catalog: found.catalog, loader: found.loader, policy: found.policy, locations: found.locations,
      knowledge: try knowledge(found.locations, policy: found.policy, configPath: found.configPath))
  }

  /// Loads rules and policy and finds the repositories (from a manifest, or by discovery, warning about bad paths).
  static func repositories(paths: [String], config: String?, manifest: String?) throws -> EstateRepositories {
    let catalog = try catalog()
    let loader = PolicyLoader(catalog: catalog)
    let (policy, configPath) = try policyAndPath(configPath: config, loader: loader)
    let locations: [RepositoryLocation]
    if let manifest {
      locations = try manifestLocations(manifest)
      // A job that scanned nothing must not pass: an empty manifest or an unmounted mirror volume is an error.
      if locations.isEmpty { throw PlumbFailure.usage("\(manifest) lists no repositories: nothing to scan") }
    } else {
      let (found, problems) = Discovery.repositories(in: paths)
      for problem in problems { warn(problem) }
      if found.isEmpty && problems.contains(where: { !$0.contains("symbolic link") }) {
        throw PlumbFailure.usage("nothing to read")
      }
      if found.isEmpty {
        throw PlumbFailure.usage("no repositories found under \(paths.joined(separator: " ")): nothing to scan")
      }
      locations = found
    }
    return EstateRepositories(
      catalog: catalog, loader: loader, policy: policy, configPath: configPath, locations: locations)
  }

  /// Manifests list whole estates, so they may be larger than a config file, but not unbounded.
  static let maximumManifestBytes = 32 << 20

  static func manifestLocations(_ path: String) throws -> [RepositoryLocation] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlumbFailure.usage("\(path): cannot read the manifest")
    }
    guard data.count <= maximumManifestBytes else {
      throw PlumbFailure.usage("\(path): manifest is larger than \(maximumManifestBytes >> 20) MiB")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PlumbFailure.usage("\(path): manifest is not UTF-8 text")
    }
    let manifest = try wrap { () throws(ConfigError) in try EstateManifest.parse(text, file: path) }
    return manifest.locations(relativeTo: (path as NSString).deletingLastPathComponent)
  }

  /// Opens (or creates) a store; a shard only reads one, so for it a missing store is no store.
  static func openStore(_ path: String, mustExist: Bool) throws -> EstateStore? {
    if mustExist && !FileManager.default.fileExists(atPath: path) {
      warn("\(path): no store yet; this shard reuses nothing and tags/moved has nothing to compare")
      return nil
    }
    return try storeCall { try EstateStore.open(path: path) }
  }

  /// Store errors (busy, newer, not a store) are the user's to fix: exit 2 with the store's own words.
  static func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StoreError {
      throw PlumbFailure.usage(error.description)
    }
  }

  /// Now in UTC, ISO 8601, for run records.
  static func timestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
  }

  static func baseline(_ path: String) throws -> Baseline {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PlumbFailure.usage("\(path): cannot read the baseline")
    }
    do {
      return try Baseline.load(data, file: path)
    } catch {
      throw PlumbFailure.usage(error.description)
    }
  }

  /// The running executable's size and modification time: a rebuilt or replaced plumb reads differently,
  /// a copy made with its times kept (a container image) reads the same. Empty when it cannot be read.
  static func buildIdentity() -> String {
    var info = stat()
    guard stat("/proc/self/exe", &info) == 0 || stat(CommandLine.arguments[0], &info) == 0 else { return "" }
    return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }

  static func warn(_ message: String) {
    FileHandle.standardError.write(Data("plumb: \(message)\n".utf8))
  }
}
