import BatonCrypto

/// An identity document (core §3), reduced to what verification uses.
public struct IdentityDocument: Hashable, Sendable, Codable {
    /// A verification key listed in the document, with its validity window.
    public struct Key: Hashable, Sendable, Codable {
        /// The key's id within the document.
        public var id: String
        /// The Ed25519 public key, hex-encoded.
        public var publicKeyHex: String
        /// Start of validity, seconds since the epoch (inclusive).
        public var validFrom: Int64
        /// End of validity, seconds since the epoch (inclusive).
        public var validUntil: Int64

        /// A key valid from `validFrom` to `validUntil`.
        public init(id: String, publicKey: Ed25519.PublicKey, validFrom: Int64, validUntil: Int64) {
            self.id = id
            self.publicKeyHex = publicKey.hex
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        /// The decoded key; `nil` if ``publicKeyHex`` is not a valid key.
        public var publicKey: Ed25519.PublicKey? { try? Ed25519.PublicKey(hex: publicKeyHex) }
    }

    /// The identity this document describes (an `aip:web:` identifier).
    public var id: String
    /// The identity's keys.
    public var keys: [Key]
    /// `delegation.max_depth` (default 3).
    public var maxDelegationDepth: Int
    /// Whether the document advertises a revocation endpoint (then V7 is mandatory).
    public var advertisesRevocation: Bool
    /// The document must not be trusted after this time.
    public var expires: Int64

    /// A document for `id` with its keys and policy.
    public init(id: String, keys: [Key], maxDelegationDepth: Int = 3, advertisesRevocation: Bool = false, expires: Int64) {
        self.id = id
        self.keys = keys
        self.maxDelegationDepth = maxDelegationDepth
        self.advertisesRevocation = advertisesRevocation
        self.expires = expires
    }

    /// Keys valid at `now` (bounds inclusive, as the spec's examples read).
    public func validKeys(at now: Int64) -> [Ed25519.PublicKey] {
        keys.filter { $0.validFrom <= now && now <= $0.validUntil }.compactMap(\.publicKey)
    }
}

/// The in-memory stand-in for `https://<domain>/.well-known/aip/...` resolution:
/// what the identity documents of the simulated agents say.
public struct IdentityRegistry: Hashable, Sendable {
    /// The published documents, by identifier.
    public private(set) var documents: [String: IdentityDocument] = [:]

    /// A registry publishing `documents`.
    public init(documents: [IdentityDocument] = []) {
        for d in documents { self.documents[d.id] = d }
    }

    /// Publishes (or replaces) a document.
    public mutating func publish(_ document: IdentityDocument) { documents[document.id] = document }
    /// Withdraws the document of `id`.
    public mutating func remove(_ id: String) { documents[id] = nil }

    /// Resolves an identifier to the keys valid at `now`: `aip:key:` from the identifier
    /// itself, `aip:web:` from a published, unexpired document.
    public func resolveKeys(_ identifier: String, at now: Int64) throws(AIPError) -> [Ed25519.PublicKey] {
        guard let parsed = AIPIdentifier(identifier) else {
            throw AIPError(.identityUnresolvable, step: .v2, "'\(identifier)' is not a valid AIP identifier")
        }
        switch parsed {
        case let .key(key):
            return [key]
        case .web:
            guard let doc = documents[identifier] else {
                throw AIPError(.identityUnresolvable, step: .v2, "no identity document is published for \(identifier)")
            }
            guard now < doc.expires else {
                throw AIPError(.identityUnresolvable, step: .v2, "the identity document of \(identifier) expired")
            }
            let keys = doc.validKeys(at: now)
            guard !keys.isEmpty else {
                throw AIPError(.identityUnresolvable, step: .v2, "the identity document of \(identifier) has no key valid now")
            }
            return keys
        }
    }

    /// The published document of `identifier`, if any (expired or not).
    public func document(_ identifier: String) -> IdentityDocument? { documents[identifier] }
}
