/// Typed, throwing accessors over a JWT claims set (RFC 7519, RFC 8693).
///
/// Each accessor returns `nil` when the claim is absent and throws
/// ``JOSEError/invalidClaim(name:reason:)`` when it is present with the wrong shape.
public struct JWTClaims: Sendable, Equatable {
    /// The underlying claims object.
    public let object: JSONObject

    /// Maximum `act` nesting followed by ``actorChain``.
    public static let maxActorDepth = 32

    /// Wraps a claims object; nothing is checked until an accessor is called.
    public init(_ object: JSONObject) { self.object = object }

    /// `iss`.
    public var issuer: String? { get throws { try object.string("iss") } }
    /// `sub`.
    public var subject: String? { get throws { try object.string("sub") } }
    /// `jti`.
    public var jwtID: String? { get throws { try object.string("jti") } }

    /// `aud`, a single string or an array of strings, normalized to an array.
    public var audience: [String]? {
        get throws {
            switch object["aud"] {
            case nil: return nil
            case let .string(s)?: return [s]
            case .array?: return try object.stringArray("aud")
            case let other?: throw JOSEError.invalidClaim(name: "aud", reason: "expected a string or array of strings, found \(other.typeName)")
            }
        }
    }

    /// `exp` as NumericDate; a fractional value is rounded down.
    public var expiration: Int64? { get throws { try numericDate("exp", roundUp: false) } }
    /// `nbf` as NumericDate; a fractional value is rounded up.
    public var notBefore: Int64? { get throws { try numericDate("nbf", roundUp: true) } }
    /// `iat` as NumericDate; a fractional value is rounded up.
    public var issuedAt: Int64? { get throws { try numericDate("iat", roundUp: true) } }

    /// `scope` (RFC 8693 §4.2): a space-separated string, split into scope tokens.
    public var scope: [String]? {
        get throws {
            guard let s = try object.string("scope") else { return nil }
            return s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
    }

    /// `scopes`: an array of strings.
    public var scopes: [String]? { get throws { try object.stringArray("scopes") } }

    /// `scope` if present, else `scopes`.
    public var grantedScopes: [String]? { get throws { try scope ?? scopes } }

    /// The `act` chain (RFC 8693 §4.1) as actor subjects, outermost (current actor) first.
    /// Each `act` must be an object with a string `sub`.
    public var actorChain: [String]? {
        get throws {
            guard var current = try object.object("act") else { return nil }
            var chain = [String]()
            while true {
                guard chain.count < Self.maxActorDepth else {
                    throw JOSEError.invalidClaim(name: "act", reason: "nested deeper than \(Self.maxActorDepth)")
                }
                guard let sub = try? current.string("sub") else {
                    throw JOSEError.invalidClaim(name: "act", reason: "actor \(chain.count) has no string \"sub\"")
                }
                chain.append(sub)
                guard let next = current["act"] else { return chain }
                guard case let .object(o) = next else {
                    throw JOSEError.invalidClaim(name: "act", reason: "nested act is not an object")
                }
                current = o
            }
        }
    }

    /// `delegation_depth`: a non-negative integer.
    public var delegationDepth: Int64? {
        get throws {
            guard let d = try object.int("delegation_depth") else { return nil }
            guard d >= 0 else { throw JOSEError.invalidClaim(name: "delegation_depth", reason: "negative") }
            return d
        }
    }

    /// A NumericDate claim: an integer, or a finite number rounded as asked.
    public func numericDate(_ name: String, roundUp: Bool) throws -> Int64? {
        switch object[name] {
        case nil: return nil
        case let .int(i)?: return i
        case let .double(d)?:
            let r = roundUp ? d.rounded(.up) : d.rounded(.down)
            guard let i = Int64(exactly: r) else { throw JOSEError.invalidClaim(name: name, reason: "out of range") }
            return i
        case let other?:
            throw JOSEError.invalidClaim(name: name, reason: "expected a NumericDate, found \(other.typeName)")
        }
    }
}
