import BatonCrypto
import Foundation
import Testing

@testable import Biscuit

/// Runs the Biscuit conformance corpus (../shared/biscuit-samples): every token is
/// decoded and verified, every block printed and compared, every validation's
/// authorizer run and its result, world and revocation ids compared.
@Suite struct BiscuitSamplesTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        let filename: String
        let title: String
        /// The test case as JSON text: parameterized tests need Sendable arguments, and
        /// JSONSerialization's `[String: Any]` is not.
        let json: Data
        var testDescription: String { "\(filename) (\(title))" }

        /// The test case, parsed again.
        var fields: [String: Any] { (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:] }
    }

    static let rootKeyHex: String? = {
        guard SharedData.samplesAvailable,
            let doc = try? SharedData.json(SharedData.samplesDirectory.appendingPathComponent("samples.json")) as? [String: Any]
        else { return nil }
        return doc["root_public_key"] as? String
    }()

    static let samples: [Sample] = {
        guard SharedData.samplesAvailable,
            let doc = try? SharedData.json(SharedData.samplesDirectory.appendingPathComponent("samples.json")) as? [String: Any],
            let cases = doc["testcases"] as? [[String: Any]]
        else { return [] }
        return cases.map { c in
            Sample(
                filename: c["filename"] as? String ?? "?", title: c["title"] as? String ?? "?",
                json: (try? JSONSerialization.data(withJSONObject: c)) ?? Data())
        }
    }()

    static var usesP256: (Sample) -> Bool {
        { sample in
            let blocks = sample.fields["token"] as? [[String: Any]] ?? []
            return sample.title.contains("secp256r1")
                || blocks.contains { ($0["external_key"] as? String)?.hasPrefix("secp256r1/") == true }
        }
    }
    static let ed25519Samples = samples.filter { !usesP256($0) }
    static let p256Samples = samples.filter(usesP256)
    static let missing = "../shared/biscuit-samples is missing: the Biscuit conformance samples were NOT tested"

    @Test(.enabled(if: SharedData.samplesAvailable, Comment(rawValue: missing)))
    func corpusIsComplete() {
        #expect(Self.samples.count == 38)
        #expect(Self.p256Samples.count == 2)
    }

    /// Shown as skipped in every run: what this backend cannot check.
    @Test(.disabled("P-256 (secp256r1) samples are skipped: libsodium has no P-256"), arguments: p256Samples)
    func p256SampleConformance(_ sample: Sample) {}

    /// What it can check of them: they are refused cleanly, with `unsupported_algorithm`.
    @Test(.enabled(if: SharedData.samplesAvailable, Comment(rawValue: missing)), arguments: p256Samples)
    func p256SampleIsRefusedCleanly(_ sample: Sample) throws {
        let root = try BiscuitPublicKey(Ed25519.PublicKey(hex: try #require(Self.rootKeyHex)))
        let bytes = try [UInt8](Data(contentsOf: SharedData.samplesDirectory.appendingPathComponent(sample.filename)))
        do {
            _ = try BiscuitToken(bytes: bytes, root: root)
            Issue.record("a P-256 token verified without P-256 support")
        } catch {
            #expect(error.code == "unsupported_algorithm", "\(error)")
        }
    }

    @Test(.enabled(if: SharedData.samplesAvailable, Comment(rawValue: missing)), arguments: ed25519Samples)
    func sample(_ sample: Sample) throws {
        let root = try BiscuitPublicKey(Ed25519.PublicKey(hex: try #require(Self.rootKeyHex)))
        let bytes = try [UInt8](Data(contentsOf: SharedData.samplesDirectory.appendingPathComponent(sample.filename)))
        let expectedBlocks = try #require(sample.fields["token"] as? [[String: Any]])
        let validations = try #require(sample.fields["validations"] as? [String: [String: Any]])

        let token: BiscuitToken
        do {
            token = try BiscuitToken(bytes: bytes, root: root)
        } catch {
            // Only validations expecting a format error may fail here.
            for (name, validation) in validations {
                let expected = try ExpectedResult(validation["result"])
                #expect(expected.kind == error.referenceKind, "validation '\(name)': expected \(expected.kind), got \(error.referenceKind): \(error)")
            }
            return
        }

        // Blocks: printed code, symbols, keys, version.
        let decoded = try token.decodedBlocks()
        #expect(decoded.count == expectedBlocks.count)
        for (i, (block, expected)) in zip(decoded, expectedBlocks).enumerated() {
            #expect(DatalogPrinter.printBlock(block.source) == expected["code"] as? String, "block \(i) code")
            #expect(block.symbols == expected["symbols"] as? [String], "block \(i) symbols")
            #expect(block.publicKeys.map(\.text) == expected["public_keys"] as? [String], "block \(i) public keys")
            #expect(block.externalKey?.text == expected["external_key"] as? String, "block \(i) external key")
            #expect(Int(block.version) == expected["version"] as? Int, "block \(i) version")
        }

        for (name, validation) in validations.sorted(by: { $0.key < $1.key }) {
            let expected = try ExpectedResult(validation["result"])
            if let ids = validation["revocation_ids"] as? [String], !ids.isEmpty {
                #expect(token.revocationIds.map(Hex.encode) == ids, "validation '\(name)': revocation ids")
            }
            let code = validation["authorizer_code"] as? String ?? ""
            // A generous wall-clock limit: the 1 ms default flakes on a loaded machine; no sample expects a timeout.
            let authorizer = try Authorizer(code: code, limits: RunLimits(maxTime: .seconds(5)), externs: SampleExterns.all)
            #expect(DatalogPrinter.printAuthorizer(authorizer.source) == code, "validation '\(name)': authorizer code round trip")
            let report = authorizer.run(blocks: decoded)
            switch (report.result, expected) {
            case let (.success(index), .ok(expectedIndex)):
                #expect(index == expectedIndex, "validation '\(name)'")
            case let (.failure(error), .error(kind, detail)):
                #expect(error.referenceKind == kind, "validation '\(name)': \(error)")
                if let detail { #expect(ExpectedResult.detail(of: error) == detail, "validation '\(name)': details") }
            default:
                Issue.record("validation '\(name)': expected \(expected), got \(report.result)")
            }
            if let world = validation["world"] as? [String: Any], let snapshot = report.world {
                try SampleWorld.compare(snapshot, with: world, validation: name)
            }
        }
    }
}

/// The extern function the samples' authorizer registers (test035).
enum SampleExterns {
    static let all: [String: ExternFunction] = [
        "test": ExternFunction { left, right in
            switch (left, right) {
            case let (t, nil): return .success(t)
            case let (.string(a), .string(b)?): return .success(.string(a.utf8.elementsEqual(b.utf8) ? "equal strings" : "different strings"))
            default: return .failure("unsupported operands")
            }
        }
    ]
}
