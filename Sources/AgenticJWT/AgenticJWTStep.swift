/// The steps of minting (M1–M6, the identity provider) and of verification (A0–A9, the
/// resource server), in the order they run. docs/AGENTIC-JWT.md says what each checks.
public enum AgenticJWTStep: String, Hashable, Sendable, Codable, CaseIterable {
    /// The grant type and the request's members.
    case m1 = "M1"
    /// The agent is registered.
    case m2 = "M2"
    /// The computed checksum equals the registered one.
    case m3 = "M3"
    /// The workflow step exists and is the agent's, for this tool.
    case m4 = "M4"
    /// The requested scopes are within the step's.
    case m5 = "M5"
    /// Dependencies, earlier required steps and the approval gate.
    case m6 = "M6"
    /// A token is present and is a compact JWS.
    case a0 = "A0"
    /// Algorithm, `kid` and signature under the identity provider's published keys.
    case a1 = "A1"
    /// `iss`.
    case a2 = "A2"
    /// `exp`, `iat`, `nbf` and the announced lifetime.
    case a3 = "A3"
    /// `aud` names this resource server.
    case a4 = "A4"
    /// Proof of possession of the key in `cnf` (DPoP, RFC 9449; or the legacy signed headers).
    case a5 = "A5"
    /// `intent` present, bound to this endpoint's action and executed by the subject.
    case a6 = "A6"
    /// The required scope is granted.
    case a7 = "A7"
    /// The workflow: dependencies done, and the chain and sequence hashes as this server saw them.
    case a8 = "A8"
    /// `agent_proof` names the registered checksum and registration.
    case a9 = "A9"
}
