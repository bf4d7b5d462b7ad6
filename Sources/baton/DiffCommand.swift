import ArgumentParser
import BatonModel
import BatonReports
import Foundation

/// `baton diff BEFORE.json AFTER.json`: what changed between two runs of one implementation.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two JSON reports of one implementation: new failures, fixes, changed codes, accepted attacks.",
        discussion: """
            Exit status: 0 when nothing regressed, 1 when some case regressed (an attack newly accepted, or a \
            case that fails or errs now and passed or was skipped before), 2 when the reports cannot be \
            compared (unreadable, not Baton JSON reports, or of different implementations without --force).
            """)

    /// How the diff is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown
    }

    @Argument(help: "The earlier run's JSON report (<reports>/<implementation>.json).")
    var before: String

    @Argument(help: "The later run's JSON report.")
    var after: String

    @Option(help: "Output format: text or markdown.")
    var format: Format = .text

    @Option(help: "Write the diff to this file instead of standard output.")
    var output: String?

    @Flag(help: "Compare reports of different implementations.")
    var force = false

    func run() throws {
        let reports: [RunReport]
        do {
            reports = try [before, after].map { try JSONReport.read(contentsOf: $0) }
        } catch {
            Console.err("baton diff: \(error)")
            throw ExitCode(2)
        }
        let (a, b) = (reports[0], reports[1])
        let (nameA, nameB) = (RunDiff.implementation(of: a), RunDiff.implementation(of: b))
        if nameA != nameB && !force {
            Console.err(
                "baton diff: the reports are of different implementations: \(before) is of \(nameA), \(after) of \(nameB) (--force compares them anyway)"
            )
            throw ExitCode(2)
        }
        let diff = RunDiff(before: a, after: b)
        let text =
            format == .markdown ? RunDiffReport.markdown(diff, before: before, after: after) : RunDiffReport.text(diff, before: before, after: after)
        if let output { try Console.write(text, to: output) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
        if diff.isRegression { throw ExitCode(1) }
    }
}
