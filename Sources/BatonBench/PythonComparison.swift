import AIP
import BatonCrypto
import BatonTestSupport
import Biscuit
import Foundation

/// The `python` benchmark: Baton's AIP verifier against agent-identity-protocol's own
/// (Python over biscuit-python) on the same 3-block chain. The Swift side is timed here; the
/// Python side by `Interop/bench_aip_verifier.py`, run as a child process with the token's
/// base64 and root key, so both verify the same bytes.
struct PythonComparison {
    struct PythonSide: Decodable {
        struct Timing: Decodable {
            var name: String
            var median_ns: Double
            var min_ns: Double
            var max_ns: Double
            var batches: Int
            var iterations: Int

            /// The same timing as the Swift side's, to share its formatting.
            var measurement: Measurement {
                Measurement(name: name, medianNs: median_ns, minNs: min_ns, maxNs: max_ns, batches: batches, iterations: iterations)
            }
        }
        var python: String
        var agent_identity_protocol: String
        var biscuit_python: String
        var measurements: [Timing]
    }

    struct Result {
        var swift: [Measurement]
        var python: PythonSide
        /// Python `from_base64 + authorize` over Swift `ChainedVerifier.verify` with a required scope.
        var ratio: Double { (python.measurements.first?.median_ns ?? 0) / (swift.first?.medianNs ?? 1) }
    }

    /// The tool both verifiers are asked to authorize.
    static let tool = "research:read"

    let chain: BenchChain
    let config: BenchConfig
    /// The interpreter with agent-identity-protocol installed (scripts/setup.sh puts it in .venv).
    let python: String
    let script: String

    func run() throws -> Result {
        try chain.selfCheck()
        let verifier = ChainedVerifier()
        let rootKey = try Ed25519.PublicKey(bytes: chain.rootPublic.bytes)
        // 2026-06-01T00:00:00Z, before the chain's expiry (the Python package reads the real clock,
        // which is also before it).
        let request = ChainedVerifier.Request(token: chain.base64, rootKey: rootKey, requiredScope: Self.tool, now: 1_780_272_000)
        guard case let .success(verified) = verifier.verify(request).result else {
            throw BenchFailure("Baton's verifier refuses the benchmark token: \(verifier.verify(request).error.map { "\($0)" } ?? "")")
        }
        var tampered = request
        tampered.token = Self.flippingSignatureByte(chain.bytes)
        guard verifier.verify(tampered).error?.code == .signatureInvalid else {
            throw BenchFailure("Baton's verifier does not refuse the token with a changed signature byte as aip_signature_invalid")
        }
        let aip = try measure("ChainedVerifier.verify(required scope): V1-V7", config) {
            switch verifier.verify(request).result {
            case let .success(v): return v.blockCount
            case let .failure(e): throw BenchFailure("verification failed: \(e)")
            }
        }
        let biscuit = try measure("Biscuit only: decode + verify + authorize", config) {
            let token = try BiscuitToken(base64: chain.base64, root: chain.rootPublic)
            switch chain.authorizer.run(blocks: try token.decodedBlocks()).result {
            case let .success(p): return p + token.blockCount
            case let .failure(e): throw BenchFailure("authorization failed: \(e)")
            }
        }
        sinkValue(verified.blockCount)
        return Result(swift: [aip, biscuit], python: try runPython())
    }

    /// The token bytes with one bit flipped 40 bytes from the end (inside the last block's
    /// signature or the proof), as base64.
    static func flippingSignatureByte(_ bytes: [UInt8]) -> String {
        var b = bytes
        b[b.count - 40] ^= 0x01
        return Base64URL.encode(b)
    }

    func runPython() throws -> PythonSide {
        let arguments = [
            script, chain.base64, Hex.encode(chain.rootPublic.bytes), Self.tool,
            "--batches", "\(config.batches)", "--iterations", "\(config.iterations)", "--warmup", "\(config.warmup)",
        ]
        let output: ProcessRunner.Output
        do { output = try ProcessRunner.run(python, arguments, timeout: .seconds(3600)) } catch {
            throw BenchFailure("cannot start \(python) \(script): \(error)")
        }
        let data = output.stdout
        struct Failure: Decodable { var error: String }
        if let failure = try? JSONDecoder().decode(Failure.self, from: data) {
            throw BenchFailure("\(script): \(failure.error)")
        }
        guard output.succeeded else {
            let how = output.timedOut ? "timed out" : "exited with \(output.status)"
            throw BenchFailure("\(python) \(script) \(how): \(output.stderrText.suffix(800))")
        }
        do { return try JSONDecoder().decode(PythonSide.self, from: data) } catch {
            throw BenchFailure("\(script) printed no readable result (\(error)): \(String(decoding: data.prefix(400), as: UTF8.self))")
        }
    }

    /// The comparison as Markdown for Reports/benchmarks.md.
    static func markdown(_ r: Result, machine: Machine, config: BenchConfig, tokenBytes: Int) -> String {
        var out = """
            ### AIP verifier: Baton (Swift) vs agent-identity-protocol \(r.python.agent_identity_protocol) (Python)

            Machine: \(machine.cpus) CPU, \(machine.cpuModel); \(machine.swiftVersion); `\(Report.configuration)` build; \
            Python \(r.python.python), agent-identity-protocol \(r.python.agent_identity_protocol), biscuit-python \(r.python.biscuit_python).
            Token: the 3-block chain of the `biscuit` benchmark (\(tokenBytes) bytes), tool `\(tool)`. Both sides first check that \
            they accept it and refuse it with one signature byte changed. Timing on both sides: \(config.warmup) warm-up calls, \
            then the median of \(config.batches) batches × \(config.iterations) calls. \
            The package's signature and Datalog work is Rust (biscuit-python); it parses and verifies the token twice per call \
            (`from_base64`, then `verify_chain` re-reads the serialized form). Its 1 ms Datalog time limit, and that of \
            the Biscuit-only path here, is raised to 1 s so a preempted run cannot abort the benchmark (`ChainedVerifier`'s \
            own default is 250 ms).

            | Verifier | µs/op (median) | min…max batch |
            |---|---:|---:|

            """
        func labelled(_ m: Measurement, _ side: String) -> Measurement {
            var m = m
            m.name = "\(side): \(m.name)"
            return m
        }
        for m in r.python.measurements { out += Report.row(labelled(m.measurement, "Python")) + "\n" }
        for m in r.swift { out += Report.row(labelled(m, "Swift")) + "\n" }
        out += "| **Python authorize / Swift ChainedVerifier** (target ≥ 2×) | **\(Report.fmt(r.ratio, 2))×** \(r.ratio >= 2 ? "✅" : "❌") | |\n"
        return out
    }
}
