import BatonCrypto
import Biscuit

/// The `biscuit` benchmark: bare Ed25519 verification of the chain's three
/// block signatures versus the full verifier path, plus a per-stage breakdown.
struct BiscuitBench {
    struct Result {
        var tokenBytes: Int
        var base64Chars: Int
        var blocks: Int
        /// Three `isValidSignature` calls over precomputed payloads.
        var bare: Measurement
        /// base64 → parse → verify → decode → authorize.
        var full: Measurement
        var stages: [Measurement]
        /// Informational: one verify, one authorizer parse.
        var extras: [Measurement]
        var ratio: Double { full.medianNs / bare.medianNs }
        var stageSum: Double { stages.reduce(0) { $0 + $1.medianNs } }
    }

    let chain: BenchChain
    let config: BenchConfig

    func run() throws -> Result {
        try chain.selfCheck()
        let signed = chain.signed
        let base64 = chain.base64
        let root = chain.rootPublic
        let authorizer = chain.authorizer

        // (a) Bare libsodium cost: the three block signatures, nothing else.
        let bareBody: () -> Int = {
            var ok = 0
            for s in signed where s.key.isValidSignature(s.signature, for: s.payload) { ok += 1 }
            return ok
        }
        // (b) What a verifier does with a token it receives.
        let fullBody: () throws -> Int = {
            let bytes = try BiscuitToken.decodeBase64(base64)
            let token = try BiscuitToken(bytes: bytes, root: root)
            let report = authorizer.run(blocks: try token.decodedBlocks())
            guard case let .success(policy) = report.result else { throw BenchFailure("authorization failed") }
            return policy + token.blockCount
        }
        let (bare, full) = try measurePair(("bare: 3 × Ed25519 verify", bareBody), ("full: decode + verify + authorize", fullBody))

        // Breakdown, each stage on the previous stage's output.
        let bytes = try BiscuitToken.decodeBase64(base64)
        let parsed = try BiscuitToken(bytes: bytes)
        let decoded = try parsed.decodedBlocks()
        let lastKey = parsed.blocks.last?.nextKey ?? parsed.authority.nextKey
        let proofSeed = chain.proofSeed

        let base64Stage = try measure("base64 decode", config) { try BiscuitToken.decodeBase64(base64).count }
        let parseStage = try measure("parse (protobuf → signed blocks)", config) { try BiscuitToken(bytes: bytes).blockCount }
        let verifyAll = try measure("verifySignatures (chain + proof)", config) {
            try parsed.verifySignatures(root: root)
            return 1
        }
        let proofStage = try measure("proof check (secret → public key)", config) {
            let key = try Ed25519.PrivateKey(seed: proofSeed)
            return key.publicKey.bytes == lastKey.bytes ? 1 : 0
        }
        let decodeStage = try measure("Datalog decode (decodedBlocks)", config) { try parsed.decodedBlocks().count }
        let authorizeStage = measure("authorize (Authorizer.run)", config) {
            if case let .success(i) = authorizer.run(blocks: decoded).result { return i + 1 }
            return 0
        }
        let chainNs = max(0, verifyAll.medianNs - proofStage.medianNs)
        let chainStage = Measurement(
            name: "signature chain (verifySignatures − proof)", medianNs: chainNs,
            minNs: chainNs, maxNs: chainNs, batches: verifyAll.batches, iterations: verifyAll.iterations)

        let oneVerify = measure("1 × Ed25519 verify (block 0)", config) {
            signed[0].key.isValidSignature(signed[0].signature, for: signed[0].payload) ? 1 : 0
        }
        let authorizerParse = try measure("Authorizer(code:) parse (not in full path)", config) {
            try Authorizer(code: BenchChain.authorizerCode).source.facts.count
        }

        return Result(
            tokenBytes: chain.bytes.count, base64Chars: base64.utf8.count, blocks: parsed.blockCount,
            bare: bare, full: full,
            stages: [base64Stage, parseStage, chainStage, proofStage, decodeStage, authorizeStage],
            extras: [verifyAll, oneVerify, authorizerParse])
    }

    /// Measures two operations in alternating batches so that frequency changes
    /// and neighbours' load affect both alike.
    private func measurePair(_ a: (String, () throws -> Int), _ b: (String, () throws -> Int)) throws -> (Measurement, Measurement) {
        let clock = ContinuousClock()
        for _ in 0..<config.warmup {
            sinkValue(try a.1())
            sinkValue(try b.1())
        }
        var ta: [Double] = [], tb: [Double] = []
        for _ in 0..<config.batches {
            for (body, index) in [(a.1, 0), (b.1, 1)] {
                var acc = 0
                let start = clock.now
                for _ in 0..<config.iterations { acc &+= try body() }
                let ns = nanoseconds(clock.now - start) / Double(config.iterations)
                sinkValue(acc)
                if index == 0 { ta.append(ns) } else { tb.append(ns) }
            }
        }
        return (summary(a.0, ta), summary(b.0, tb))
    }

    private func summary(_ name: String, _ values: [Double]) -> Measurement {
        let v = values.sorted()
        let n = v.count
        let median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
        return Measurement(
            name: name, medianNs: median, minNs: v.first ?? 0, maxNs: v.last ?? 0,
            batches: config.batches, iterations: config.iterations)
    }
}
