/// A Terraform module `source` argument, classified the way `terraform init` reads it.
public struct ModuleSource: Sendable, Equatable {
  public enum Kind: String, Sendable { case local, registry, github, bitbucket, git, mercurial, s3, gcs, http, invalid }

  public var raw: String
  public var kind: Kind
  /// Stable identity for roll-ups: registry "HOST/NAMESPACE/NAME/PROVIDER" (host defaults to "registry.terraform.io", lower-cased);
  /// git-like sources: the repository as "host/path" lower-cased with no scheme, no user, no ".git" suffix, no //subdir, no query
  /// (so "git::https://github.com/acme/mods.git//vpc?ref=v1", "github.com/acme/mods//vpc" and "git@github.com:acme/mods.git" all give "github.com/acme/mods");
  /// local: the path as written; s3/gcs/http: the URL without query.
  public var address: String
  /// The part after "//" (Terraform's subdir), if any.
  public var subdirectory: String?
  /// The `?ref=` value, raw ("tags/0.4.0" and "refs/tags/v1.2.0" kept as written).
  public var ref: String?
  /// Terragrunt "tfr:///ns/name/provider?version=5.1.2" (and tfr://host/...).
  public var version: String?
  /// Every query parameter (ref, depth, sshkey, archive, version, ...), percent-decoded.
  public var query: [String: String]
  /// For `.invalid`: a sentence saying why Terraform would not install it.
  public var problem: String?

  public init(
    raw: String, kind: Kind, address: String, subdirectory: String? = nil, ref: String? = nil,
    version: String? = nil, query: [String: String] = [:], problem: String? = nil
  ) {
    self.raw = raw
    self.kind = kind
    self.address = address
    self.subdirectory = subdirectory
    self.ref = ref
    self.version = version
    self.query = query
    self.problem = problem
  }

  /// A source as Terragrunt's `terraform { source = ... }` reads it (`tfr://` included) or, with `terragrunt`
  /// false, as a `module` block in a `.tf` file does: Terraform has no `tfr://` installer, so it is refused.
  public static func parse(_ raw: String, terragrunt: Bool = true) -> ModuleSource {
    if !terragrunt && PinsText.hasPrefixIgnoringCase(raw, "tfr://") {
      return ModuleSource(
        raw: raw, kind: .invalid, address: raw,
        problem: "tfr:// is Terragrunt's registry scheme; a module block takes the registry address "
          + "(NAMESPACE/NAME/PROVIDER) with a version argument.")
    }
    return ModuleSourceScanner(raw: raw).classify()
  }

  /// The ref read as a tag name when it is spelled as one: "tags/0.4.0" -> "0.4.0", "refs/tags/v1.2.0" -> "v1.2.0"; nil otherwise.
  public var refTagName: String? {
    guard let ref else { return nil }
    for prefix in ["refs/tags/", "tags/"] where ref.hasPrefix(prefix) {
      let name = String(ref.dropFirst(prefix.count))
      return name.isEmpty ? nil : name
    }
    return nil
  }

  /// True when ref is a full 40-hex (or 64-hex) commit id.
  public var refIsCommitID: Bool {
    guard let ref else { return false }
    return PinsText.isFullCommitID(ref)
  }

  /// True when the ref looks like a version ("v1.2.3", "1.2", "v2", "1.0.0-rc.1", also after tags/ or refs/tags/).
  public var refLooksLikeVersion: Bool {
    guard let name = refTagName ?? ref else { return false }
    return parseSemanticVersion(name) != nil
  }
}

/// Hand-written classifier mirroring Terraform's addrs.ParseModuleSource and go-getter's detectors.
private struct ModuleSourceScanner {
  let raw: String

  static let defaultRegistryHost = "registry.terraform.io"
  static let forcedGetters: Set<String> = ["git", "hg", "s3", "gcs", "http", "https", "file"]

