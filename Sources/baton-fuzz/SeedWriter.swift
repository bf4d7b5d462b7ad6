import ArgumentParser
import BatonCrypto
import BatonFuzzing
import Foundation

/// `baton-fuzz seeds DIR [--samples DIR] [--vectors DIR] [--scenarios DIR]`:
/// writes the seed corpus. Minted seeds come from ``FuzzSeeds``; with the options,
/// the Biscuit samples (`*.bc`, and every block's code and authorizer code from
/// `samples.json`), the AIP vectors (token and Datalog sources) and the scenario
/// files are added.
struct SeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seeds",
        abstract: "Write the minted seeds to DIR/<target>/, plus files derived from the given fixtures.")

    @Argument(help: ArgumentHelp("The corpus directory.", valueName: "DIR")) var out: String
    @Option(help: ArgumentHelp("The Biscuit samples (*.bc and samples.json).", valueName: "DIR")) var samples: String?
    @Option(help: ArgumentHelp("The AIP vectors (aip_vector.json).", valueName: "DIR")) var vectors: String?
    @Option(help: ArgumentHelp("Scenario files (*.yaml, searched recursively).", valueName: "DIR")) var scenarios: String?

    func run() throws {
        var seeds: [(FuzzTarget, FuzzSeeds.Seed)] = []
        do {
            for target in FuzzTarget.allCases {
                seeds += try FuzzSeeds.seeds(for: target).map { (target, $0) }
            }
            if let dir = samples { seeds += try SeedWriter.samples(dir) }
            if let dir = vectors { seeds += try SeedWriter.vectors(dir) }
            if let dir = scenarios { seeds += try SeedWriter.scenarios(dir) }
            for (target, seed) in seeds {
                let directory = (out as NSString).appendingPathComponent(target.rawValue)
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Data(seed.bytes).write(to: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(seed.name)))
            }
        } catch {
            throw FuzzCommandLine.fail("baton-fuzz seeds: \(error)")
        }
        print("wrote \(seeds.count) seed(s) under \(out)")
    }
}

/// The seeds derived from shared fixtures.
enum SeedWriter {
    /// `*.bc` tokens, and the printed code of every block and authorizer in `samples.json`.
    static func samples(_ dir: String) throws -> [(FuzzTarget, FuzzSeeds.Seed)] {
        var out: [(FuzzTarget, FuzzSeeds.Seed)] = []
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        for file in files where file.hasSuffix(".bc") {
            let data = try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(file)))
            out.append((.biscuit, .init(name: "sample-" + file, bytes: Array(data))))
        }
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("samples.json"))))
        let cases = (json as? [String: Any])?["testcases"] as? [[String: Any]] ?? []
        for testCase in cases {
            let stem = ((testCase["filename"] as? String) ?? "case").replacingOccurrences(of: ".bc", with: "")
            for (i, block) in ((testCase["token"] as? [[String: Any]]) ?? []).enumerated() {
                if let code = block["code"] as? String {
                    out.append((.datalog, .init(name: "sample-\(stem)-block\(i).dl", bytes: Array(code.utf8))))
                }
            }
            let validations = (testCase["validations"] as? [String: Any]) ?? [:]
            for (i, key) in validations.keys.sorted().enumerated() {
                if let code = (validations[key] as? [String: Any])?["authorizer_code"] as? String, !code.isEmpty {
                    out.append((.datalog, .init(name: "sample-\(stem)-authorizer\(i).dl", bytes: Array(code.utf8))))
                }
            }
        }
        return out
    }

    /// The AIP vector tokens (binary) and their Datalog sources.
    static func vectors(_ dir: String) throws -> [(FuzzTarget, FuzzSeeds.Seed)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("aip_vector.json")))
        guard let vector = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        var out: [(FuzzTarget, FuzzSeeds.Seed)] = []
        for key in ["token_base64", "authority_only_token_base64"] {
            if let text = vector[key] as? String, let bytes = try? Base64URL.decode(text) {
                out.append((.biscuit, .init(name: "aip-vector-\(key.replacingOccurrences(of: "_base64", with: "")).bc", bytes: bytes)))
            }
        }
        for key in ["authority_source", "delegation_source"] {
            if let text = vector[key] as? String { out.append((.datalog, .init(name: "aip-vector-\(key).dl", bytes: Array(text.utf8)))) }
        }
        for (i, auth) in ((vector["authorizations"] as? [[String: Any]]) ?? []).enumerated() {
            if let code = auth["authorizer_code"] as? String {
                out.append((.datalog, .init(name: "aip-vector-authorizer\(i).dl", bytes: Array(code.utf8))))
            }
        }
        return out
    }

    /// Every `*.yaml` under `dir`, named after its path (`happy/two-hop-chain.yaml` → `happy--two-hop-chain.yaml`).
    static func scenarios(_ dir: String) throws -> [(FuzzTarget, FuzzSeeds.Seed)] {
        let items = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
        return try items.filter { $0.hasSuffix(".yaml") }.map { item in
            let data = try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent(item)))
            return (.scenario, .init(name: item.replacingOccurrences(of: "/", with: "--"), bytes: Array(data)))
        }
    }
}
