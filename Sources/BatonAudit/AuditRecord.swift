import BatonCrypto
import Foundation

/// One call on the bus as the auditor saw it: who called whom, on whose behalf,
/// through which chain, for what, and what was decided. Records are hash-chained
/// (each carries the previous record's hash) and signed by the auditor.
public struct AuditRecord: Hashable, Sendable, Codable {
    /// One hop of the delegation chain.
    public struct Hop: Hashable, Sendable, Codable {
        public var delegator: String
        public var delegate: String
        public var scopes: [String]
        public var context: String?

        public init(delegator: String, delegate: String, scopes: [String], context: String?) {
            self.delegator = delegator
            self.delegate = delegate
            self.scopes = scopes
            self.context = context
        }
    }

    /// Position in the log, from 0.
    public var sequence: Int
    /// Seconds since the epoch (scenario time).
    public var time: Int64
    /// The scenario (or session) the call belongs to.
    public var session: String
    /// The natural person at the root of the chain, when the token names one.
    public var principal: String?
    /// The issuer at the root.
    public var issuer: String?
    public var caller: String
    public var receiver: String
    /// The delegation hops, root first.
    public var chain: [Hop]
    /// The scope (tool) the call used.
    public var scope: String
    /// `accept` or `reject`.
    public var decision: String
    public var step: String?
    public var code: String?
    /// Revocation ids (hex) of the token's blocks.
    public var revocationIds: [String]
    /// Hash of the previous record (hex); 64 zeros for the first.
    public var previousHash: String
    /// SHA-256 of this record's canonical form (every field above), hex.
    public var hash: String
    /// The auditor's Ed25519 signature over `hash`, hex.
    public var signature: String

    public static let genesis = String(repeating: "0", count: 64)

    /// A record to append; `AuditLog.append` fills in sequence, previous hash, hash and signature.
    public init(
        sequence: Int = 0, time: Int64, session: String, principal: String?, issuer: String?, caller: String,
        receiver: String, chain: [Hop], scope: String, decision: String, step: String? = nil, code: String?,
        revocationIds: [String], previousHash: String = "", hash: String = "", signature: String = ""
    ) {
        self.sequence = sequence
        self.time = time
        self.session = session
        self.principal = principal
        self.issuer = issuer
        self.caller = caller
        self.receiver = receiver
        self.chain = chain
        self.scope = scope
        self.decision = decision
        self.step = step
        self.code = code
        self.revocationIds = revocationIds
        self.previousHash = previousHash
        self.hash = hash
        self.signature = signature
    }

    /// The bytes that are hashed: every field except `hash` and `signature`, keys sorted.
    public func canonicalBytes() -> [UInt8] {
        var copy = self
        copy.hash = ""
        copy.signature = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(copy)) ?? Data())
    }

    /// Recomputes the hash.
    public func computedHash() -> String { Hex.encode(SHA256.hash(canonicalBytes())) }
}
