import BatonCrypto

/// A predicate: a name applied to terms, e.g. `right("file1", "read")`.
public struct Predicate: Hashable, Sendable {
    /// The predicate name.
    public var name: String
    /// The arguments.
    public var terms: [Term]

    /// `name(terms…)`.
    public init(name: String, terms: [Term]) { self.name = name; self.terms = terms }

    /// Same name (compared by UTF-8 bytes) and equal terms.
    public static func == (lhs: Predicate, rhs: Predicate) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8) && lhs.terms == rhs.terms
    }

    /// Hashes the name's UTF-8 bytes and the terms.
    public func hash(into hasher: inout Hasher) {
        hasher.combineUTF8(name)
        hasher.combine(terms)
    }
}

/// A ground predicate.
public struct Fact: Hashable, Sendable {
    /// The predicate, whose terms hold no variable.
    public var predicate: Predicate
    /// A fact of `predicate`.
    public init(_ predicate: Predicate) { self.predicate = predicate }
    /// The fact `name(terms…)`.
    public init(name: String, terms: [Term]) { predicate = Predicate(name: name, terms: terms) }
}

/// An algorithm-tagged public key as it appears in Datalog (`ed25519/…`) and on the wire.
public struct BiscuitPublicKey: Hashable, Sendable {
    /// A signature algorithm.
    public enum Algorithm: Int, Hashable, Sendable {
        /// Ed25519 (`ed25519/…`).
        case ed25519 = 0
        /// ECDSA over P-256 (`secp256r1/…`).
        case secp256r1 = 1

        /// The prefix used in Datalog text.
        public var name: String { self == .ed25519 ? "ed25519" : "secp256r1" }
    }

    /// The key's algorithm.
    public var algorithm: Algorithm
    /// The key's bytes as carried on the wire.
    public var bytes: [UInt8]

    /// A key of `algorithm` with these bytes (not validated).
    public init(algorithm: Algorithm, bytes: [UInt8]) { self.algorithm = algorithm; self.bytes = bytes }
    /// An Ed25519 key.
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
    /// The predicate produced for each match of the body.
    public var head: Predicate
    /// The predicates that must all match.
    public var body: [Predicate]
    /// Conditions on the matched variables; each must evaluate to `true`.
    public var expressions: [Expression]
    /// The rule's `trusting` scopes (empty: the block's scopes apply).
    public var scopes: [Scope]

    /// `head <- body, expressions trusting scopes`.
    public init(head: Predicate, body: [Predicate], expressions: [Expression] = [], scopes: [Scope] = []) {
        self.head = head
        self.body = body
        self.expressions = expressions
        self.scopes = scopes
    }
}

/// `check if`, `check all` or `reject if` with one or more alternative queries.
public struct Check: Hashable, Sendable {
    /// How a check's queries must match.
    public enum Kind: Int, Hashable, Sendable {
        /// `check if`: some query matches once.
        case one = 0
        /// `check all`: every match of the query satisfies the expressions.
        case all = 1
        /// `reject if`: the check fails if some query matches.
        case reject = 2
    }

    /// How the queries must match.
    public var kind: Kind
    /// Alternatives joined by `or`; each is a rule whose head is `query(...)`.
    public var queries: [Rule]

    /// A check of `kind` with alternative `queries`.
    public init(kind: Kind = .one, queries: [Rule]) { self.kind = kind; self.queries = queries }
}

/// `allow if` / `deny if` with alternative queries.
public struct Policy: Hashable, Sendable {
    /// Whether a match allows or denies.
    public enum Kind: Hashable, Sendable {
        /// `allow if`.
        case allow
        /// `deny if`.
        case deny
    }

    /// Allow or deny.
    public var kind: Kind
    /// Alternatives joined by `or`; the first that matches decides.
    public var queries: [Rule]

    /// A policy of `kind` with alternative `queries`.
    public init(kind: Kind, queries: [Rule]) { self.kind = kind; self.queries = queries }
}
