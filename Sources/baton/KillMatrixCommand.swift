import ArgumentParser
import BatonHarness
import BatonProfiles
import BatonReports
import Foundation

/// `baton kill-matrix`: runs every flawed verifier and shows which scenarios catch it.
struct KillMatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-matrix", abstract: "Show which scenarios catch each flaw of the flawed-verifier gallery.")

    @OptionGroup var scenarios: ScenarioPaths

    @Option(help: "Write the matrix as Markdown to this file.")
    var markdown: String = "Reports/kill-matrix.md"

    func run() async throws {
        let catalog = scenarios.load()
        let matrix = await KillMatrix.compute(catalog)
        for row in matrix.rows {
            let pinned = row.killedBy.filter(\.pinsRemovedStep).count
            Console.out(
                "\(row.flaw.padding(toLength: 30, withPad: " ", startingAt: 0)) caught by \(row.killedBy.count) scenario(s), \(pinned) pinning \(row.removedStep)"
            )
        }
        try Console.write(KillMatrixReport.render(matrix), to: markdown)
        if !matrix.survivors.isEmpty {
            Console.out("baton: flaws no scenario catches: \(matrix.survivors.joined(separator: ", "))")
            throw ExitCode(1)
        }
        if !matrix.unpinned.isEmpty {
            Console.out("baton: flaws caught only by scenarios that do not pin the step they remove: \(matrix.unpinned.joined(separator: ", "))")
            throw ExitCode(1)
        }
        Console.out("baton: every flaw is caught, each by a scenario that pins the step it removes")
    }
}
