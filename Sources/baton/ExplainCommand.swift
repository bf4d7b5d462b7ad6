import ArgumentParser
import BatonHarness
import BatonProfiles

/// `baton explain ID`: what a scenario does, the chains it builds, and each step's verdict.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain a scenario: its steps, chains and verdicts.")

    @Argument(help: "The scenario id.")
    var id: String

    @Option(help: "Scenario files or directories (default: Scenarios).")
    var paths: [String] = []

    @Option(help: "The implementation under test.", transform: { try ImplementationSpec(parsing: $0) })
    var iut: ImplementationSpec = .reference

    func run() async throws {
        let catalog = ScenarioPaths.load(paths)
        guard let scenario = catalog.scenarios.first(where: { $0.id == id }) else {
            let close = catalog.scenarios.map(\.id).filter { $0.contains(id.split(separator: "/").last.map(String.init) ?? id) }
            throw ValidationError("no scenario '\(id)'" + (close.isEmpty ? "" : "; did you mean: \(close.prefix(5).joined(separator: ", "))?"))
        }
        Console.out("\(scenario.id) — \(scenario.title)")
        Console.out("file: \(scenario.file):\(scenario.line)    profile: \(scenario.profile)    tags: \(scenario.tags.joined(separator: ", "))")
        if !scenario.spec.isEmpty {
            let catalogue = try? SpecCatalogue.standard.get()
            Console.out("tests:")
            for id in scenario.spec {
                let clause = catalogue?.clause(id)
                Console.out("  \(id) \(clause.map { "(\($0.level.rawValue), \($0.section)): \($0.title)" } ?? "")")
            }
        }
        if let risk = scenario.owasp { Console.out("OWASP: \(risk)") }
        if let cwe = scenario.cwe { Console.out("CWE: \(cwe.id) \(cwe.name)") }
        if let summary = scenario.summary { Console.out("\n\(summary.trimmingCharacters(in: .whitespacesAndNewlines))") }
        Console.out("\nexpected: \(scenario.finalExpectation?.description ?? "-")")

        let implementation = try iut.make()
        let (result, tokens) = await ScenarioRunner(implementation: implementation).explain(scenario)
        Console.out("\nsteps (\(implementation.descriptor.name)):")
        for line in result.trace { Console.out("  \(line)") }
        Console.out("\nchains:")
        for (name, text) in tokens {
            for line in scenario.driver.describe(token: text, name: name) { Console.out("  \(line)") }
        }
        Console.out("\nresult: \(result.status.rawValue.uppercased()) — \(result.message)")
    }
}
