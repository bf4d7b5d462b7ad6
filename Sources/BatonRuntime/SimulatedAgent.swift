import Foundation

/// One simulated agent: a name, an AIP identity, and what it does with a task
/// it receives (verify the token, then answer).
public struct SimulatedAgent: Sendable {
    /// Decides whether a received task may run: returns the reply text, or the error to answer with.
    public typealias Gate = @Sendable (_ request: A2ATaskRequest, _ receiver: SimulatedAgent) async -> Result<String, A2AError>

    public var name: String
    public var identity: String
    public var gate: Gate

    /// Agents live at `aip:web:<domain>/<name>`. `seed` no longer affects anything (the agent
    /// holds no key); it stays until the callers stop passing it.
    public init(name: String, domain: String = "acme.com", seed _: String = "baton", gate: @escaping Gate) {
        self.name = name
        identity = "aip:web:\(domain)/\(name)"
        self.gate = gate
    }

    /// Handles one request on the wire: parse, gate, answer. Never throws.
    public func handle(_ data: Data) async -> Data {
        let request: A2ATaskRequest
        do { request = try A2ATaskRequest.parse(data) } catch {
            return A2ATaskResponse.failed(id: "", error).json()
        }
        switch await gate(request, self) {
        case let .success(text): return A2ATaskResponse.completed(id: request.id, text: text).json()
        case let .failure(error): return A2ATaskResponse.failed(id: request.id, error).json()
        }
    }
}
