import ArgumentParser
import BatonProfiles
import BatonRuntime
import Foundation

/// `baton serve-gateway`: Baton's reference gateway on loopback HTTP, in front of `--upstream`, so
/// the gateway target (`baton run --iut gateway:http://127.0.0.1:PORT#name&upstream=PORT2`) is
/// tested end to end. It decides each call with `--iut` (the reference, or a flawed gateway such as
/// `flawed:workflow-gateway-trusts-claimed-caller`).
struct ServeGatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-gateway",
        abstract: "Serve the reference gateway on 127.0.0.1 (POST /mcp, POST /agents/<name>), forwarding to --upstream.")

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).") var port: UInt16 = 8760
    @Option(
        help: "Where forwarded calls go (a loopback http URL; Baton's gateway target listens there).",
        transform: { text in
            guard let url = URL(string: text), url.isLoopbackHTTP else { throw ValidationError("--upstream needs a loopback http URL: \(text)") }
            return url
        })
    var upstream: URL
    @Option(help: "The gateway that decides: reference or flawed:<flaw>.", transform: { try ImplementationSpec(parsing: $0) })
    var iut: ImplementationSpec = .reference

    func run() throws {
        let gateway = ReferenceGatewayServer(gateway: try iut.make(), upstream: upstream)
        let server = try LoopbackHTTPServer(port: port) { gateway.handle($0) }
        Console.err("baton: gateway listening on http://127.0.0.1:\(server.port) (forwarding to \(upstream.absoluteString)); Ctrl-C to stop")
        server.serve()
    }
}
