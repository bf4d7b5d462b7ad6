/// The "HS256 keyed with the public key" attack (CVE-2015-9235 family): a forger takes the
/// verifier's public key in some serialized form, uses it as an HMAC secret and sets
/// `alg: HS256`, hoping the verifier passes its "key" to HMAC.
public enum AlgorithmConfusion {
    /// Serializations of a public key an attacker may use as the HMAC secret, each with a
    /// stable name: `raw`, `spki_der`, `pem`, `pem_no_newline`, `jwk_json`, `jwk_x`.
    public static func candidateSecrets(for key: JWSVerificationKey) -> [(name: String, secret: [UInt8])] {
        let pem = key.pem
        var pemNoNewline = pem
        while pemNoNewline.hasSuffix("\n") { pemNoNewline.removeLast() }
        let members = JWK.requiredMembers(of: key)
        var out: [(String, [UInt8])] = [
            ("raw", key.rawBytes),
            ("spki_der", key.spkiDER),
            ("pem", Array(pem.utf8)),
            ("pem_no_newline", Array(pemNoNewline.utf8)),
            ("jwk_json", members.serialized()),
        ]
        if let x = members["x"]?.stringValue { out.append(("jwk_x", Array(x.utf8))) }
        return out
    }

    /// If `jws` is an HMAC-SHA-256 token whose MAC was computed with one of the
    /// ``candidateSecrets(for:)`` of `key`, returns that secret's name.
    public static func detect(_ jws: JWS, publicKey key: JWSVerificationKey) -> String? {
        guard jws.signature.count == 32 else { return nil }
        let input = jws.signingInput
        for (name, secret) in candidateSecrets(for: key)
        where HMACSHA256.equal(HMACSHA256.mac(input, secret: secret), jws.signature) {
            return name
        }
        return nil
    }
}
