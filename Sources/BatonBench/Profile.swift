import ArgumentParser
import Biscuit

/// The stages `baton-bench profile` can loop.
enum ProfileStage: String, CaseIterable, ExpressibleByArgument {
    case base64, parse, verify, decode, authorize, full
}

/// `baton-bench profile STAGE N`: runs one stage of the full path N times and
/// nothing else, for use under a sampling profiler (`perf record`).
enum ProfileLoop {
    static func run(stage: ProfileStage, iterations: Int) throws {
        let chain = try BenchChain()
        try chain.selfCheck()
        let bytes = try BiscuitToken.decodeBase64(chain.base64)
        let parsed = try BiscuitToken(bytes: bytes)
        let decoded = try parsed.decodedBlocks()
        let root = chain.rootPublic
        var acc = 0
        for _ in 0..<iterations {
            switch stage {
            case .base64: acc &+= try BiscuitToken.decodeBase64(chain.base64).count
            case .parse: acc &+= try BiscuitToken(bytes: bytes).blockCount
            case .verify: try parsed.verifySignatures(root: root); acc &+= 1
            case .decode: acc &+= try parsed.decodedBlocks().count
            case .authorize:
                if case let .success(i) = chain.authorizer.run(blocks: decoded).result { acc &+= i + 1 }
            case .full:
                let token = try BiscuitToken(bytes: BiscuitToken.decodeBase64(chain.base64), root: root)
                if case let .success(i) = chain.authorizer.run(blocks: try token.decodedBlocks()).result { acc &+= i + 1 }
            }
        }
        sinkValue(acc)
    }
}
