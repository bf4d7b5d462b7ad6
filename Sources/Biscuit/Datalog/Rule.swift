import BatonCrypto

/// A predicate: a name applied to terms, e.g. `right("file1", "read")`.
public struct Predicate: Hashable, Sendable {
    public var name: String
    public var terms: [Term]

    public init(name: String, terms: [Term]) { self.name = name; self.terms = terms }

    public static func == (lhs: Predicate, rhs: Predicate) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8) && lhs.terms == rhs.terms
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combineUTF8(name)
        hasher.combine(terms)
    }
}

/// A ground predicate.
public struct Fact: Hashable, Sendable {
    public var predicate: Predicate
    public init(_ predicate: Predicate) { self.predicate = predicate }
    public init(name: String, terms: [Term]) { predicate = Predicate(name: name, terms: terms) }
}

/// An algorithm-tagged public key as it appears in Datalog (`ed25519/…`) and on the wire.
public struct BiscuitPublicKey: Hashable, Sendable {
    public enum Algorithm: Int, Hashable, Sendable {
        case ed25519 = 0
        case secp256r1 = 1

        /// The prefix used in Datalog text.
        public var name: String { self == .ed25519 ? "ed25519" : "secp256r1" }
    }

    public var algorithm: Algorithm
    public var bytes: [UInt8]

    public init(algorithm: Algorithm, bytes: [UInt8]) { self.algorithm = algorithm; self.bytes = bytes }
    public init(_ key: Ed25519.PublicKey) { algorithm = .ed25519; bytes = key.bytes }

    /// `ed25519/<hex>` or `secp256r1/<hex>`.
    public var text: String { "\(algorithm.name)/\(Hex.encode(bytes))" }
}

/// Which blocks' facts a rule, check or block trusts.
public enum Scope: Hashable, Sendable {
    /// The authority block and the authorizer.
    case authority
    /// Every block before this one.
    case previous
    /// Blocks signed by this third-party key.
    case publicKey(BiscuitPublicKey)
}

/// `head <- body, expressions` with optional `trusting` scopes.
public struct Rule: Hashable, Sendable {
    public var head: Predicate
    public var body: [Predicate]
    public var expressions: [Expression]
    public var scopes: [Scope]

    public init(head: Predicate, body: [Predicate], expressions: [Expression] = [], scopes: [Scope] = []) {
        self.head = head
        self.body = body
        self.expressions = expressions
        self.scopes = scopes
    }
}

/// `check if`, `check all` or `reject if` with one or more alternative queries.
public struct Check: Hashable, Sendable {
    public enum Kind: Int, Hashable, Sendable {
        case one = 0
        case all = 1
        case reject = 2
    }

    public var kind: Kind
    /// Alternatives joined by `or`; each is a rule whose head is `query(...)`.
    public var queries: [Rule]

    public init(kind: Kind = .one, queries: [Rule]) { self.kind = kind; self.queries = queries }
}

/// `allow if` / `deny if` with alternative queries.
public struct Policy: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case allow
        case deny
    }

    public var kind: Kind
    public var queries: [Rule]

    public init(kind: Kind, queries: [Rule]) { self.kind = kind; self.queries = queries }
}
