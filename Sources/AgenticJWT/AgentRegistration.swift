import JOSE

/// An agent as the identity provider registered it: its id, the checksum of its definition
/// (prompt, tools, configuration), the public key its tokens are bound to, and the
/// registration id the tokens cite.
public struct AgentRegistration: Equatable, Sendable {
    public var agentID: String
    public var checksum: String
    /// The proof-of-possession public key (`cnf`).
    public var popKey: JWSVerificationKey
    public var registrationID: String

    public init(agentID: String, checksum: String, popKey: JWSVerificationKey, registrationID: String) {
        self.agentID = agentID
        self.checksum = checksum
        self.popKey = popKey
        self.registrationID = registrationID
    }

    public var json: JSONObject {
        [
            "agent_id": .string(agentID), "checksum": .string(checksum), "pop_jwk": .object(JWK(key: popKey).json),
            "registration_id": .string(registrationID),
        ]
    }

    public init(json: JSONObject) throws {
        guard let id = try json.string("agent_id"), let checksum = try json.string("checksum"),
            let jwk = try json.object("pop_jwk"), let reg = try json.string("registration_id")
        else { throw AgenticJWTError(.invalidRequest, at: .m1, "an agent registration needs agent_id, checksum, pop_jwk and registration_id") }
        self.init(agentID: id, checksum: checksum, popKey: try JWK(json: jwk).key, registrationID: reg)
    }
}
