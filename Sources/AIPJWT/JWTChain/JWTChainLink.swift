import AIP
import BatonCrypto
import JOSE

/// One link of an AIP JWT chain (draft-prakash-aip-02 §5.1, as agent-identity-protocol 0.6.0
/// implements it): a JWS compact token with `typ: aip-link+jwt`, signed with EdDSA. Link 0 is
/// signed by the issuer's root key; every later link by the key the previous link named in its
/// `cnf`, and carries `prev`, the SHA-256 (base64url) of the previous link as transmitted.
public struct JWTChainLink: Hashable, Sendable {
    /// The claim names of a link.
    public enum Claim {
        public static let tools = "aip_tools"
        public static let domains = "aip_domains"
        public static let budgetCents = "aip_budget_cents"
        public static let maxDepth = "aip_max_depth"
        public static let context = "aip_ctx"
        public static let principal = "aip_principal"
        public static let previous = "prev"
        public static let confirmation = "cnf"
    }

    /// Who delegates (link 0: the issuer).
    public var issuer: String
    /// Who receives, and holds the key in `cnf`.
    public var delegate: String
    public var tools: [String]?
    public var domains: [String]?
    public var budgetCents: Int64?
    public var expiry: Int64?
    public var issuedAt: Int64?
    public var context: String?
    public var principal: String?
    /// Declared by the authority link only.
    public var maxDepth: Int64?
    /// The holder's key (`cnf.jwk`): it signs the next link.
    public var holderKey: Ed25519.PublicKey
    /// `prev`: the hash of the previous link (absent on link 0).
    public var previous: String?
    public var jwtID: String?

    /// Reads a link's claims strictly: every member has its JSON type or the link is malformed.
    public init(claims: JSONObject) throws(AIPError) {
        func string(_ name: String) throws(AIPError) -> String? {
            switch claims[name] {
            case nil: return nil
            case let .string(s)?: return s
            case let other?: throw AIPError(.tokenMalformed, step: .v4, "\(name) must be a string, found \(other.typeName)")
            }
        }
        func integer(_ name: String) throws(AIPError) -> Int64? {
            switch claims[name] {
            case nil: return nil
            case let .int(i)?: return i
            case let other?: throw AIPError(.tokenMalformed, step: .v4, "\(name) must be an integer, found \(other.typeName)")
            }
        }
        func strings(_ name: String) throws(AIPError) -> [String]? {
            switch claims[name] {
            case nil: return nil
            case let .array(values)?:
                var out: [String] = []
                for v in values {
                    guard case let .string(s) = v else { throw AIPError(.tokenMalformed, step: .v4, "\(name) must be an array of strings") }
                    out.append(s)
                }
                return out
            case let other?: throw AIPError(.tokenMalformed, step: .v4, "\(name) must be an array of strings, found \(other.typeName)")
            }
        }
        guard let issuer = try string("iss"), let delegate = try string("sub") else {
            throw AIPError(.tokenMalformed, step: .v4, "a link must carry iss and sub")
        }
        self.issuer = issuer
        self.delegate = delegate
        tools = try strings(Claim.tools)
        domains = try strings(Claim.domains)
        budgetCents = try integer(Claim.budgetCents)
        expiry = try integer("exp")
        issuedAt = try integer("iat")
        context = try string(Claim.context)
        principal = try string(Claim.principal)
        maxDepth = try integer(Claim.maxDepth)
        previous = try string(Claim.previous)
        jwtID = try string("jti")
        holderKey = try Self.holderKey(claims)
    }

    /// The Ed25519 key of `cnf.jwk` (an OKP JWK of 32 bytes), or a malformed-link error.
    static func holderKey(_ claims: JSONObject) throws(AIPError) -> Ed25519.PublicKey {
        guard case let .object(cnf)? = claims[Claim.confirmation], case let .object(jwk)? = cnf["jwk"],
            jwk["kty"] == .string("OKP"), jwk["crv"] == .string("Ed25519"), case let .string(x)? = jwk["x"]
        else { throw AIPError(.tokenMalformed, step: .v1, "cnf must carry an Ed25519 OKP jwk") }
        guard let bytes = try? StrictBase64URL.decode(x, what: "cnf jwk x"), bytes.count == 32, let key = try? Ed25519.PublicKey(bytes: bytes) else {
            throw AIPError(.tokenMalformed, step: .v1, "cnf jwk x is not a base64url 32-byte Ed25519 key")
        }
        return key
    }

    /// Every link of a chain and its JWS, read without verifying anything: for a holder extending
    /// what it holds, and for reports. A link that is not a JWT or whose claims do not read is malformed.
    public static func read(_ chain: String) throws(AIPError) -> [(link: JWTChainLink, jws: JWS)] {
        var out: [(link: JWTChainLink, jws: JWS)] = []
        for segment in chain.split(separator: JWTChainFormat.separator, omittingEmptySubsequences: false) {
            guard let jws = try? JWS.parse(String(segment)) else { throw AIPError(.tokenMalformed, step: .v1, "not a JWT chain") }
            out.append((try JWTChainLink(claims: jws.claims), jws))
        }
        return out
    }

    /// The `cnf` claim naming `key` as the holder's.
    public static func confirmation(_ key: Ed25519.PublicKey) -> JSONValue {
        .object(["jwk": .object(JWK(key: .ed25519(key)).json)])
    }

    /// `prev` of the link after `segment`: base64url SHA-256 of the segment's ASCII text.
    public static func previousHash(of segment: String) -> String {
        StrictBase64URL.encode(SHA256.hash(Array(segment.utf8)))
    }
}

/// The encoding's constants.
public enum JWTChainFormat {
    /// `typ` of every link.
    public static let linkType = "aip-link+jwt"
    /// Links are joined with `~`.
    public static let separator: Character = "~"

    /// Whether a token looks like a JWT chain: base64url JSON (`eyJ`) with a `~`, or a single link
    /// whose header says `aip-link+jwt` (read unverified, only to pick a verifier).
    public static func looksLikeChain(_ token: String) -> Bool {
        guard token.hasPrefix("eyJ") else { return false }
        if token.contains(separator) { return true }
        return (try? JWS.parse(token))?.type == linkType
    }
}
