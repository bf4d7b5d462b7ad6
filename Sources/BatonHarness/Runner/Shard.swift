import BatonModel

/// One part of a suite split across `count` runs (`baton run --shard index/count`): a deterministic
/// partition of the scenarios, balanced by their estimated cost, so that the shards of a CI matrix
/// finish at about the same time and `baton merge` puts their reports back into the whole run's.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// Why a shard could not be read.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The most shards a run may be split into.
    public static let maximumCount = 1000

    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ParseError(description: "a shard count must be between 1 and \(Self.maximumCount), not \(count)")
        }
        guard (1...count).contains(index) else { throw ParseError(description: "shard \(index)/\(count): the index must be between 1 and \(count)") }
        self.index = index
        self.count = count
    }

    /// Reads `i/n` (for example `2/4`).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ParseError(description: "'\(text)' is not a shard: write INDEX/COUNT, e.g. 2/4 (the second of four)")
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard's scenarios, in the order given.
    public func select(_ scenarios: [Scenario]) -> [Scenario] {
        let mine = Set(Self.assignments(scenarios.map { (id: $0.id, cost: ScenarioCost.estimate($0)) }, count: count)[index - 1])
        return scenarios.filter { mine.contains($0.id) }
    }

    /// The scenario ids of each shard: the costliest first, each to the shard with the least cost so far
    /// (the lowest index on a tie); equal costs in id order. Every id lands in exactly one shard.
    public static func assignments(_ items: [(id: String, cost: Int)], count: Int) -> [[String]] {
        var load = [Int](repeating: 0, count: count)
        var shards = [[String]](repeating: [], count: count)
        for item in items.sorted(by: { $0.cost != $1.cost ? $0.cost > $1.cost : $0.id < $1.id }) {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 } ?? 0
            load[lightest] += item.cost
            shards[lightest].append(item.id)
        }
        return shards
    }
}