  func classify() -> ModuleSource {
    if raw.isEmpty {
      return invalid(
        "The module source is empty; Terraform needs a local path (./ or ../), a registry address or a remote address.")
    }
    if raw.allSatisfy(\.isWhitespace) {
      return invalid(
        "The module source is blank; Terraform needs a local path (./ or ../), a registry address or a remote address.")
    }
    // Terraform's own local-path prefixes, Windows separators included.
    for prefix in ["./", "../", ".\\", "..\\"] where raw.hasPrefix(prefix) {
      return ModuleSource(raw: raw, kind: .local, address: raw)
    }
    if PinsText.hasPrefixIgnoringCase(raw, "tfr://") {
      return classifyTerragruntRegistry()
    }
    if let forced = splitForcedGetter(raw) {
      return classifyForced(getter: forced.getter, rest: forced.rest)
    }
    let (package, subdir) = PinsText.splitSubdirectory(raw)
    if let subdir, escapesPackage(subdir) {
      return invalid("The subdirectory \"\(subdir)\" leads outside of the module package.")
    }
    if case .success(let address) = parseRegistryAddress(package) {
      return ModuleSource(raw: raw, kind: .registry, address: address, subdirectory: subdir)
    }
    return classifyUnforced(package: package, subdir: subdir)
  }

  // MARK: Forced getters ("git::", "hg::", ...)

  func classifyForced(getter: String, rest: String) -> ModuleSource {
    let name = getter.lowercased()
    guard Self.forcedGetters.contains(name) else {
      return invalid(
        "\"\(getter)::\" is not a source type Terraform knows; use git::, hg::, s3::, gcs::, http:: or https::.")
    }
    if rest.isEmpty {
      return invalid("\"\(getter)::\" is not followed by an address.")
    }
    let (package, subdir) = PinsText.splitSubdirectory(rest)
    if let subdir, escapesPackage(subdir) {
      return invalid("The subdirectory \"\(subdir)\" leads outside of the module package.")
    }
    let (base, queryText) = PinsText.splitQuery(package)
    let query = PinsText.parseQuery(queryText)
    switch name {
    case "git":
      guard let address = gitRepositoryIdentity(base) else {
        return invalid(
          "\"git::\" must be followed by a Git URL (https://…, ssh://…, or scp-like user@host:path); \"\(base)\" is none of those."
        )
      }
      return remote(.git, address: address, subdir: subdir, query: query)
    case "hg":
      guard let url = SchemeURL(base), !url.host.isEmpty || url.scheme == "file" else {
        return invalid(
          "\"hg::\" must be followed by a Mercurial URL such as http://example.com/repo; \"\(base)\" is not one.")
      }
      return remote(.mercurial, address: url.repositoryIdentity(stripGitSuffix: false), subdir: subdir, query: query)
    case "s3":
      guard let address = bucketURL(base, marker: "amazonaws.com") else {
        return invalid(
          "\"s3::\" must be followed by an S3 object URL such as https://s3-eu-west-1.amazonaws.com/BUCKET/KEY; \"\(base)\" is not one."
        )
      }
      return remote(.s3, address: address, subdir: subdir, query: query)
    case "gcs":
      guard let address = bucketURL(base, marker: "googleapis.com") else {
        return invalid(
          "\"gcs::\" must be followed by a GCS object URL such as https://www.googleapis.com/storage/v1/BUCKET/PATH; \"\(base)\" is not one."
        )
      }
      return remote(.gcs, address: address, subdir: subdir, query: query)
    case "http", "https":
      guard let url = SchemeURL(base), url.scheme == "http" || url.scheme == "https", !url.host.isEmpty else {
        return invalid("\"\(getter)::\" must be followed by an http:// or https:// URL; \"\(base)\" is not one.")
      }
      return remote(.http, address: base, subdir: subdir, query: query)
    default:
      return absolutePathProblem(base)
    }
  }

  // MARK: Unprefixed remote addresses (go-getter's detectors)

