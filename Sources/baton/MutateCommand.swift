import ArgumentParser
import BatonProfiles

/// `baton mutate`: mutation testing of the reference verifier.
struct MutateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutate", abstract: "Mutate a valid chain many ways; no mutant may be accepted unless identical in meaning.")

    @Option(help: "How many mutants.") var count: Int = 100_000
    @Option(help: "Random seed.") var seed: UInt64 = 2026

    func run() throws {
        let result = try MutationCampaign(count: count, seed: seed).run()
        Console.out("| class | generated | rejected | accepted, identical | accepted, different |")
        Console.out("|---|---:|---:|---:|---:|")
        for kind in MutationCampaign.MutationClass.allCases {
            let t = result.tallies[kind] ?? .init()
            Console.out("| \(kind.rawValue) | \(t.generated) | \(t.rejected) | \(t.acceptedIdentical) | \(t.acceptedDifferent) |")
        }
        Console.out("mutate: \(result.total) mutants, \(result.escaped) accepted with a different meaning")
        for (kind, token) in result.escapes { Console.out("escape (\(kind.rawValue)): \(token)") }
        if result.escaped > 0 { throw ExitCode(1) }
    }
}
