import Foundation

/// The in-memory A2A bus: delivers JSON-RPC bytes between named agents and
/// keeps every exchange, in order, for traces and the audit trail.
public struct AgentBus: Sendable {
    public struct Exchange: Hashable, Sendable {
        public var sequence: Int
        public var time: Int64
        public var from: String
        public var to: String
        public var request: Data
        public var response: Data
    }

    public private(set) var agents: [String: SimulatedAgent] = [:]
    public private(set) var exchanges: [Exchange] = []

    public init() {}

    public mutating func register(_ agent: SimulatedAgent) { agents[agent.name] = agent }

    public func agent(_ name: String) -> SimulatedAgent? { agents[name] }

    /// Drops the kept exchanges (long simulations that do not need a transcript).
    public mutating func forgetExchanges() { exchanges.removeAll(keepingCapacity: true) }

    /// Sends a request from one agent to another and returns the parsed response.
    /// An unknown receiver answers like a network error would.
    public mutating func send(_ request: A2ATaskRequest, from: String, to: String, at time: Int64) async -> A2ATaskResponse {
        let wire = request.json()
        let reply: Data
        if let receiver = agents[to] {
            reply = await receiver.handle(wire)
        } else {
            reply = A2ATaskResponse.failed(id: request.id, A2AError(rpcCode: -32004, message: "no agent named \(to) on the bus")).json()
        }
        exchanges.append(Exchange(sequence: exchanges.count, time: time, from: from, to: to, request: wire, response: reply))
        do { return try A2ATaskResponse.parse(reply) } catch {
            return .failed(id: request.id, error)
        }
    }
}
