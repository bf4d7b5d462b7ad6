import ArgumentParser
import BatonHarness
import BatonProfiles
import BatonVectors
import Foundation

/// `baton vectors`: static test vectors for implementers.
struct VectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors", abstract: "Static test vectors: the scenarios' verifications as JSON files any language can read.",
        subcommands: [VectorsExportCommand.self])
}

/// `baton vectors export DIR`: writes (or checks) the vector files, the index and the schema.
struct VectorsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one JSON file of test vectors per profile, index.json (every scenario, and why some have no vectors) and schema.json.")

    @Argument(help: "Directory to write to (e.g. Fixtures/vectors).")
    var directory: String

    @Option(help: "Scenario files or directories (repeatable; default: Scenarios).")
    var scenarios: [String] = []

    @Option(help: "Seed for every derived key.")
    var seed: String = "baton"

    @Flag(help: "Write nothing: fail, naming each file, when the files in DIR are not what the export makes.")
    var check = false

    func run() async throws {
        let catalog = ScenarioPaths.load(scenarios)
        for error in catalog.errors { Console.err("error: \(error)") }
        guard catalog.errors.isEmpty else {
            Console.err("baton: \(catalog.errors.count) broken scenario file(s); no vectors written")
            throw ExitCode(1)
        }
        let set = await VectorExport.make(scenarios: catalog.scenarios, reference: ReferenceImplementation(), seed: seed)
        let url = URL(fileURLWithPath: directory)
        if check {
            let differences = try set.differences(from: url)
            for line in differences { Console.out("stale: \(directory)/\(line)") }
            guard differences.isEmpty else {
                Console.out("baton: the vectors in \(directory) are stale; regenerate them with `baton vectors export \(directory)`")
                throw ExitCode(1)
            }
            Console.out("baton: the vectors in \(directory) are current")
            return
        }
        try set.write(to: url)
        for profile in set.index.profiles {
            Console.out(
                "\(profile.profile.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(profile.exported) of \(profile.scenarios) scenarios exported, \(profile.tests) tests"
            )
        }
        let exported = set.index.profiles.reduce(0) { $0 + $1.exported }
        let tests = set.index.profiles.reduce(0) { $0 + $1.tests }
        Console.out("baton: \(tests) tests from \(exported) of \(set.index.scenarios.count) scenarios written to \(directory)")
    }
}
