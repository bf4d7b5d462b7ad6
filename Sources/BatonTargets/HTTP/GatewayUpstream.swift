import BatonRuntime
import Foundation
import Synchronization

/// The upstream Baton puts behind a gateway under test: a loopback server that records every
/// request the gateway forwards (by its JSON-RPC `id`, with the headers the gateway added) and
/// answers it like a tool server or agent that took it. What reaches it is what the gateway let
/// through, whatever the gateway answered the caller.
final class GatewayUpstream: Sendable {
    /// One forwarded request.
    struct Arrival: Sendable {
        var path: String
        var headers: [(name: String, value: String)]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private let server: LoopbackHTTPServer
    private let arrivals: Arrivals

    final class Arrivals: Sendable {
        let byID = Mutex<[String: Arrival]>([:])
    }

    /// Binds 127.0.0.1:`port` (where the gateway is configured to forward) and serves.
    init(port: UInt16) throws {
        let arrivals = Arrivals()
        self.arrivals = arrivals
        server = try LoopbackHTTPServer(port: port) { request in
            let id = Self.requestID(request.body)
            if let id {
                arrivals.byID.withLock { $0[id] = Arrival(path: request.path, headers: request.headers, body: request.body) }
            }
            let answer: [String: Any] = ["jsonrpc": "2.0", "id": id ?? NSNull(), "result": ["forwarded": true]]
            return LoopbackHTTPServer.Response(
                status: 200, body: (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])) ?? Data())
        }
        server.start()
    }

    var port: UInt16 { server.port }

    /// The request with this JSON-RPC id, if the gateway forwarded it (taken: each is read once).
    func take(_ id: String) -> Arrival? {
        arrivals.byID.withLock { $0.removeValue(forKey: id) }
    }

    static func requestID(_ body: Data) -> String? {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["id"] as? String
    }

    deinit { server.stop() }
}
