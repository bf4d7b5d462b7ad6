import BatonCrypto

/// An identity document (core §3), reduced to what verification uses.
public struct IdentityDocument: Hashable, Sendable, Codable {
    public struct Key: Hashable, Sendable, Codable {
        public var id: String
        public var publicKeyHex: String
        public var validFrom: Int64
        public var validUntil: Int64

        public init(id: String, publicKey: Ed25519.PublicKey, validFrom: Int64, validUntil: Int64) {
            self.id = id
            self.publicKeyHex = publicKey.hex
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        public var publicKey: Ed25519.PublicKey? { try? Ed25519.PublicKey(hex: publicKeyHex) }
    }

    public var id: String
    public var keys: [Key]
    /// `delegation.max_depth` (default 3).
    public var maxDelegationDepth: Int
    /// Whether the document advertises a revocation endpoint (then V7 is mandatory).
    public var advertisesRevocation: Bool
    /// The document must not be trusted after this time.
    public var expires: Int64

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
    public private(set) var documents: [String: IdentityDocument] = [:]

    public init(documents: [IdentityDocument] = []) {
        for d in documents { self.documents[d.id] = d }
    }

    public mutating func publish(_ document: IdentityDocument) { documents[document.id] = document }
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

    public func document(_ identifier: String) -> IdentityDocument? { documents[identifier] }
}