  func classifyUnforced(package: String, subdir: String?) -> ModuleSource {
    let (base, queryText) = PinsText.splitQuery(package)
    let query = PinsText.parseQuery(queryText)
    if looksLikeDrivePath(base) || base.hasPrefix("/") || base.hasPrefix("\\") {
      return absolutePathProblem(base)
    }
    if let url = SchemeURL(base) {
      switch url.scheme {
      case "http", "https":
        guard !url.host.isEmpty else { return invalid("\"\(base)\" is a URL without a host.") }
        return remote(.http, address: base, subdir: subdir, query: query)
      case "git":
        guard !url.host.isEmpty else { return invalid("\"\(base)\" is a git:// URL without a host.") }
        return remote(.git, address: url.repositoryIdentity(stripGitSuffix: true), subdir: subdir, query: query)
      case "s3", "gcs":
        // go-getter's bucket installers only understand https:// object URLs, not bucket-scheme URLs.
        let example =
          url.scheme == "s3"
          ? "s3::https://s3-REGION.amazonaws.com/BUCKET/KEY" : "gcs::https://www.googleapis.com/storage/v1/BUCKET/PATH"
        return invalid(
          "Terraform cannot install \"\(base)\"; write the bucket object as an https URL such as \(example).")
      case "file":
        return absolutePathProblem(base)
      case "ssh":
        return invalid("Terraform has no installer for a bare ssh:// URL; write \"git::\(base)\" to clone it with Git.")
      default:
        return invalid("Terraform has no installer for the \"\(url.scheme)\" URL scheme in \"\(base)\".")
      }
    }
    if PinsText.hasPrefixIgnoringCase(base, "github.com/") {
      return classifyShorthand(.github, base: base, subdir: subdir, query: query, example: "github.com/OWNER/REPO")
    }
    if let scp = ScpAddress(base) {
      guard scp.user == "git" else {
        return invalid(
          "\"\(base)\" looks like an SSH address; Terraform recognises scp-like addresses without a prefix only for the user \"git\", so write \"git::\(base)\"."
        )
      }
      let identity = scp.repositoryIdentity
      let kind: ModuleSource.Kind = scp.host.lowercased() == "github.com" ? .github : .git
      return remote(kind, address: identity, subdir: subdir, query: query)
    }
    if PinsText.hasPrefixIgnoringCase(base, "bitbucket.org/") {
      return classifyShorthand(
        .bitbucket, base: base, subdir: subdir, query: query, example: "bitbucket.org/OWNER/REPO")
    }
    if base.contains("googleapis.com/") {
      return remote(.gcs, address: "https://" + base, subdir: subdir, query: query)
    }
    if base.contains(".amazonaws.com/") {
      return remote(.s3, address: "https://" + base, subdir: subdir, query: query)
    }
    return bareWordProblem(package: package, base: base, queryText: queryText)
  }

  /// github.com/OWNER/REPO[/sub/dir] and bitbucket.org/OWNER/REPO: extra path segments are an implicit subdirectory.
  func classifyShorthand(
    _ kind: ModuleSource.Kind, base: String, subdir: String?, query: [String: String], example: String
  ) -> ModuleSource {
    let parts = base.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count >= 3, !parts[1].isEmpty, !parts[2].isEmpty else {
      return invalid("\"\(base)\" must name a repository as \(example).")
    }
    var repo = parts[2]
    if repo.lowercased().hasSuffix(".git") { repo = repo.dropLast(4) }
    let address = "\(parts[0])/\(parts[1])/\(repo)".lowercased()
    var implicit = parts.dropFirst(3).joined(separator: "/")
    if let subdir { implicit = implicit.isEmpty ? subdir : implicit + "/" + subdir }
    return remote(kind, address: address, subdir: implicit.isEmpty ? nil : implicit, query: query)
  }

  // MARK: Terragrunt tfr://

  func classifyTerragruntRegistry() -> ModuleSource {
    let usage = "A Terragrunt tfr:// source must be tfr://[HOST]/NAMESPACE/NAME/PROVIDER?version=VERSION"
    let afterScheme = raw.dropFirst("tfr://".count)
    guard let slash = afterScheme.firstIndex(of: "/") else {
      return invalid("\(usage); \"\(raw)\" has no module path.")
    }
    let host = String(afterScheme[..<slash])
    let (package, subdir) = PinsText.splitSubdirectory(String(afterScheme[afterScheme.index(after: slash)...]))
    let (path, queryText) = PinsText.splitQuery(package)
    let query = PinsText.parseQuery(queryText)
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3 else {
      return invalid("\(usage); \"\(raw)\" does not have those three path components.")
    }
    if let subdir, escapesPackage(subdir) {
      return invalid("The subdirectory \"\(subdir)\" leads outside of the module package.")
    }
    let registryHost = host.isEmpty ? Self.defaultRegistryHost : host
    guard isRegistryHostname(registryHost) else {
      return invalid("\(usage); \"\(host)\" is not a valid registry hostname.")
    }
    if let detail = registryNameProblem(parts[0], parts[1], parts[2]) {
      return invalid("\(usage); \(detail).")
    }
    guard let version = query["version"], !version.isEmpty else {
      return invalid("Terragrunt rejects a tfr:// source without a ?version= query parameter.")
    }
    let address = "\(registryHost)/\(parts.joined(separator: "/"))".lowercased()
    return ModuleSource(
      raw: raw, kind: .registry, address: address, subdirectory: subdir, ref: query["ref"],
      version: version, query: query)
  }

