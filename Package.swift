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
        .library(name: "AIPJWT", targets: ["AIPJWT"]),
        .library(name: "AgenticJWT", targets: ["AgenticJWT"]),
        .library(name: "AgentChecksum", targets: ["AgentChecksum"]),
        .library(name: "TokenExchange", targets: ["TokenExchange"]),
        .library(name: "ZeroID", targets: ["ZeroID"]),
        .library(name: "BatonRuntime", targets: ["BatonRuntime"]),
        .library(name: "BatonAgents", targets: ["BatonAgents"]),
        .library(name: "BatonModel", targets: ["BatonModel"]),
        .library(name: "BatonHarness", targets: ["BatonHarness"]),
        .library(name: "BatonTargets", targets: ["BatonTargets"]),
        .library(name: "BatonProfiles", targets: ["BatonProfiles"]),
        .library(name: "BatonReports", targets: ["BatonReports"]),
        .library(name: "BatonTools", targets: ["BatonTools"]),
        .executable(name: "baton", targets: ["baton"]),
        .executable(name: "baton-bench", targets: ["BatonBench"]),
        .executable(name: "baton-fuzz", targets: ["baton-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"),
    ],
    targets: [
        // libsodium, the only crypto backend for Ed25519, SHA-256 and randomness.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // Keys, signatures, hashing and encodings over libsodium.
        .target(name: "BatonCrypto", dependencies: ["CSodium"]),
        // Generated from Proto/biscuit/schema.proto by scripts/generate-protos.sh.
        .target(
            name: "BiscuitSchema",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // Biscuit tokens: wire format, signatures, Datalog engine, text parser and printer.
        .target(name: "Biscuit", dependencies: ["BatonCrypto", "BiscuitSchema"]),
        // Raw token surgery for attacks, kept apart from the safe Biscuit API.
        .target(name: "BiscuitForge", dependencies: ["Biscuit", "BatonCrypto"]),
        // JWS/JWT/JWK: compact tokens, algorithms (EdDSA, ES256, RS256), keys, claims validation.
        .target(
            name: "JOSE",
            dependencies: [
                "BatonCrypto", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // AIP chained tokens (Biscuit) and compact tokens (one-hop EdDSA JWTs, `typ: aip+jwt`).
        .target(name: "AIP", dependencies: ["Biscuit", "BatonCrypto", "JOSE"]),
        // The JWT encodings of AIP: compact tokens (one-hop EdDSA JWTs, `typ: aip+jwt`) and JWT chains
        // (draft-prakash-aip-02 §5.1), on the identifiers, registry, revocation and error codes of AIP.
        .target(name: "AIPJWT", dependencies: ["AIP", "BatonCrypto", "JOSE"]),
        // Agentic JWT (arXiv 2509.13597): intent tokens bound to an agent checksum, a workflow step and a
        // proof-of-possession key; the reference identity provider (M1–M6) and resource-server verifier (A0–A9).
        .target(name: "AgenticJWT", dependencies: ["JOSE", "BatonCrypto", "AgentChecksum"]),
        // The agent-definition checksums of Agentic JWT (auth51-checksum 0.4.0 v1–v4, and v5 without tool
        // source): Python's json.dumps and str rules reproduced, SHA3-512 from swift-crypto.
        .target(
            name: "AgentChecksum",
            dependencies: ["BatonCrypto", "JOSE", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Helpers written once for tests, benches, fuzz seeds and the mutation campaign: package paths,
        // the Python interpreters, running a process, the standard orchestrator → researcher → writer
        // chain. Free of Testing and XCTest.
        .target(name: "BatonTestSupport", dependencies: ["BatonCrypto", "Biscuit", "AIP"]),
        // The Testing side of BatonTestSupport (skip loudly, or fail when interop is required): for test targets only.
        .target(name: "BatonTestSupportTesting", dependencies: ["BatonTestSupport"]),
        // OAuth 2.0 Token Exchange (RFC 8693) for agents: the reference token service, actor
        // assertions, OAuth errors and the downstream verifier of the issued tokens.
        .target(name: "TokenExchange", dependencies: ["JOSE", "BatonCrypto", .product(name: "Crypto", package: "swift-crypto")]),
        // ZeroID's token service modelled from its wire contract (WIMSE identities, P-256 actor
        // assertions, credential policies, both token profiles, introspection, cascading revocation,
        // lineage; Z0–Z8, R1), and the verifier of its tokens on the token-exchange checks J0–J8.
        .target(name: "ZeroID", dependencies: ["JOSE", "BatonCrypto", "TokenExchange"]),
        // The in-memory A2A runtime: JSON-RPC envelopes, agent cards, simulated agents, the bus, the clock.
        .target(name: "BatonRuntime", dependencies: ["BatonCrypto"]),
        // Agents that behave: identity, key and signed card, a plan (delegate, call tools, or misbehave),
        // the in-memory bus; one agent for the bus and HTTP, everything around it behind `AgentWorld`.
        .target(name: "BatonAgents", dependencies: ["BatonRuntime", "BatonModel", "BatonCrypto"]),
        // Signed, hash-chained audit records of every call on the bus.
        .target(name: "BatonAudit", dependencies: ["BatonCrypto"]),
        // The harness's vocabulary, shared by every layer above: profiles, outcomes, expectations,
        // results, the implementation-under-test interface and the testee protocol's messages.
        .target(name: "BatonModel", dependencies: ["BatonAudit", "BatonCrypto"]),
        // Scenario files and their runner: the loader, the step kinds every profile shares, the
        // profile-driver interface, run state, judgement, suites and the kill matrix.
        .target(
            name: "BatonHarness",
            dependencies: [
                "BatonModel", "BatonAudit", "BatonCrypto", "BatonRuntime", "BatonAgents", "BatonTools", .product(name: "Yams", package: "Yams"),
            ],
            // The catalogue of specification clauses scenarios name (Spec/Catalogue/*.yaml).
            resources: [.copy("Spec/Catalogue")]
        ),
        // How Baton reaches an implementation under test: a testee subprocess, A2A agents over
        // HTTP, an OAuth token endpoint.
        .target(name: "BatonTargets", dependencies: ["BatonModel", "BatonRuntime", "JOSE", "TokenExchange", "AgenticJWT"]),
        // One folder per token profile (driver, steps, attacks, reference binding, flaw gallery),
        // the registry of profiles and the composite reference implementation.
        .target(
            name: "BatonProfiles",
            dependencies: ["BatonHarness", "BatonAgents", "BatonModel", "AIP", "AIPJWT", "Biscuit", "BiscuitForge", "BatonCrypto", "BatonRuntime", "BatonAudit",
                           "JOSE", "TokenExchange", "ZeroID", "AgenticJWT", "AgentChecksum", "BatonTestSupport", "BatonTargets", "BatonTools",
                           .product(name: "Yams", package: "Yams")]
        ),
        // Everything that renders: JUnit XML, JSON, Markdown, HTML, SARIF, TAP, the kill matrix
        // and the differential table.
        .target(name: "BatonReports", dependencies: ["BatonModel", "BatonHarness", "BatonAudit"]),
        // A tool server over MCP (in process and over loopback HTTP) that authorizes every call with the
        // caller's delegation token and enforces budgets across calls along every hop of the chain.
        .target(name: "BatonTools", dependencies: ["BatonModel", "BatonRuntime", .product(name: "MCP", package: "swift-sdk")]),
        // Static test vectors (`baton vectors export`): the scenarios' verifications, run with the reference, as JSON files.
        .target(name: "BatonVectors", dependencies: ["BatonModel", "BatonHarness"]),
        // The `baton` command line.
        .executableTarget(
            name: "baton",
            dependencies: [
                "BatonModel", "BatonHarness", "BatonTargets", "BatonProfiles", "BatonReports", "BatonAudit", "BatonRuntime", "AIP", "AIPJWT",
                "Biscuit", "BatonCrypto", "JOSE", "TokenExchange", "BatonVectors", "ZeroID", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: `swift run -c release baton-bench biscuit`.
        .executableTarget(
            name: "BatonBench",
            dependencies: ["Biscuit", "BatonCrypto", "AIP", "BatonRuntime", "BatonAgents", "BatonTools", "BatonModel", "BatonHarness", "BatonTargets", "BatonProfiles",
                           "BatonTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/BatonBench"),
        // Fuzz targets (pure functions of their input bytes) and their seed inputs.
        .target(
            name: "BatonFuzzing",
            dependencies: ["Biscuit", "BiscuitForge", "AIP", "AIPJWT", "AgenticJWT", "JOSE", "BatonModel", "BatonHarness", "BatonTargets", "BatonProfiles",
                           "BatonCrypto", "BatonTestSupport"]),
        // libFuzzer's driver declaration, used by `baton-fuzz` only when built with -DBATON_LIBFUZZER.
        .target(name: "CLibFuzzer"),
        // `baton-fuzz replay TARGET PATH...`; a libFuzzer binary when built by scripts/fuzz.sh.
        .executableTarget(
            name: "baton-fuzz",
            dependencies: ["BatonFuzzing", "BatonCrypto", "CLibFuzzer", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "BatonFuzzingTests", dependencies: ["BatonFuzzing", "BatonCrypto", "BatonTestSupport"]),
        .testTarget(name: "BatonCryptoTests", dependencies: ["BatonCrypto"]),
        .testTarget(
            name: "BatonVectorsTests",
            dependencies: ["BatonVectors", "BatonModel", "BatonHarness", "BatonProfiles", "JOSE", "ZeroID", "BatonTestSupport", "BatonTestSupportTesting"]),
        .testTarget(
            name: "BatonConformanceTests",
            dependencies: ["BatonModel", "BatonHarness", "BatonTargets", "BatonProfiles", "BatonReports", "BatonRuntime", "BatonAudit", "AIP", "AIPJWT",
                           "JOSE", "TokenExchange", "ZeroID", "AgenticJWT", "BatonCrypto", "BatonTestSupport", "BatonTestSupportTesting"],
            exclude: ["Testees"]
        ),
        .testTarget(
            name: "BatonAgentsTests",
            dependencies: ["BatonAgents", "BatonModel", "BatonRuntime", "BatonCrypto", "BatonProfiles", "BatonTargets", "AIP", "Biscuit", "BiscuitForge",
                           "BatonTestSupport"]),
        .testTarget(name: "BatonToolsTests", dependencies: ["BatonTools", "BatonModel", "BatonRuntime", .product(name: "MCP", package: "swift-sdk")]),
        .testTarget(name: "BatonAuditTests", dependencies: ["BatonAudit", "BatonCrypto"]),
        .testTarget(
            name: "AIPTests",
            dependencies: ["AIP", "AIPJWT", "Biscuit", "BiscuitForge", "BatonCrypto", "JOSE", "BatonTestSupport", "BatonTestSupportTesting"]),
        .testTarget(name: "TokenExchangeTests", dependencies: ["TokenExchange", "JOSE", "BatonCrypto"]),
        .testTarget(name: "ZeroIDTests", dependencies: ["ZeroID", "TokenExchange", "JOSE", "BatonCrypto"]),
        .testTarget(name: "JOSETests", dependencies: ["JOSE", "BatonCrypto"]),
        .testTarget(name: "AgenticJWTTests", dependencies: ["AgenticJWT", "JOSE", "BatonCrypto"]),
        .testTarget(
            name: "AgentChecksumTests", dependencies: ["AgentChecksum", "JOSE", "BatonCrypto", "BatonTestSupport", "BatonTestSupportTesting"]),
        .testTarget(
            name: "BiscuitTests", dependencies: ["Biscuit", "BiscuitSchema", "BiscuitForge", "BatonTestSupport", "BatonTestSupportTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
