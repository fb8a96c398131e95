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
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
    ],
    targets: [
        // System OpenSSL 3 (libcrypto) with C shims for macros and variadics.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // System zlib (RFC 1950): envelope compression and PNG.
        .systemLibrary(
            name: "CSystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // System libqrencode (ISO/IEC 18004): QR symbols.
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),

        // Keys, signatures and digests through OpenSSL: SM2/SM3, ES256, Ed25519, PS256 (verify).
        .target(
            name: "ZhucanSigning",
            dependencies: ["COpenSSL"]
        ),

        // Strict deterministic CBOR (RFC 8949): value model, encoder, bounded decoder.
        .target(name: "ZhucanCBOR"),

        // Chinese identifiers: citizen ID, disability certificate number, USCC, e-license
        // identifier, social-security card, region codes, names (masked by default).
        .target(name: "ZhucanIdentifiers"),

        // The signed envelope: base45, zlib, COSE_Sign1, CWT, prefixes, verification results.
        .target(
            name: "ZhucanEnvelope",
            dependencies: ["ZhucanSigning", "ZhucanCBOR", "CSystemZlib"]
        ),

        // CertLogic (restricted JsonLogic) for the service catalogue's eligibility rules.
        .target(name: "ZhucanCertLogic"),

        // IETF Token Status List (draft-ietf-oauth-status-list): per-certificate status.
        .target(
            name: "ZhucanStatusList",
            dependencies: ["ZhucanEnvelope", "ZhucanCBOR", "ZhucanSigning"]
        ),

        // The issued objects: certificates, identity and service codes, trust lists, and
        // offline verification against a trust anchor, trust list and status lists.
        .target(
            name: "ZhucanCredentials",
            dependencies: [
                "ZhucanEnvelope", "ZhucanIdentifiers", "ZhucanStatusList", "ZhucanSigning", "ZhucanCBOR", "ZhucanCatalogue",
                "ZhucanCertLogic",
            ]
        ),

        // What a verification service keeps, whoever runs it: API keys, redemptions and events
        // (the `ServiceStore` protocol and its values; no database).
        .target(
            name: "ZhucanServiceStore",
            dependencies: ["ZhucanSigning"]
        ),

        // The issuer's registry: certificates, events, keys, publications and the transparency
        // log (SQLite via GRDB); also the service store of one instance on SQLite.
        .target(
            name: "ZhucanRegistry",
            dependencies: [
                "ZhucanSigning", "ZhucanCBOR", "ZhucanTransparency", "ZhucanServiceStore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // The HTTP service's store (API keys, verification, redemption and lookup events) on
        // PostgreSQL, for many service instances sharing one database (postgres-nio).
        .target(
            name: "ZhucanPostgres",
            dependencies: [
                "ZhucanServiceStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),

        // The transparency log core: RFC 9162 Merkle tree and proofs, C2SP checkpoints and
        // signed notes.
        .target(
            name: "ZhucanTransparency",
            dependencies: ["ZhucanSigning", "ZhucanCBOR"]
        ),

        // The auditor's side of the transparency log: checks a log from its entries and
        // checkpoints alone, export files, inclusion proofs of certificates. It links neither
        // the issuer nor its registry (nor GRDB).
        .target(
            name: "ZhucanAudit",
            dependencies: ["ZhucanTransparency", "ZhucanCredentials", "ZhucanEnvelope", "ZhucanSigning", "ZhucanStatusList", "ZhucanCatalogue"]
        ),

        // Files staff bring and take away: spreadsheets as staff keep them (.xlsx, CSV in UTF-8
        // or GB18030) read row by row with errors naming the row and column, and .xlsx or CSV
        // written with formula cells neutralised.
        .target(
            name: "ZhucanSpreadsheet",
            dependencies: [
                "ZhucanIdentifiers", .product(name: "CSV", package: "CSV.swift"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "XMLCoder", package: "XMLCoder"),
            ]
        ),

        // The issuer's work: workspace, issuance (single and batch), codes, status changes,
        // trust and status list publication.
        .target(
            name: "ZhucanIssuer",
            dependencies: [
                "ZhucanCredentials", "ZhucanRegistry", "ZhucanIdentifiers", "ZhucanEnvelope", "ZhucanSigning",
                "ZhucanStatusList", "ZhucanCatalogue", "ZhucanCBOR", "ZhucanTransparency", "ZhucanSpreadsheet",
            ],
            // The public demo keys, compiled into the binary so that `zhucan init --demo`
            // works from any folder (links to keys/, the one copy).
            resources: [
                .embedInCode("DemoKeys/demo-root-sm2.key.pem"), .embedInCode("DemoKeys/demo-sm2.key.pem"),
                .embedInCode("DemoKeys/demo-es256.key.pem"), .embedInCode("DemoKeys/demo-ed25519.key.pem"),
                .embedInCode("DemoKeys/demo-log-ed25519.key.pem"),
            ]
        ),

        // The one-thing service catalogue: format, the Pinghu catalogue, entitlements.
        .target(
            name: "ZhucanCatalogue",
            dependencies: ["ZhucanCertLogic", "ZhucanIdentifiers", "ZhucanEnvelope", "ZhucanCBOR"],
            resources: [
                .copy("Resources/pinghu-catalogue.json"), .copy("Resources/pinghu-catalogue.tests.json"),
                .copy("Resources/pinghu-catalogue-2027.json"), .copy("Resources/pinghu-catalogue-2027.tests.json"),
                .embedInCode("Resources/pinghu-plan.json"),
            ]
        ),

        // QR symbols and their terminal, PNG and SVG renderings.
        .target(
            name: "ZhucanQR",
            dependencies: ["CQRencode", "CSystemZlib"]
        ),

        // Coverage-guided fuzzing (libFuzzer, `make fuzz`): one target per decoder a stranger's
        // bytes reach, and the executable libFuzzer drives (Fuzz/README.md).
        .target(
            name: "ZhucanFuzzTargets",
            dependencies: [
                "ZhucanCBOR", "ZhucanCertLogic", "ZhucanCredentials", "ZhucanEnvelope", "ZhucanSigning", "ZhucanSpreadsheet",
                "ZhucanStatusList", "ZhucanTransparency", .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Fuzz/ZhucanFuzzTargets"
        ),
        .executableTarget(
            name: "zhucan-fuzz",
            dependencies: ["ZhucanFuzzTargets"],
            path: "Fuzz/zhucan-fuzz"
        ),

        // Test support: locating the external vectors and the tests' PostgreSQL server, running
        // the built binary.
        .target(
            name: "ZhucanTesting",
            dependencies: [
                "ZhucanSigning", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ZhucanTesting"
        ),

        // What the issuer's service and the verification nodes share over HTTP (Hummingbird 2):
        // verify and redeem, API keys, limits, errors, request logs and metrics.
        .target(
            name: "ZhucanHTTP",
            dependencies: [
                "ZhucanServiceStore", "ZhucanCredentials", "ZhucanEnvelope", "ZhucanCatalogue", "ZhucanIdentifiers", "ZhucanSigning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The issuer's service over HTTP: verify, redeem, mint codes, publish trust, status
        // and catalogue and the log, social-security-card lookup, statistics.
        .target(
            name: "ZhucanServer",
            dependencies: [
                "ZhucanHTTP", "ZhucanServiceStore", "ZhucanIssuer", "ZhucanCredentials", "ZhucanRegistry", "ZhucanEnvelope",
                "ZhucanCatalogue", "ZhucanCertLogic", "ZhucanIdentifiers", "ZhucanSigning", "ZhucanTransparency", "ZhucanQR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The holder's and the window's pages, compiled into the binary.
            resources: [
                .embedInCode("Pages/holder.html"), .embedInCode("Pages/holder.js"), .embedInCode("Pages/window.html"),
                .embedInCode("Pages/window.js"), .embedInCode("Pages/pages.css"),
            ]
        ),

        // A verification node: verifies and redeems with public material only, fetched from
        // the issuer's public endpoints and checked (trust, status, catalogue, log
        // checkpoints). It links neither the issuer nor its registry.
        .target(
            name: "ZhucanNode",
            dependencies: [
                "ZhucanHTTP", "ZhucanServiceStore", "ZhucanCredentials", "ZhucanCatalogue", "ZhucanEnvelope", "ZhucanSigning",
                "ZhucanTransparency",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The command-line tool.
        .executableTarget(
            name: "zhucan",
            dependencies: [
                "ZhucanSigning",
                "ZhucanEnvelope",
                "ZhucanCredentials",
                "ZhucanIssuer",
                "ZhucanIdentifiers",
                "ZhucanQR",
                "ZhucanCatalogue",
                "ZhucanCertLogic",
                "ZhucanServer",
                "ZhucanHTTP",
                "ZhucanNode",
                "ZhucanServiceStore",
                "ZhucanRegistry",
                "ZhucanAudit",
                "ZhucanTransparency",
                "ZhucanSpreadsheet",
                "ZhucanPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks, built in release by `make bench-*`.
        .executableTarget(
            name: "zhucan-bench",
            dependencies: ["ZhucanSigning", "ZhucanRegistry", "ZhucanCredentials", "ZhucanEnvelope", "ZhucanIssuer", "ZhucanQR"],
            path: "Benchmarks/zhucan-bench"
        ),

        .testTarget(
            name: "ZhucanSigningTests",
            dependencies: ["ZhucanSigning", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanCBORTests",
            dependencies: ["ZhucanCBOR", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanIdentifiersTests",
            dependencies: ["ZhucanIdentifiers", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanEnvelopeTests",
            dependencies: ["ZhucanEnvelope", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanCertLogicTests",
            dependencies: ["ZhucanCertLogic", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanStatusListTests",
            dependencies: ["ZhucanStatusList", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanTransparencyTests",
            dependencies: ["ZhucanTransparency", "ZhucanSigning", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanCredentialsTests",
            dependencies: ["ZhucanCredentials", "ZhucanEnvelope", "ZhucanSigning", "ZhucanIdentifiers", "ZhucanStatusList", "ZhucanQR", "ZhucanCBOR"]
        ),
        .testTarget(
            name: "ZhucanQRTests",
            dependencies: ["ZhucanQR", "ZhucanTesting"]
        ),
        .testTarget(
            name: "ZhucanIssuerTests",
            dependencies: ["ZhucanIssuer", "ZhucanIdentifiers", "ZhucanSpreadsheet", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(
            name: "ZhucanAuditTests",
            dependencies: ["ZhucanAudit", "ZhucanRegistry", "ZhucanTransparency", "ZhucanCBOR", "ZhucanTesting"]
        ),
        .testTarget(name: "ZhucanCatalogueTests", dependencies: ["ZhucanCatalogue", "ZhucanCertLogic", "ZhucanIdentifiers", "ZhucanTesting"]),
        .testTarget(
            name: "ZhucanServerTests",
            dependencies: [
                "ZhucanServer", "ZhucanHTTP", "ZhucanServiceStore", "ZhucanIssuer", "ZhucanRegistry", "ZhucanIdentifiers",
                "ZhucanTesting", "ZhucanTransparency", "ZhucanSigning", "ZhucanCredentials", "ZhucanEnvelope", "ZhucanPostgres", "ZhucanCertLogic",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ZhucanNodeTests",
            dependencies: [
                "ZhucanNode", "ZhucanHTTP", "ZhucanIssuer", "ZhucanIdentifiers", "ZhucanTesting", "ZhucanCredentials", "ZhucanEnvelope",
                "ZhucanCatalogue", "ZhucanSigning", "ZhucanTransparency", "ZhucanStatusList", "ZhucanRegistry", "ZhucanServiceStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ZhucanFuzzTests", dependencies: ["ZhucanFuzzTargets", "ZhucanTesting"]),
        .testTarget(
            name: "ZhucanCLITests",
            dependencies: [
                "ZhucanSigning", "ZhucanEnvelope", "ZhucanCredentials", "ZhucanRegistry", "ZhucanServiceStore", "ZhucanTesting", "ZhucanTransparency",
                "ZhucanIssuer", "ZhucanIdentifiers", "ZhucanSpreadsheet",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
