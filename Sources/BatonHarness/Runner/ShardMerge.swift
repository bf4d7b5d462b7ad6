import BatonModel

/// Puts the reports of a sharded run (`baton run --shard i/n`, one per shard) back together into the
/// report the whole run would have written: results in the run's order (broken scenario files first,
/// then scenarios by id), the manifest without its shard. Refuses shards of different runs, a shard
/// given twice, a missing one, and a scenario reported by two shards.
public enum ShardMerge {
    /// Why the reports cannot be merged, naming the files.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Merges `reports` (each with the file it came from, for errors), in any order.
    public static func merge(_ reports: [(path: String, report: RunReport)]) throws -> RunReport {
        guard let first = reports.first else { throw Failure(description: "no reports to merge") }
        var byIndex: [Int: String] = [:]
        var count: Int?
        for (path, report) in reports {
            guard let manifest = report.manifest else { throw Failure(description: "\(path): no manifest (made by a Baton without run manifests)") }
            guard let text = manifest.shard else { throw Failure(description: "\(path): not a shard (its manifest records no --shard)") }
            let shard: Shard
            do { shard = try Shard(parsing: text) } catch { throw Failure(description: "\(path): \(error)") }
            if let count, count != shard.count {
                throw Failure(description: "\(path) is shard \(shard) but \(byIndex.values.sorted()[0]) is of \(count) shards")
            }
            count = shard.count
            if let other = byIndex[shard.index] { throw Failure(description: "shard \(shard) given twice: \(other) and \(path)") }
            byIndex[shard.index] = path
            try same(first, report, firstPath: reports[0].path, path: path)
        }
        let n = count ?? 0
        let missing = (1...max(n, 1)).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw Failure(
                description:
                    "missing shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) (given: \(byIndex.keys.sorted().map { "\($0)/\(n)" }.joined(separator: ", ")))"
            )
        }
        var seen: [String: String] = [:]
        var broken: [CaseResult] = []
        var cases: [CaseResult] = []
        for (path, report) in reports {
            for result in report.results {
                if let other = seen[result.scenarioId] {
                    throw Failure(description: "\(result.scenarioId) is in two shards: \(other) and \(path)")
                }
                seen[result.scenarioId] = path
                if result.status == .error && result.scenarioId.hasPrefix(SuiteRun.brokenFilePrefix) {
                    broken.append(result)
                } else {
                    cases.append(result)
                }
            }
        }
        var merged = first.report
        merged.results = broken + cases.sorted { $0.scenarioId < $1.scenarioId }
        merged.interrupted = reports.contains { $0.report.interrupted }
        merged.manifest?.shard = nil
        return merged
    }

    /// Checks that two shards are of one run: everything but their shard and results agrees.
    static func same(_ a: (path: String, report: RunReport), _ b: RunReport, firstPath: String, path: String) throws {
        var left = a.report, right = b
        left.results = []
        right.results = []
        left.interrupted = false
        right.interrupted = false
        left.manifest?.shard = nil
        right.manifest?.shard = nil
        guard left != right else { return }
        let l = left.manifest, r = right.manifest
        let what: String
        if l?.implementation != r?.implementation || left.implementation != right.implementation {
            what = "implementation \(left.implementation) vs \(right.implementation)"
        } else if l?.scenariosSHA256 != r?.scenariosSHA256 {
            what = "scenario files (sha256 \(l?.scenariosSHA256.prefix(16) ?? "")… vs \(r?.scenariosSHA256.prefix(16) ?? "")…)"
        } else if l?.seed != r?.seed {
            what = "seed \(l?.seed ?? "") vs \(r?.seed ?? "")"
        } else if l?.filters != r?.filters {
            what = "filters [\(l?.filters.joined(separator: ", ") ?? "")] vs [\(r?.filters.joined(separator: ", ") ?? "")]"
        } else if l != r {
            what = "manifests (Baton version, implementation version, roles or options)"
        } else {
            what = "profiles, tool version or known failures close to expiry"
        }
        throw Failure(description: "\(firstPath) and \(path) are not shards of one run: \(what) differ")
    }
}
