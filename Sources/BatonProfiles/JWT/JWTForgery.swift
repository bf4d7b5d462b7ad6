import BatonModel
import JOSE

/// A forged JWT: what to change in the header and claims, what to do to the `act`
/// chain, and how to sign the result. Every forgery is a real token: signatures are
/// really computed (or really absent).
public struct JWTForgery: Hashable, Sendable, CustomStringConvertible {
    /// Header members to set (`alg`, `kid`, `jku`, `typ` …).
    public var header: [String: JSONValue] = [:]
    public var removeHeader: [String] = []
    /// Claims to set (a dotted name reaches into nested objects: `intent.executed_by`); strings
    /// `$now±N` become times, `$name` an agent's identity.
    public var set: [String: JSONValue] = [:]
    public var remove: [String] = []
    public var act: ActEdit?
    public var signing: Signing = .keep
    /// Put the signing key's public JWK in the header (`jwk`).
    public var embedJWK = false

    public init() {}

    public enum ActEdit: Hashable, Sendable {
        /// Swap the two outermost actors.
        case swapOutermost
        /// Remove the outermost actor.
        case dropOutermost
        /// Replace the `act` chain by these agents, outermost first.
        case replace([String])
    }

    public enum Signing: Hashable, Sendable {
        /// Keep the original signature (over now different bytes).
        case keep
        /// An empty signature, `alg` unchanged.
        case strip
        /// `alg` set to this spelling of `none`, empty signature.
        case unsecured(String)
        /// Signed with this agent's key (`random`, or `sts` for the token service's own key).
        case key(String)
        /// `HS256` keyed with the token service's public key in this form (`pem`, `raw`, `spki_der`, `jwk_json` …).
        case hmacPublicKey(String)
    }

    public var description: String {
        var parts: [String] = []
        if !header.isEmpty {
            parts.append("header \(JSONValue.object(JSONObject(header.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })).canonicalString)")
        }
        if !removeHeader.isEmpty { parts.append("drop header \(removeHeader)") }
        if !set.isEmpty {
            parts.append("set \(JSONValue.object(JSONObject(set.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })).canonicalString)")
        }
        if !remove.isEmpty { parts.append("remove claims \(remove)") }
        switch act {
        case .swapOutermost?: parts.append("swap the two outermost actors")
        case .dropOutermost?: parts.append("drop the outermost actor")
        case let .replace(agents)?: parts.append("replace act by \(agents)")
        case nil: break
        }
        if embedJWK { parts.append("embed the signing key as jwk") }
        switch signing {
        case .keep: parts.append("keep the original signature")
        case .strip: parts.append("strip the signature")
        case let .unsecured(alg): parts.append("alg \(alg), no signature")
        case let .key(k): parts.append("sign with \(k)'s key")
        case let .hmacPublicKey(form): parts.append("HS256 keyed with the token service's public key (\(form))")
        }
        return "rewrite the JWT: " + parts.joined(separator: ", ")
    }
}
