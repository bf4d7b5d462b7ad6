import BatonFuzzing
import BatonTestSupport
import Foundation
import Testing

/// Every committed seed (Fuzz/corpus/<target>/) and every regression input
/// (Fuzz/regressions/<target>/) goes through its target: it must complete
/// without breaking an invariant. A crash would take the test process down,
/// which fails the run too.
@Suite struct CorpusReplayTests {
    /// `Fuzz/`: the committed corpus and regression inputs.
    static let fuzz = PackagePaths.root.appendingPathComponent("Fuzz")

    /// Regular files under `Fuzz/<kind>/<target>/`, sorted, without README files and dot files.
    static func files(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let dir = fuzz.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let items = (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String]) ?? []
        return items.sorted().map { dir.appendingPathComponent($0) }.filter { url in
            let name = url.lastPathComponent
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".") && !name.hasPrefix("README")
                && FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsPass(_ target: FuzzTarget) throws {
        let seeds = Self.files("corpus", target)
        #expect(seeds.count >= 5, "Fuzz/corpus/\(target.rawValue) holds meaningful seeds")
        for file in seeds {
            let data = try [UInt8](Data(contentsOf: file))
            #expect(data.count <= target.maxInputLength, "\(file.lastPathComponent) fits -max_len")
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try target.run(data) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressionsPass(_ target: FuzzTarget) throws {
        let dir = Self.fuzz.appendingPathComponent("regressions/\(target.rawValue)")
        #expect(FileManager.default.fileExists(atPath: dir.path), "Fuzz/regressions/\(target.rawValue) exists")
        for file in Self.files("regressions", target) {
            let data = try [UInt8](Data(contentsOf: file))
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try target.run(data) }
        }
    }

    /// The corpus stays small enough to commit.
    @Test func corpusIsSmall() throws {
        var total = 0
        for target in FuzzTarget.allCases {
            for file in Self.files("corpus", target) + Self.files("regressions", target) {
                total += try Data(contentsOf: file).count
            }
        }
        #expect(total > 0)
        #expect(total < 1_000_000, "Fuzz/corpus and Fuzz/regressions hold \(total) bytes")
    }

    /// The seeds go deep: together they reach the last stage of every target.
    @Test(arguments: [
        (FuzzTarget.biscuit, ["fast_parsed", "blocks_decoded", "signatures_verified", "authorized", "aip_verified", "resigned"]),
        (.datalog, ["block", "authorizer", "fact", "rule", "check", "policy", "expression", "round_trip", "encoded", "authorized"]),
        (.jwt, ["parsed", "signature_verified", "actor_chain", "claims_valid", "jwt_verified", "compact_verified", "resigned"]),
        (.scenario, ["loaded"]),
        (.testeeFrame, ["overflow", "handshake", "refusal", "unsupported", "wrong_id", "malformed_answer"]),
        (.intent, ["parsed", "claims", "A5", "A9", "accepted", "resigned"]),
    ])
    func seedsReachEveryStage(_ target: FuzzTarget, _ stages: [String]) throws {
        var reached = Set<String>()
        for file in Self.files("corpus", target) {
            reached.formUnion(try target.run([UInt8](Data(contentsOf: file))).milestones)
        }
        for stage in stages { #expect(reached.contains(stage), "no \(target.rawValue) seed reaches '\(stage)'") }
    }
}
