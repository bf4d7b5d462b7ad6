import ArgumentParser
import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports

/// `baton coverage`: which clauses of the specifications Baton judges its scenarios test, and
/// which none does, per document and per profile.
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "List every specification clause with the scenarios that test it, and the clauses none tests.")

    /// How the coverage is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    @OptionGroup var scenarios: ScenarioPaths

    @Option(help: "Only the clauses that apply to this profile, and its scenarios.")
    var profile: String?

    @Option(help: "text, markdown or json.")
    var format: Format = .text

    func run() throws {
        let catalogue: SpecCatalogue
        switch SpecCatalogue.standard {
        case let .success(c): catalogue = c
        case let .failure(e): throw ValidationError("the specification catalogue could not be loaded: \(e)")
        }
        let known = ProfileRegistry.standard.map(\.profile)
        let filter = profile.map { TokenProfile($0) }
        if let filter, !known.contains(filter) {
            throw ValidationError("unknown profile '\(filter)' (profiles: \(known.map(\.rawValue).joined(separator: ", ")))")
        }
        let catalog = scenarios.load()
        for error in catalog.errors { Console.err("baton: \(error)") }
        let tests = catalog.scenarios.map { SpecCoverage.Test(scenario: $0.id, profile: $0.profile, clauses: $0.spec) }
        let coverage = SpecCoverage(catalogue: catalogue, tests: tests, profile: filter)
        let byProfile = filter != nil ? [] : known.map { ($0, SpecCoverage(catalogue: catalogue, tests: tests, profile: $0).tally) }
        let text: String
        switch format {
        case .text: text = CoverageReport.text(coverage, byProfile: byProfile)
        case .markdown: text = CoverageReport.markdown(coverage, byProfile: byProfile)
        case .json: text = try CoverageReport.json(coverage, byProfile: byProfile)
        }
        Console.out(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        if !catalog.errors.isEmpty { throw ExitCode(1) }
    }
}
