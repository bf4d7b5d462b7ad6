// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Baton",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Biscuit", targets: ["Biscuit"]),
        .library(name: "BiscuitForge", targets: ["BiscuitForge"]),
        .library(name: "BatonCrypto", targets: ["BatonCrypto"]),
        .library(name: "JOSE", targets: ["JOSE"]),
        .library(name: "AIP", targets: ["AIP"]),
        .library(name: "TokenExchange", targets: ["TokenExchange"]),
        .library(name: "BatonRuntime", targets: ["BatonRuntime"]),
        .library(name: "BatonConformance", targets: ["BatonConformance"]),
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-bench", targets: ["BatonBench"]),
        .executable(name: "baton-fuzz", targets: ["baton-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // libsodium, the only crypto backend for Ed25519, SHA-256 and randomness.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // Keys, signatures, hashing and encodings over libsodium.
        .target(name: "BatonCrypto", dependencies: ["CSodium"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Generated from Proto/biscuit/schema.proto by scripts/generate-protos.sh.
        .target(
            name: "BiscuitSchema",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Biscuit tokens: wire format, signatures, Datalog engine, text parser and printer.
        .target(name: "Biscuit", dependencies: ["BatonCrypto", "BiscuitSchema"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Raw token surgery for attacks, kept apart from the safe Biscuit API.
        .target(name: "BiscuitForge", dependencies: ["Biscuit", "BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // JWS/JWT/JWK: compact tokens, algorithms (EdDSA, ES256), keys, claims validation.
        .target(
            name: "JOSE",
            dependencies: ["BatonCrypto", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // AIP chained tokens (Biscuit) and compact tokens (one-hop EdDSA JWTs, `typ: aip+jwt`).
        .target(name: "AIP", dependencies: ["Biscuit", "BatonCrypto", "JOSE"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // OAuth 2.0 Token Exchange (RFC 8693) for agents: the reference token service, actor
        // assertions, OAuth errors and the downstream verifier of the issued tokens.
        .target(
            name: "TokenExchange",
            dependencies: ["JOSE", "BatonCrypto", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The in-memory A2A runtime: JSON-RPC envelopes, agent cards, simulated agents, the bus, the clock.
        .target(name: "BatonRuntime", dependencies: ["BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Signed, hash-chained audit records of every call on the bus.
        .target(name: "BatonAudit", dependencies: ["BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Scenarios, implementations under test, the runner and its judgements.
        .target(
            name: "BatonConformance",
            dependencies: ["AIP", "Biscuit", "BiscuitForge", "BatonCrypto", "BatonRuntime", "BatonAudit", "JOSE", "TokenExchange",
                           .product(name: "Yams", package: "Yams")]
        ),
        // Report writers: JUnit XML, JSON, Markdown.
        .target(name: "BatonReports", dependencies: ["BatonConformance", "BatonAudit"]),
        // The `baton` command line.
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonConformance", "BatonReports", "BatonAudit", "AIP", "Biscuit", "BatonCrypto", "JOSE", "TokenExchange",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `swift run -c release baton-bench biscuit`.
        .executableTarget(
            name: "BatonBench",
            dependencies: [
                "Biscuit", "BatonCrypto", "AIP", "BatonRuntime", "BatonConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/BatonBench",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Fuzz targets (pure functions of their input bytes) and their seed inputs.
        .target(
            name: "BatonFuzzing",
            dependencies: ["Biscuit", "BiscuitForge", "AIP", "JOSE", "BatonConformance", "BatonCrypto"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // libFuzzer's driver declaration, used by `baton-fuzz` only when built with -DBATON_LIBFUZZER.
        .target(name: "CLibFuzzer"),
        // `baton-fuzz replay TARGET PATH...`; a libFuzzer binary when built by scripts/fuzz.sh.
        .executableTarget(
            name: "baton-fuzz",
            dependencies: [
                "BatonFuzzing", "BatonCrypto", "CLibFuzzer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(name: "BatonFuzzingTests", dependencies: ["BatonFuzzing", "BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "BatonCryptoTests", dependencies: ["BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "BatonConformanceTests",
            dependencies: ["BatonConformance", "BatonReports", "BatonRuntime", "BatonAudit", "AIP", "JOSE", "TokenExchange"],
            exclude: ["Testees"]
        ),
        .testTarget(name: "BatonAuditTests", dependencies: ["BatonAudit", "BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "AIPTests", dependencies: ["AIP", "Biscuit", "BiscuitForge", "BatonCrypto", "JOSE"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "TokenExchangeTests", dependencies: ["TokenExchange", "JOSE", "BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "JOSETests", dependencies: ["JOSE", "BatonCrypto"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "BiscuitTests", dependencies: ["Biscuit", "BiscuitSchema", "BiscuitForge"], swiftSettings: [.swiftLanguageMode(.v6)]),
    ],
    swiftLanguageModes: [.v5]
)
