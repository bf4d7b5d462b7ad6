import ArgumentParser
import BatonHarness
import BatonModel
import BatonReports
import Foundation

/// `baton merge SHARD.json...`: the JSON reports of a sharded run (`baton run --shard i/n`) back into
/// one run, written in every format as `baton run` writes them.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON reports of a sharded run (baton run --shard i/n) into one set of reports.",
        discussion: """
            The merged reports are those the whole run writes, byte for byte. Exit status: 0 when the merged \
            run succeeded, 1 when it has a failure (as baton run), 2 when the reports cannot be merged \
            (unreadable, not shards of one run, a shard missing or given twice).
            """)

    @Argument(help: "The shards' JSON reports (<reports>/<implementation>.json of each shard), in any order.")
    var shards: [String]

    @OptionGroup var outputs: ReportOutputs

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give the JSON report of every shard") }
    }

    func run() throws {
        let merged: RunReport
        do {
            merged = try ShardMerge.merge(shards.map { ($0, try JSONReport.read(contentsOf: $0)) })
        } catch {
            Console.err("baton merge: \(error)")
            throw ExitCode(2)
        }
        try outputs.write(merged, fileName: ReportOutputs.fileName(merged.implementation))
        let s = merged.summary
        Console.out("baton: merged \(shards.count) shard(s) of \(merged.implementation): \(s.line)")
        for line in merged.expiringKnownFailures ?? [] { Console.err("baton: a known failure expires soon: \(line)") }
        if merged.interrupted { Console.err("baton: a shard was interrupted; the merged reports are partial") }
        if !s.succeeded || merged.interrupted { throw ExitCode(1) }
    }
}
