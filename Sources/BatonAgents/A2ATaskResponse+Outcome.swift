import BatonModel
import BatonRuntime

extension A2ATaskResponse {
    /// The answer as a verdict: completed is an acceptance; an AIP-style code a refusal (with the
    /// step the receiver reported); a JSON-RPC error a failure.
    public var outcome: Outcome {
        guard let error else { return .accepted }
        if let code = error.aipCode { return .rejected(code, step: error.step, message: error.message) }
        return .failed(error.message)
    }
}
