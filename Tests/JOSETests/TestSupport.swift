import BatonCrypto
import Testing

@testable import JOSE

/// Runs `body` and returns the JOSEError code it threw, or nil (recorded as a failure) if none.
@discardableResult
func joseErrorCode(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        try body()
        Issue.record("expected a JOSEError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as JOSEError {
        return error.code
    } catch {
        Issue.record("expected a JOSEError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

enum Fixtures {
    /// RFC 8037 A.1 private key.
    static let rfcPrivateJWK =
        #"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
    /// RFC 8037 A.2 public key.
    static let rfcPublicJWK = #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#

    static let edKey = Ed25519.PrivateKey.derived(from: "jose-tests-issuer")
    static let otherEdKey = Ed25519.PrivateKey.derived(from: "jose-tests-other")
    static var edSigner: JWSSigningKey { .ed25519(edKey) }
    static var edPublic: JWSVerificationKey { .ed25519(edKey.publicKey) }

    static func p256Signer(_ label: String = "jose-tests-p256") -> JWSSigningKey {
        // SHA-256 of a label is a valid P-256 scalar with overwhelming probability.
        (try? JWSSigningKey.p256(scalar: SHA256.hash("p256:" + label))) ?? .unsecured
    }

    static let now: Int64 = 1_750_000_000

    static var claims: JSONObject {
        [
            "iss": "https://idp.example", "sub": "agent:alice", "aud": ["https://api.example", "other"],
            "iat": .int(now - 10), "exp": .int(now + 300), "jti": "t-1",
        ]
    }

    static func part(_ json: String) -> String { StrictBase64URL.encode(Array(json.utf8)) }
}
