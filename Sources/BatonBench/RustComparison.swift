import BatonCrypto
import BatonTestSupport
import Biscuit
import Foundation

/// The `rust` benchmark: Baton's Biscuit path against the Rust Biscuit reference (biscuit-python's
/// Rust core) on the same token, with the same authorizer code, stage by stage. The Swift side is
/// timed here; the Rust side by `Interop/bench_biscuit_rust.py`, run as a child process with the
/// token's base64, the root key and the authorizer code, so both do the same work on the same bytes.
struct RustComparison {
    /// What the Python side printed.
    struct RustSide: Decodable {
        var python: String
        var biscuit_python: String
        var blocks: Int
        var measurements: [PythonComparison.PythonSide.Timing]

        /// The timing named `name` (see the script's docstring), or a failure naming what is missing.
        func timing(_ name: String) throws -> Measurement {
            guard let t = measurements.first(where: { $0.name == name }) else {
                throw BenchFailure("bench_biscuit_rust.py printed no \"\(name)\" timing")
            }
            return t.measurement
        }
    }

    /// The same five timings on each side.
    struct Side {
        /// base64 → parse → signatures and proof → Datalog decode → authorize.
        var full: Measurement
        /// Everything up to an authorizable token: base64, parse, signatures and proof, Datalog decode.
        var verified: Measurement
        /// The same without signatures or proof.
        var unverified: Measurement
        /// Authorizing a token parsed beforehand.
        var authorize: Measurement
        /// Parsing the authorizer's code (not in the full path on either side).
        var builder: Measurement

        /// What the signature chain and the proof cost: verified − unverified.
        var signaturesNs: Double { max(0, verified.medianNs - unverified.medianNs) }
        /// The full path without the signatures.
        var restNs: Double { max(0, full.medianNs - signaturesNs) }
    }

    struct Result {
        var swift: Side
        var rust: Side
        var rustSide: RustSide
        /// Cost of one Python → Rust call by itself, included in every Rust timing.
        var callNs: Double
        /// Swift's bare floor: three libsodium verifies, as in the `biscuit` benchmark.
        var bareSignatures: Measurement
        /// Rust full / Swift full: above 1 means Baton is faster.
        var ratio: Double { rust.full.medianNs / swift.full.medianNs }
        var signatureRatio: Double { rust.signaturesNs / max(1, swift.signaturesNs) }
        var restRatio: Double { rust.restNs / max(1, swift.restNs) }
    }

    let chain: BenchChain
    let config: BenchConfig
    /// The interpreter with biscuit-python installed (scripts/setup.sh puts it in .venv).
    let python: String
    let script: String

    func run() throws -> Result {
        try chain.selfCheck()
        let base64 = chain.base64, root = chain.rootPublic, authorizer = chain.authorizer
        let tampered = PythonComparison.flippingSignatureByte(chain.bytes)
        guard (try? BiscuitToken(base64: tampered, root: root)) == nil else {
            throw BenchFailure("Baton accepts the token with a changed signature byte: nothing would be verified")
        }
        let full = try measure("full", config) {
            let token = try BiscuitToken(bytes: BiscuitToken.decodeBase64(base64), root: root)
            guard case let .success(policy) = authorizer.run(blocks: try token.decodedBlocks()).result else {
                throw BenchFailure("authorization failed")
            }
            return policy + token.blockCount
        }
        let verified = try measure("verified", config) {
            try BiscuitToken(bytes: BiscuitToken.decodeBase64(base64), root: root).decodedBlocks().count
        }
        let unverified = try measure("unverified", config) {
            try BiscuitToken(bytes: BiscuitToken.decodeBase64(base64)).decodedBlocks().count
        }
        let decoded = try BiscuitToken(bytes: BiscuitToken.decodeBase64(base64), root: root).decodedBlocks()
        let authorize = measure("authorize", config) {
            if case let .success(p) = authorizer.run(blocks: decoded).result { return p + 1 }
            return 0
        }
        let builder = try measure("builder", config) { try Authorizer(code: BenchChain.authorizerCode).source.facts.count }
        let signed = chain.signed
        let bare = measure("3 × Ed25519 verify (libsodium)", config) {
            var ok = 0
            for s in signed where s.key.isValidSignature(s.signature, for: s.payload) { ok += 1 }
            return ok
        }
        let swift = Side(full: full, verified: verified, unverified: unverified, authorize: authorize, builder: builder)
        let rustSide = try runRust()
        guard rustSide.blocks == chain.signed.count else {
            throw BenchFailure("the Rust reference reads \(rustSide.blocks) blocks, Baton \(chain.signed.count)")
        }
        let rust = Side(
            full: try rustSide.timing("full"), verified: try rustSide.timing("verified"), unverified: try rustSide.timing("unverified"),
            authorize: try rustSide.timing("authorize"), builder: try rustSide.timing("builder"))
        return Result(swift: swift, rust: rust, rustSide: rustSide, callNs: try rustSide.timing("call").medianNs, bareSignatures: bare)
    }

