import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

/// Carries out a JWT forgery on a real token: claims and header really rewritten,
/// signatures really computed with the named key (or really absent).
struct JWTForger {
    var state: RunState
    var salt: String

    func apply(_ f: JWTForgery, to text: String) throws -> String {
        let jws: JWS
        do { jws = try JWS.parse(text) } catch { throw ForgeFailure("the source token is not a JWT: \(error)") }
        var header = jws.header
        var claims = jws.claims
        for name in f.removeHeader { header[name] = nil }
        for (name, value) in f.header.sorted(by: { $0.key < $1.key }) { header[name] = resolve(value) }
        for name in f.remove { claims = Self.setting(claims, path: name.split(separator: ".").map(String.init), to: nil) }
        for (name, value) in f.set.sorted(by: { $0.key < $1.key }) {
            claims = Self.setting(claims, path: name.split(separator: ".").map(String.init), to: resolve(value))
        }
        if let edit = f.act { claims["act"] = try edited(claims["act"], edit) }

        let key: JWSSigningKey
        switch f.signing {
        case .keep, .strip:
            let h = StrictBase64URL.encode(header.serialized())
            let p = StrictBase64URL.encode(claims.serialized())
            let signature = f.signing == .keep ? jws.encodedSignature : ""
            return "\(h).\(p).\(signature)"
        case let .unsecured(alg):
            header["alg"] = .string(alg)
            return try JWS.forge(header: header, claims: claims, key: .unsecured).compact
        case let .hmacPublicKey(form):
            // The key the verifier trusts: the token service's, or the trusted root agent's (compact tokens).
            let publicKey = state[JWTSigning.self].trustedKey ?? .ed25519(state.key(state.trust).publicKey)
            guard let secret = AlgorithmConfusion.candidateSecrets(for: publicKey).first(where: { $0.name == form })?.secret else {
                throw ForgeFailure("unknown key form \(form) (raw, spki_der, pem, pem_no_newline, jwk_json, jwk_x)")
            }
            header["alg"] = "HS256"
            key = .hs256(secret: secret)
        case let .key(name):
            key = name == "sts" ? try tokenServiceKey() : state.jwtKey(name, salt: salt)
            header["alg"] = .string(key.algorithm.rawValue)
        }
        if f.embedJWK, let pub = key.verificationKey { header["jwk"] = .object(JWK(key: pub).json) }
        return try JWS.forge(header: header, claims: claims, key: key).compact
    }

    /// `object` with the member at `path` (`intent.executed_by`: a member of a nested object) set to
    /// `value`, or removed when `value` is nil; missing objects on the way are created.
    static func setting(_ object: JSONObject, path: [String], to value: JSONValue?) -> JSONObject {
        guard let first = path.first else { return object }
        var out = object
        if path.count == 1 {
            out[first] = value
        } else {
            let inner = out[first]?.objectValue ?? JSONObject()
            out[first] = .object(setting(inner, path: Array(path.dropFirst()), to: value))
        }
        return out
    }

    /// `$now±N` → a time; `$name` → the agent's identity; anything else as is.
    func resolve(_ value: JSONValue) -> JSONValue {
        guard case let .string(s) = value, s.hasPrefix("$") else { return value }
        let body = s.dropFirst()
        if body.hasPrefix("now") {
            let rest = body.dropFirst(3)
            if rest.isEmpty { return .int(state.clock.now) }
            if let n = Int64(rest.hasPrefix("+") ? String(rest.dropFirst()) : String(rest)) { return .int(state.clock.now + n) }
        }
        return .string(state.identity(String(body)))
    }

    func edited(_ act: JSONValue?, _ edit: JWTForgery.ActEdit) throws -> JSONValue? {
        var actors: [String] = []
        var current = act
        while case let .object(o)? = current, actors.count < 64 {
            if case let .string(sub)? = o["sub"] { actors.append(sub) }
            current = o["act"]
        }
        switch edit {
        case .swapOutermost:
            guard actors.count >= 2 else { throw ForgeFailure("the act chain has fewer than two actors to swap") }
            actors.swapAt(0, 1)
        case .dropOutermost:
            guard !actors.isEmpty else { throw ForgeFailure("the token has no act chain") }
            actors.removeFirst()
        case let .replace(agents):
            actors = agents.map(state.identity)
        }
        var nested: JSONValue?
        for actor in actors.reversed() {
            var o: JSONObject = ["sub": .string(actor)]
            if let inner = nested { o["act"] = inner }
            nested = .object(o)
        }
        return nested
    }

    /// The token service's own signing key, as the scenario set it up: models a compromised
    /// or buggy issuer, to test what a verifier checks beyond the signature.
    func tokenServiceKey() throws -> JWSSigningKey {
        guard let key = state[JWTSigning.self].issuerKey else {
            // A token service under test that keeps its own signing key (a real deployment) cannot be impersonated.
            if let service = state.tokenExchange.service {
                throw RunSkip(reason: "'sign: sts' needs the signing key of the token service, which \(service.issuer) keeps to itself")
            }
            throw ForgeFailure("'sign: sts' needs a token service")
        }
        return key
    }
}
