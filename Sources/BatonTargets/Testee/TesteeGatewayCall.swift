import BatonAudit
import BatonModel
import Foundation

/// `gateway_call` params: the call, with the verify request as the `verify` op's params.
struct GatewayCallParams: Encodable {
    let call: GatewayCall

    private enum Key: String, CodingKey {
        case profile, kind, target, scope, token, verify
        case transportIdentity = "transport_identity"
        case claimedCaller = "claimed_caller"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(call.profile, forKey: .profile)
        try c.encode(call.kind, forKey: .kind)
        try c.encode(call.transportIdentity, forKey: .transportIdentity)
        try c.encode(call.claimedCaller, forKey: .claimedCaller)
        try c.encode(call.target, forKey: .target)
        try c.encode(call.scope, forKey: .scope)
        try c.encode(call.token, forKey: .token)
        try c.encode(VerifyParams(request: call.verify), forKey: .verify)
    }
}

extension TesteeProcess {
    public func gatewayCall(_ call: GatewayCall) async -> GatewayDecision {
        switch await self.call("gateway_call", GatewayCallParams(call: call)) {
        case let .failure(message): return GatewayDecision(outcome: .failed(message.text))
        case let .success(.refused(code, message, _)) where code == Self.unsupportedCode: return GatewayDecision(outcome: Self.unsupported(message))
        case let .success(.refused(code, message, _)):
            return GatewayDecision(outcome: .failed("the testee could not process gateway_call: \(code)" + (message.map { ": \($0)" } ?? "")))
        case let .success(.result(result)): return Self.gatewayDecision(from: result)
        }
    }

    /// Reads a `gateway_call` result: `forward` (boolean); when false, `code` (and optionally `step`,
    /// `message`); optionally `record` {caller, principal, holder}. Anything else is an implementation error.
    static func gatewayDecision(from result: [String: TesteeJSON]) -> GatewayDecision {
        guard let forward = result["forward"]?.boolValue else {
            return GatewayDecision(
                outcome: .failed("the testee's gateway_call answer is malformed: it needs a boolean 'forward': \(prefix(of: result))"))
        }
        var record: GatewayRecord?
        if let r = result["record"]?.objectValue {
            record = GatewayRecord(
                caller: r["caller"]?.stringValue, principal: r["principal"]?.stringValue, holder: r["holder"]?.stringValue, hops: [])
        }
        if forward { return GatewayDecision(outcome: .accepted, record: record) }
        guard let code = result["code"]?.stringValue else {
            return GatewayDecision(outcome: .failed("the testee's gateway_call answer is malformed: a refusal needs a string 'code'"))
        }
        return GatewayDecision(
            outcome: .rejected(code, step: result["step"]?.stringValue, message: result["message"]?.stringValue), record: record)
    }
}