    func runRust() throws -> RustSide {
        let arguments = [
            script, chain.base64, Hex.encode(chain.rootPublic.bytes), BenchChain.authorizerCode,
            "--batches", "\(config.batches)", "--iterations", "\(config.iterations)", "--warmup", "\(config.warmup)",
        ]
        let output: ProcessRunner.Output
        do { output = try ProcessRunner.run(python, arguments, timeout: .seconds(3600)) } catch {
            throw BenchFailure("cannot start \(python) \(script): \(error)")
        }
        struct Failure: Decodable { var error: String }
        if let failure = try? JSONDecoder().decode(Failure.self, from: output.stdout) {
            throw BenchFailure("\(script): \(failure.error)")
        }
        guard output.succeeded else {
            let how = output.timedOut ? "timed out" : "exited with \(output.status)"
            throw BenchFailure("\(python) \(script) \(how): \(output.stderrText.suffix(800))")
        }
        do { return try JSONDecoder().decode(RustSide.self, from: output.stdout) } catch {
            throw BenchFailure(
                "\(script) printed no readable result (\(error)): \(String(decoding: output.stdout.prefix(400), as: UTF8.self))")
        }
    }

    /// The comparison as Markdown for Reports/benchmarks.md.
    static func markdown(_ r: Result, machine: Machine, config: BenchConfig, tokenBytes: Int) -> String {
        func us(_ ns: Double) -> String { Report.fmt(ns / 1000, 2) }
        func ratio(_ x: Double) -> String { Report.fmt(x, 2) + "×" }
        var out = """
            ### Biscuit path: Baton (Swift) vs the Rust reference (biscuit-python \(r.rustSide.biscuit_python))

            Machine: \(machine.cpus) CPU, \(machine.cpuModel); \(machine.swiftVersion); `\(Report.configuration)` build; \
            Python \(r.rustSide.python). Token: the 3-block chain of the `biscuit` benchmark (\(tokenBytes) bytes); authorizer: its \
            code, parsed once outside the timed path on both sides, Datalog time limit 1 s on both sides. Both sides first check that \
            they allow the token with policy 0 and refuse it with one signature byte changed. Timing on both sides: \(config.warmup) \
            warm-up calls, then the median of \(config.batches) batches × \(config.iterations) calls; the Swift side runs first, then \
            the Rust side in a child process. Rust is called from Python: every Rust timing includes one Python → Rust call \
            (\(Report.fmt(r.callNs, 0)) ns by itself, measured as `block_count()`), two for the full path.

            | Stage | Swift (Baton) | Rust: biscuit-python call | µs/op Swift | µs/op Rust | Rust / Swift |
            |---|---|---|---:|---:|---:|
            | full path | decode, verify, authorize | `Biscuit.from_base64` + `build(token).authorize()` | \(us(r.swift.full.medianNs)) | \(us(r.rust.full.medianNs)) | **\(ratio(r.ratio))** |
            | parse + signatures + Datalog decode | `BiscuitToken(bytes:root:)` + `decodedBlocks()` | `Biscuit.from_base64` | \(us(r.swift.verified.medianNs)) | \(us(r.rust.verified.medianNs)) | \(ratio(r.rust.verified.medianNs / r.swift.verified.medianNs)) |
            | parse + Datalog decode, no signatures | `BiscuitToken(bytes:)` + `decodedBlocks()` | `UnverifiedBiscuit.from_base64` | \(us(r.swift.unverified.medianNs)) | \(us(r.rust.unverified.medianNs)) | \(ratio(r.rust.unverified.medianNs / r.swift.unverified.medianNs)) |
            | signatures + proof (the two rows above, subtracted) | libsodium | ed25519-dalek | \(us(r.swift.signaturesNs)) | \(us(r.rust.signaturesNs)) | \(ratio(r.signatureRatio)) |
            | authorization of a parsed token | `Authorizer.run` | `builder.build(token).authorize()` | \(us(r.swift.authorize.medianNs)) | \(us(r.rust.authorize.medianNs)) | \(ratio(r.rust.authorize.medianNs / r.swift.authorize.medianNs)) |
            | full path without the signatures | | | \(us(r.swift.restNs)) | \(us(r.rust.restNs)) | \(ratio(r.restRatio)) |
            | authorizer code parse (not in the full path) | `Authorizer(code:)` | `AuthorizerBuilder(code)` | \(us(r.swift.builder.medianNs)) | \(us(r.rust.builder.medianNs)) | \(ratio(r.rust.builder.medianNs / r.swift.builder.medianNs)) |
            | Swift's Ed25519 floor: 3 × libsodium verify | | | \(us(r.bareSignatures.medianNs)) | | |

            **Rust full / Baton full: \(ratio(r.ratio))** (target ≥ 1×, Baton at least as fast) \(r.ratio >= 1 ? "✅" : "❌"); \
            without the signatures: \(ratio(r.restRatio)) \(r.restRatio >= 1 ? "✅" : "❌").

            """
        out += "\n"
        return out
    }
}
