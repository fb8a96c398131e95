// swift-tools-version:6.1
//
// Zhucan (助残): electronic disability certificates, identity and service codes.
// Modules depend downward only:
//   C libraries → signing → formats / domain → registry / audit → server → CLI.

import PackageDescription

let package = Package(
    name: "zhucan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zhucan", targets: ["zhucan"]),
        .library(name: "ZhucanSigning", targets: ["ZhucanSigning"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System OpenSSL 3 (libcrypto) with C shims for macros and variadics.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // Keys, signatures and digests through OpenSSL: SM2/SM3, ES256, Ed25519, PS256 (verify).
        .target(
            name: "ZhucanSigning",
            dependencies: ["COpenSSL"]
        ),

        // Test support: locating the external vectors, running the built binary.
        .target(
            name: "ZhucanTesting",
            dependencies: ["ZhucanSigning"]
        ),

        // The command-line tool.
        .executableTarget(
            name: "zhucan",
            dependencies: [
                "ZhucanSigning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks, built in release by `make bench-*`.
        .executableTarget(
            name: "zhucan-bench",
            dependencies: ["ZhucanSigning"]
        ),

        .testTarget(
            name: "ZhucanSigningTests",
            dependencies: ["ZhucanSigning", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanCLITests",
            dependencies: ["ZhucanSigning", "ZhucanTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
