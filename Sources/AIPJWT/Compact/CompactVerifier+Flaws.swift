import AIP
import BatonCrypto
import JOSE

/// How ``CompactVerifier`` behaves under ``CompactVerifier/Options/flaws`` (the attack
/// range's flawed-verifier gallery). The reference verifier has no flaws and never
/// reaches these paths.
extension CompactVerifier {
    var flaws: Set<CompactFlaw> { options.flaws }

    /// How claims are read: strictly, unless a claims flaw loosens it (for `claims` and `not-before` alike).
    var claimReading: CompactClaims.Reading {
        flaws.contains(.coerceClaimTypes) ? .coerceTypes : flaws.contains(.skipClaimValues) ? .skipValues : .strict
    }

    /// A verdict detail for a check weakened by `flaw`.
    static func flawed(_ flaw: CompactFlaw, _ what: String) -> String { "\(what) (flaw \(flaw.rawValue))" }

    /// The signature verdict a flaw gives instead of the Ed25519 check, or `nil` to run
    /// the check as the reference does.
    func flawedSignature(_ jws: JWS, issuer: ResolvedIssuer, now: Int64) throws(AIPError) -> CompactChecked<Ed25519.PublicKey>? {
        let alg = jws.algorithmName ?? ""
        if flaws.contains(.skipSignature) {
            return .skipped(try claimedKey(issuer, jws), Self.flawed(.skipSignature, "signature not checked"))
        }
        if flaws.contains(.acceptAlgNone), JWSAlgorithm.isNoneVariant(alg) {
            return .skipped(try claimedKey(issuer, jws), Self.flawed(.acceptAlgNone, "unsecured token, no signature checked"))
        }
        if flaws.contains(.hmacWithPublicKey), JWSAlgorithm.isHMACVariant(alg) {
            for key in issuer.keys {
                if let form = AlgorithmConfusion.detect(jws, publicKey: .ed25519(key)) {
                    return .skipped(key, Self.flawed(.hmacWithPublicKey, "HMAC verified with the public key of \(issuer.identifier) (\(form))"))
                }
            }
        }
        if flaws.contains(.trustEmbeddedJWK), case let .object(json)? = jws.header["jwk"], let jwk = try? JWK(json: json),
            case let .ed25519(key) = jwk.key, key.isValidSignature(jws.signature, for: jws.signingInput)
        {
            return .skipped(key, Self.flawed(.trustEmbeddedJWK, "signature verified with the header's jwk"))
        }
        if flaws.contains(.trustKid), let kid = jws.keyID {
            for key in keysNamed(byKid: kid, now: now) where key.isValidSignature(jws.signature, for: jws.signingInput) {
                return .skipped(key, Self.flawed(.trustKid, "signature verified with the key kid '\(kid)' names"))
            }
        }
        return nil
    }

    /// The key a token would have been signed with, when a flaw checks no signature: the
    /// issuer's key its signature verifies under if any (so key revocation still applies to
    /// it), otherwise the issuer's first key.
    private func claimedKey(_ issuer: ResolvedIssuer, _ jws: JWS) throws(AIPError) -> Ed25519.PublicKey {
        if let key = issuer.keys.first(where: { $0.isValidSignature(jws.signature, for: jws.signingInput) }) { return key }
        guard let key = issuer.keys.first else {
            throw CompactCheck.signature.fail(.signatureInvalid, "\(issuer.identifier) has no key")
        }
        return key
    }

    /// `compact-any-issuer-key`: every key the verifier trusts, whoever `iss` names: the
    /// configured key, or every current key of the registry (and the issuer's own, if it resolves).
    func anyTrustedKey(_ iss: String, now: Int64) -> [Ed25519.PublicKey] {
        switch trust {
        case let .key(key, _):
            return [key]
        case let .registry(registry, _):
            var keys = (try? registry.resolveKeys(iss, at: now)) ?? []
            for id in registry.documents.keys.sorted() {
                for key in (try? registry.resolveKeys(id, at: now)) ?? [] where !keys.contains(key) { keys.append(key) }
            }
            return keys
        }
    }

    /// `compact-trust-kid`: the keys of the AIP identifier `kid` names (before any `#`
    /// fragment): under a registry, resolved as an issuer would be; under a configured key,
    /// any self-certifying `aip:key:` identifier is trusted as it stands. Empty if it names none.
    func keysNamed(byKid kid: String, now: Int64) -> [Ed25519.PublicKey] {
        let identifier = String(kid.prefix { $0 != "#" })
        guard let parsed = AIPIdentifier(identifier) else { return [] }
        switch trust {
        case .key:
            if case let .key(key) = parsed { return [key] }
            return []
        case let .registry(registry, _):
            return (try? registry.resolveKeys(identifier, at: now)) ?? []
        }
    }
}
