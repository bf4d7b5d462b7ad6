import BatonHarness
import BatonTestSupport
import Foundation
import Testing

/// `baton run --shard i/n` and `baton merge`: the partition is deterministic, complete and balanced,
/// and the merged reports of the shards are the whole run's, byte for byte, in every format.
@Suite(.serialized) struct ShardTests {
    @Test func everyScenarioLandsInExactlyOneShardAndTheShardsAreBalanced() throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let items = catalog.scenarios.map { (id: $0.id, cost: ScenarioCost.estimate($0)) }
        #expect(items.count > 400)
        for count in [1, 2, 3, 4, 7] {
            let shards = Shard.assignments(items, count: count)
            #expect(shards.count == count)
            let all = shards.flatMap { $0 }
            #expect(all.count == items.count && Set(all) == Set(items.map(\.id)), "\(count) shards: each id exactly once")
            #expect(Shard.assignments(items.shuffled(), count: count) == shards, "the order given does not matter")
            let cost = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.cost) })
            let loads = shards.map { $0.reduce(0) { $0 + cost[$1, default: 0] } }
            #expect((loads.max() ?? 0) - (loads.min() ?? 0) <= items.map(\.cost).max() ?? 0, "greedy by cost: within one scenario's cost \(loads)")
        }
        let selected = try (1...3).map { try Shard(index: $0, count: 3).select(catalog.scenarios).map(\.id) }
        #expect(selected.flatMap { $0 }.sorted() == catalog.scenarios.map(\.id).sorted())
        #expect(selected.allSatisfy { $0 == $0.sorted() }, "each shard runs in id order")
    }

    @Test func shardsAreReadStrictly() throws {
        #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "1/2/3", "-1/2", ""] {
            #expect(throws: Shard.ParseError.self, "\(bad)") { try Shard(parsing: bad) }
        }
        #expect(String(describing: (try? Shard(parsing: "x")) as Any) == "nil")
        do { _ = try Shard(parsing: "5/4") } catch { #expect("\(error)" == "shard 5/4: the index must be between 1 and 4") }
    }

    /// A suite of three profiles, workflows with audit records, and a broken file.
    static func suite(in dir: URL) throws -> URL {
        let root = dir.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["compact", "workflows", "zeroid"] {
            try FileManager.default.copyItem(at: PackagePaths.scenarios.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        try Data("id: broken/one\nprofile: aip-chained\nsteps: [\n".utf8).write(to: root.appendingPathComponent("broken.yaml"))
        return root
    }

    static func files(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func mergedShardsAreTheWholeRunByteForByte() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-shards-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let suite = try Self.suite(in: dir)
        let whole = dir.appendingPathComponent("whole"), merged = dir.appendingPathComponent("merged")
        let run = try VerifyCommandTests.run(["run", suite.path, "--reports", whole.path, "--quiet"])
        #expect(run.status == 1, "the broken file fails the run: \(run.stderr)")
        var shardReports: [String] = []
        for i in 1...3 {
            let out = dir.appendingPathComponent("shard-\(i)")
            let shard = try VerifyCommandTests.run(["run", suite.path, "--reports", out.path, "--quiet", "--shard", "\(i)/3"])
            #expect(shard.stderr.contains("baton: shard \(i)/3: "), "\(shard.stderr)")
            #expect(shard.status == (i == 1 ? 1 : 0), "only the first shard reports the broken file: \(shard.stdout)")
            let json = out.appendingPathComponent("baton-reference.json")
            let manifest = try #require(
                (try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]).flatMap { $0["report"] as? [String: Any] }?[
                    "manifest"]
                    as? [String: Any])
            #expect(manifest["shard"] as? String == "\(i)/3")
            shardReports.append(json.path)
        }
        let merge = try VerifyCommandTests.run(["merge"] + shardReports.reversed() + ["--reports", merged.path])
        #expect(merge.status == 1, "the merged run fails as the whole run does: \(merge.stdout)\(merge.stderr)")
        #expect(merge.stdout.contains("baton: merged 3 shard(s) of baton-reference: "), "\(merge.stdout)")
        let names = try Self.files(whole)
        #expect(names.count == 7, "\(names)")
        #expect(try Self.files(merged) == names)
        for name in names {
            let a = try Data(contentsOf: whole.appendingPathComponent(name)), b = try Data(contentsOf: merged.appendingPathComponent(name))
            #expect(a == b, "\(name) differs between the whole run and the merged shards")
        }
        let json = try String(contentsOf: merged.appendingPathComponent("baton-reference.json"), encoding: .utf8)
        #expect(!json.contains(#""shard""#), "the merged manifest is the whole run's")
        #expect(json.contains(#""scenarioId" : "file:broken.yaml""#))

        let missing = try VerifyCommandTests.run(["merge", shardReports[0], shardReports[2], "--reports", merged.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing shard(s) 2/3 (given: 1/3, 3/3)"), "\(missing.stderr)")
        let twice = try VerifyCommandTests.run(["merge", shardReports[0], shardReports[1], shardReports[1], "--reports", merged.path])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("shard 2/3 given twice"), "\(twice.stderr)")
        let notShard = try VerifyCommandTests.run(["merge", whole.appendingPathComponent("baton-reference.json").path, "--reports", merged.path])
        #expect(notShard.status == 2)
        #expect(notShard.stderr.contains("not a shard (its manifest records no --shard)"), "\(notShard.stderr)")
        let other = dir.appendingPathComponent("other")
        _ = try VerifyCommandTests.run(["run", suite.path, "--reports", other.path, "--quiet", "--shard", "2/3", "--seed", "another"])
        let mixed = try VerifyCommandTests.run(
            ["merge", shardReports[0], other.appendingPathComponent("baton-reference.json").path, shardReports[2], "--reports", merged.path])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("are not shards of one run: seed baton vs another differ"), "\(mixed.stderr)")
    }
}
