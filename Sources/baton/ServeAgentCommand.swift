import ArgumentParser
import BatonProfiles
import BatonRuntime
import Foundation

/// `baton serve-agent`: the reference agents on loopback HTTP, so the HTTP path
/// (`baton run --iut http://127.0.0.1:PORT`) is tested end to end. Each agent is the BatonAgents
/// `Agent` the in-memory bus runs (one agent implementation, two transports), verifying with `--iut`.
struct ServeAgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-agent", abstract: "Serve the reference A2A agents on 127.0.0.1 (POST /agents/<name>).")

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).") var port: UInt16 = 8750
    @Option(help: "The verifier the agents use: reference or flawed:<flaw>.", transform: { try ImplementationSpec(parsing: $0) })
    var iut: ImplementationSpec = .reference

    func run() throws {
        let verifier = try iut.make()
        let agents = ReferenceAgentServer(verifier: verifier)
        let server = try LoopbackHTTPServer(port: port) { agents.handle($0) }
        Console.err("baton: agents listening on http://127.0.0.1:\(server.port)/agents/<name> (verifier \(verifier.descriptor.name)); Ctrl-C to stop")
        server.serve()
    }
}