  // MARK: Registry addresses

  enum RegistryParse { case success(String), failure(String) }

  /// Terraform's parseModuleSourceRegistry: [HOST/]NAMESPACE/NAME/PROVIDER.
  func parseRegistryAddress(_ text: String) -> RegistryParse {
    var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3 || parts.count == 4 else {
      return .failure("a registry address has three or four slash-separated components")
    }
    var host = Self.defaultRegistryHost
    if parts.count == 4 {
      guard isRegistryHostname(parts[0]) else {
        return .failure("\"\(parts[0])\" is not a valid registry hostname (it must contain a dot)")
      }
      host = parts[0].lowercased()
      if host == "github.com" || host == "bitbucket.org" {
        return .failure("\(host) is reserved for installing directly from version control")
      }
      parts.removeFirst()
    }
    if parts[0].contains(".") {
      return .failure(
        "a registry hostname must be followed by three more components: the namespace, the name and the target system")
    }
    if let detail = registryNameProblem(parts[0], parts[1], parts[2]) {
      return .failure(detail)
    }
    return .success("\(host)/\(parts[0])/\(parts[1])/\(parts[2])".lowercased())
  }

  func registryNameProblem<S: StringProtocol>(_ namespace: S, _ name: S, _ system: S) -> String? {
    if !isRegistryName(namespace) {
      return
        "invalid namespace \"\(namespace)\" (1–64 ASCII letters, digits, dashes or underscores, not starting or ending with - or _)"
    }
    if !isRegistryName(name) {
      return
        "invalid module name \"\(name)\" (1–64 ASCII letters, digits, dashes or underscores, not starting or ending with - or _)"
    }
    if system.contains("?") {
      return "registry addresses cannot carry a query string; pin registry modules with the version argument"
    }
    let ok =
      !system.isEmpty && system.utf8.count <= 64
      && system.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }
    return ok ? nil : "invalid target system \"\(system)\" (1–64 lower-case ASCII letters or digits)"
  }

  /// ^[0-9A-Za-z](?:[0-9A-Za-z-_]{0,62}[0-9A-Za-z])?$ as a scan.
  func isRegistryName<S: StringProtocol>(_ text: S) -> Bool {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= 64 else { return false }
    for (index, byte) in bytes.enumerated() {
      let alnum = PinsText.isASCIIAlphanumeric(byte)
      let edge = index == 0 || index == bytes.count - 1
      if !(alnum || (!edge && (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")))) { return false }
    }
    return true
  }

  /// A registry host: labels of letters (any script), digits and dashes, at least one dot, optional :port.
  func isRegistryHostname(_ text: String) -> Bool {
    var host = Substring(text)
    if let colon = host.lastIndex(of: ":") {
      let port = host[host.index(after: colon)...]
      guard !port.isEmpty, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
      host = host[..<colon]
    }
    guard host.contains("."), !host.hasPrefix("."), !host.hasSuffix("."), !host.contains("..") else { return false }
    return host.unicodeScalars.allSatisfy { scalar in
      scalar.value > 0x7F
        ? scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        : PinsText.isASCIIAlphanumeric(UInt8(scalar.value)) || scalar == "-" || scalar == "."
    }
  }

  // MARK: Problems

  func bareWordProblem(package: String, base: String, queryText: String?) -> ModuleSource {
    let registry = parseRegistryAddress(base)
    if queryText != nil, case .success = registry {
      return invalid(
        "Registry address \"\(base)\" cannot carry a query string; pin registry modules with the module's version argument."
      )
    }
    let sentence =
      "\"\(raw)\" is neither a local path (must start with ./ or ../) nor a registry address (HOST/NAMESPACE/NAME/PROVIDER)"
    let components = base.split(separator: "/", omittingEmptySubsequences: false).count
    if case .failure(let detail) = registry, components == 3 || components == 4 {
      return invalid(sentence + ": " + detail + ".")
    }
    return invalid(sentence)
  }

  func absolutePathProblem(_ path: String) -> ModuleSource {
    invalid(
      "\"\(path)\" is an absolute filesystem path, which Terraform does not treat as a local module (local paths must start with ./ or ../); it would be copied like a remote package and tie the configuration to one machine's layout."
    )
  }

  func invalid(_ problem: String) -> ModuleSource {
    ModuleSource(raw: raw, kind: .invalid, address: raw, problem: problem)
  }

  func remote(_ kind: ModuleSource.Kind, address: String, subdir: String?, query: [String: String]) -> ModuleSource {
    ModuleSource(raw: raw, kind: kind, address: address, subdirectory: subdir, ref: query["ref"], query: query)
  }

  // MARK: Address helpers

  /// The repository identity for the address after "git::".
  func gitRepositoryIdentity(_ base: String) -> String? {
    if let url = SchemeURL(base) {
      if url.host.isEmpty && url.scheme != "file" { return nil }
      return url.repositoryIdentity(stripGitSuffix: true)
    }
    if PinsText.hasPrefixIgnoringCase(base, "github.com/") || PinsText.hasPrefixIgnoringCase(base, "bitbucket.org/") {
      let parts = base.split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count >= 3, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
      return PinsText.repositoryIdentity(host: parts[0], path: parts[1...2].joined(separator: "/"))
    }
    return ScpAddress(base)?.repositoryIdentity
  }

  func bucketURL(_ base: String, marker: String) -> String? {
    if let url = SchemeURL(base) {
      return url.host.isEmpty ? nil : base
    }
    return base.contains(marker + "/") ? "https://" + base : nil
  }

  func escapesPackage(_ subdir: String) -> Bool {
    subdir == ".." || subdir.hasPrefix("../")
  }

  func looksLikeDrivePath(_ text: String) -> Bool {
    let bytes = Array(text.utf8.prefix(3))
    return bytes.count == 3 && PinsText.isASCIILetter(bytes[0]) && bytes[1] == UInt8(ascii: ":")
      && (bytes[2] == UInt8(ascii: "\\") || bytes[2] == UInt8(ascii: "/"))
  }

  /// go-getter's `^([A-Za-z0-9]+)::(.*)$`, keeping an empty rest so "git::" can be reported.
  func splitForcedGetter(_ text: String) -> (getter: String, rest: String)? {
    var index = text.startIndex
    while index < text.endIndex, let ascii = text[index].asciiValue, PinsText.isASCIIAlphanumeric(ascii) {
      index = text.index(after: index)
    }
    guard index > text.startIndex, text[index...].hasPrefix("::") else { return nil }
    return (String(text[..<index]), String(text[text.index(index, offsetBy: 2)...]))
  }
}

/// Small text helpers shared by the pin parsers, namespaced to stay clear of the host module.
enum PinsText {
  /// go-getter's SourceDirSubdir: the first "//" after any "scheme://" and before "?" starts the subdirectory.
  static func splitSubdirectory(_ text: String) -> (String, String?) {
    let stop = text.firstIndex(of: "?") ?? text.endIndex
    let head = text[..<stop]
    var searchStart = head.startIndex
    if let schemeEnd = head.firstRange(of: "://") {
      searchStart = schemeEnd.upperBound
    }
    guard let marker = head[searchStart...].firstRange(of: "//") else { return (text, nil) }
    let subdir = String(head[marker.upperBound...])
    let package = String(head[..<marker.lowerBound]) + String(text[stop...])
    return (package, subdir.isEmpty ? nil : subdir)
  }

  static func splitQuery(_ text: String) -> (String, String?) {
    guard let mark = text.firstIndex(of: "?") else { return (text, nil) }
    return (String(text[..<mark]), String(text[text.index(after: mark)...]))
  }

  /// Go's url.ParseQuery: '&'-separated pairs, '+' is a space, the first value of a key wins.
  static func parseQuery(_ text: String?) -> [String: String] {
    guard let text, !text.isEmpty else { return [:] }
    var result: [String: String] = [:]
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let equals = pair.firstIndex(of: "=")
      let rawKey = equals.map { pair[..<$0] } ?? pair
      let rawValue = equals.map { pair[pair.index(after: $0)...] } ?? ""
      let key = percentDecode(rawKey) ?? String(rawKey)
      if key.isEmpty || result[key] != nil { continue }
      result[key] = percentDecode(rawValue) ?? String(rawValue)
    }
    return result
  }

  /// Percent-decoding with '+' as space; nil on a malformed escape.
  static func percentDecode<S: StringProtocol>(_ text: S) -> String? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = Array(text.utf8)[...]
    while let byte = iterator.popFirst() {
      if byte == UInt8(ascii: "+") {
        bytes.append(UInt8(ascii: " "))
      } else if byte == UInt8(ascii: "%") {
        guard let high = iterator.popFirst().flatMap(hexValue), let low = iterator.popFirst().flatMap(hexValue) else {
          return nil
        }
        bytes.append(high << 4 | low)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x61...0x66: return byte - 0x61 + 10
    case 0x41...0x46: return byte - 0x41 + 10
    default: return nil
    }
  }

  static func isASCIILetter(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
  }

  static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39)
  }

  static func hasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool {
    text.utf8.count >= prefix.utf8.count && text.prefix(prefix.count).lowercased() == prefix.lowercased()
  }

  /// "host/path" lower-cased: no user, no port, no leading slash or "~", no trailing ".git".
  static func repositoryIdentity<S: StringProtocol, P: StringProtocol>(host: S, path: P, stripGitSuffix: Bool = true)
    -> String
  {
    var hostPart = Substring(host)
    if let at = hostPart.lastIndex(of: "@") { hostPart = hostPart[hostPart.index(after: at)...] }
    if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
      hostPart = hostPart[...close]
    } else if let colon = hostPart.lastIndex(of: ":") {
      hostPart = hostPart[..<colon]
    }
    var pathPart = Substring(path)
    while let first = pathPart.first, first == "/" || first == "~" { pathPart = pathPart.dropFirst() }
    while pathPart.hasSuffix("/") { pathPart = pathPart.dropLast() }
    if stripGitSuffix && pathPart.lowercased().hasSuffix(".git") { pathPart = pathPart.dropLast(4) }
    while pathPart.hasSuffix("/") { pathPart = pathPart.dropLast() }
    let joined = pathPart.isEmpty ? String(hostPart) : "\(hostPart)/\(pathPart)"
    return joined.lowercased()
  }

  /// True for a full SHA-1 (40) or SHA-256 (64) object id in hex.
  static func isFullCommitID(_ text: String) -> Bool {
    let bytes = text.utf8
    guard bytes.count == 40 || bytes.count == 64 else { return false }
    return bytes.allSatisfy(isHexDigit)
  }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    hexValue(byte) != nil
  }
}

