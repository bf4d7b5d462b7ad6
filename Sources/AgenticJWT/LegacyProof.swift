import AgentChecksum
import BatonCrypto
import JOSE

/// The legacy proof of possession of the proof of concept: the agent signs, with the RSA key the
/// token carries in `cnf.jwk` (PKCS#1 v1.5, SHA-256), Python's `json.dumps` with sorted keys of
/// `{"checksum", "data": "", "method", "timestamp", "url"}`, and sends the signature (standard
/// base64) in the `PoP` header and the timestamp (integer seconds) in `X-PoP-Timestamp`.
///
/// It binds the method, the URL and the agent's checksum, but not the access token itself and not
/// the request body; the timestamp is what makes it fresh, so a server must bound it.
public struct LegacyProof: Hashable, Sendable {
    public static let signatureHeader = "PoP"
    public static let timestampHeader = "X-PoP-Timestamp"

    public var method: String
    public var url: String
    /// `agent_proof.agent_checksum` of the token, or nil (signed as `null`).
    public var checksum: String?
    public var timestamp: Int64

    public init(method: String, url: String, checksum: String?, timestamp: Int64) {
        self.method = method
        self.url = url
        self.checksum = checksum
        self.timestamp = timestamp
    }

    /// The signed bytes.
    public var message: [UInt8] {
        let o: JSONObject = [
            "checksum": checksum.map(JSONValue.string) ?? .null, "data": "", "method": .string(method), "timestamp": .int(timestamp),
            "url": .string(url),
        ]
        return Array(PythonJSON.dumps(.object(o)).utf8)
    }

    /// The `PoP` header's value: the signature in standard base64.
    public func signature(with key: JWSSigningKey) throws -> String {
        guard case .rsa = key else { throw AgenticJWTError(.popInvalid, at: .a5, "the legacy proof is signed with an RSA key") }
        return StandardBase64.encode(try key.sign(message))
    }

    /// Whether `signature` (the `PoP` header) is `key`'s signature of this proof.
    public func isSigned(_ signature: String, by key: JWSVerificationKey) -> Bool {
        guard case .rsa = key, let bytes = try? StandardBase64.decode(signature) else { return false }
        return key.isValidSignature(bytes, for: message, algorithm: .rs256)
    }
}
