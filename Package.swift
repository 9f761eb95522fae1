// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "plumb",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "plumb", targets: ["plumb"]),
    .executable(name: "plumb-fixtures", targets: ["plumb-fixtures"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/onevcat/Rainbow", exact: "4.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/mxcl/Version", exact: "2.2.1"),
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
  ],
  targets: [
    // The only module that sees libgit2's C API.
    .systemLibrary(
      name: "CLibgit2",
      pkgConfig: "libgit2",
      providers: [.apt(["libgit2-dev"])]
    ),
    .target(name: "GitKit", dependencies: ["CLibgit2"]),
    .target(
      name: "Formats",
      dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Version", package: "Version")]
    ),
    .target(
      name: "PlumbCore",
      dependencies: [
        "GitKit", "Formats",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Version", package: "Version"),
      ]
    ),
    .target(
      name: "Estate",
      dependencies: [
        "PlumbCore", "GitKit", "Formats", .product(name: "Version", package: "Version"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
    .target(
      name: "Reports",
      dependencies: [
        "PlumbCore", "Estate", .product(name: "Rainbow", package: "Rainbow"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .target(name: "FixtureKit", dependencies: [.product(name: "Yams", package: "Yams")]),
    .executableTarget(
      name: "plumb",
      dependencies: [
        "PlumbCore", "Estate", "Reports", "GitKit", "Formats",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Version", package: "Version"),
      ]
    ),
    .executableTarget(
      name: "plumb-fixtures",
      dependencies: ["FixtureKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(name: "GitKitTests", dependencies: ["GitKit", "FixtureKit"]),
    .testTarget(
      name: "FormatsTests", dependencies: ["Formats", .product(name: "Version", package: "Version")]
    ),
    .testTarget(
      name: "PlumbCoreTests",
      dependencies: [
        "PlumbCore", "Estate", "Reports", "GitKit", "FixtureKit", "Formats",
        .product(name: "Version", package: "Version"), .product(name: "Yams", package: "Yams"),
      ]
    ),
    .testTarget(
      name: "EstateTests",
      dependencies: ["Estate", "PlumbCore", "FixtureKit", .product(name: "GRDB", package: "GRDB.swift")]
    ),
    .testTarget(
      name: "PlumbTests",
      dependencies: [
        "PlumbCore", "Estate", "Reports", "FixtureKit", .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