/// A URL with a scheme, as Go's url.Parse would accept it: scheme ":" ["//" authority] path.
private struct SchemeURL {
  var scheme: String
  var host: String
  var path: String

  init?(_ text: String) {
    guard let colon = text.firstIndex(of: ":") else { return nil }
    let scheme = text[..<colon]
    guard let first = scheme.utf8.first, PinsText.isASCIILetter(first),
      scheme.utf8.allSatisfy({
        PinsText.isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
          || $0 == UInt8(ascii: ".")
      })
    else { return nil }
    self.scheme = scheme.lowercased()
    let rest = text[text.index(after: colon)...]
    if rest.hasPrefix("//") {
      let authorityAndPath = rest.dropFirst(2)
      let slash = authorityAndPath.firstIndex(of: "/") ?? authorityAndPath.endIndex
      host = String(authorityAndPath[..<slash])
      path = String(authorityAndPath[slash...])
    } else {
      host = ""
      path = String(rest)
    }
  }

  func repositoryIdentity(stripGitSuffix: Bool) -> String {
    PinsText.repositoryIdentity(host: host, path: path, stripGitSuffix: stripGitSuffix)
  }
}

/// Git's scp-like syntax: [user@]host:path, where host has no slash and path does not start with "//".
private struct ScpAddress {
  var user: String?
  var host: String
  var path: String

  init?(_ text: String) {
    guard let colon = text.firstIndex(of: ":") else { return nil }
    let authority = text[..<colon]
    let path = text[text.index(after: colon)...]
    guard !authority.isEmpty, !path.isEmpty, !authority.contains("/"), !path.hasPrefix("//") else { return nil }
    if let at = authority.lastIndex(of: "@") {
      user = String(authority[..<at])
      host = String(authority[authority.index(after: at)...])
      if user?.isEmpty == true { return nil }
    } else {
      user = nil
      host = String(authority)
    }
    guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
    self.path = String(path)
  }

  var repositoryIdentity: String {
    PinsText.repositoryIdentity(host: host, path: path)
  }
}
