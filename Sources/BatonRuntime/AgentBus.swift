import Foundation

/// The in-memory A2A bus: delivers JSON-RPC bytes between named agents.
public struct AgentBus: Sendable {
    public private(set) var agents: [String: SimulatedAgent] = [:]

    public init() {}

    public mutating func register(_ agent: SimulatedAgent) { agents[agent.name] = agent }

    public func agent(_ name: String) -> SimulatedAgent? { agents[name] }

    /// Sends a request from one agent to another and returns the parsed response.
    /// An unknown receiver answers like a network error would. The bus keeps no transcript,
    /// so the sending time is not used.
    public mutating func send(_ request: A2ATaskRequest, from: String, to: String, at _: Int64) async -> A2ATaskResponse {
        let wire = request.json()
        let reply: Data
        if let receiver = agents[to] {
            reply = await receiver.handle(wire)
        } else {
            reply = A2ATaskResponse.failed(id: request.id, A2AError(rpcCode: -32004, message: "no agent named \(to) on the bus")).json()
        }
        do { return try A2ATaskResponse.parse(reply) } catch {
            return .failed(id: request.id, error)
        }
    }
}
