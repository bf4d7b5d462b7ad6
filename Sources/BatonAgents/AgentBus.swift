import BatonRuntime
import Foundation

/// The in-memory A2A bus: a directory of agents by name, and a log of every envelope it carried
/// (what a tap on the bus sees). Delivery goes through the agents' own wire handling, so the bytes
/// are the same as over HTTP.
public struct AgentBus: Sendable {
    /// One envelope the bus carried.
    public struct Envelope: Hashable, Sendable {
        public var from: String
        public var to: String
        public var taskId: String
        public var token: String?
    }

    public private(set) var agents: [String: Agent] = [:]
    public private(set) var log: [Envelope] = []

    public init() {}

    /// Lists an agent under its name (a rogue may list itself under another's name: the last one wins).
    public mutating func register(_ agent: Agent, as listed: String? = nil) { agents[listed ?? agent.name] = agent }

    public func agent(_ name: String) -> Agent? { agents[name] }

    /// Writes an envelope to the log.
    public mutating func carried(_ request: A2ATaskRequest, from: String, to: String) {
        log.append(Envelope(from: from, to: to, taskId: request.taskId, token: request.token))
    }

    /// Delivers a request's bytes to the agent listed under `to` and parses its answer; an unknown
    /// receiver answers like a network error would.
    public static func deliver(_ request: A2ATaskRequest, to receiver: Agent?, named to: String, world: any AgentWorld) async -> A2ATaskResponse {
        let reply: Data
        if let receiver {
            reply = await receiver.handle(request.json(), world: world)
        } else {
            reply = A2ATaskResponse.failed(id: request.id, A2AError(rpcCode: -32004, message: "no agent named \(to) on the bus")).json()
        }
        do { return try A2ATaskResponse.parse(reply) } catch {
            return .failed(id: request.id, error)
        }
    }
}
