import ArgumentParser
import BatonHarness
import BatonProfiles

/// `baton list`: the scenarios, with what each expects.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List scenarios and their expected outcomes.")

    @OptionGroup var scenarios: ScenarioPaths

    @Option(help: "Only scenarios whose id contains this text.")
    var filter: String?

    func run() throws {
        let catalog = scenarios.load()
        for e in catalog.errors { Console.err("error: \(e)") }
        let shown = catalog.scenarios.filter { filter == nil || $0.id.contains(filter!) }
        let width = shown.map(\.id.count).max() ?? 0
        for s in shown {
            let pad = String(repeating: " ", count: width - s.id.count)
            Console.out("\(s.id)\(pad)  \(s.finalExpectation?.description ?? "-")  \(s.title)")
        }
        Console.out("\(shown.count) scenario(s)")
        if !catalog.errors.isEmpty { throw ExitCode(1) }
    }
}
