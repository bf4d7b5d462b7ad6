import Foundation
import ArgumentParser
import BatonConformance

/// `baton kill-matrix`: runs every flawed verifier and shows which scenarios catch it.
struct KillMatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-matrix", abstract: "Show which scenarios catch each flaw of the flawed-verifier gallery.")

    @Argument(help: "Scenario files or directories (default: Scenarios).")
    var paths: [String] = []

    @Option(help: "Write the matrix as Markdown to this file.")
    var markdown: String = "Reports/kill-matrix.md"

    func run() throws {
        let catalog = Catalogs.load(paths)
        let matrix = KillMatrix.compute(catalog)
        for row in matrix.rows {
            Console.out("\(row.flaw.padding(toLength: 30, withPad: " ", startingAt: 0)) caught by \(row.killedBy.count) scenario(s)")
        }
        try Console.write(matrix.markdown(), to: markdown)
        if !matrix.survivors.isEmpty {
            Console.out("baton: flaws no scenario catches: \(matrix.survivors.joined(separator: ", "))")
            throw ExitCode(1)
        }
        Console.out("baton: every flaw is caught")
    }
}
