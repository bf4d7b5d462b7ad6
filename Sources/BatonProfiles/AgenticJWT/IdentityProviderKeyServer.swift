import AgenticJWT
import BatonRuntime
import Foundation
import JOSE
import Synchronization

/// The reference identity provider's published keys on loopback HTTP (`baton serve-sts --profile
/// agentic-jwt`), for a real resource server that fetches its JWKS (auth51-verifier in CI). The
/// provider signs every intent token with the same fixed RSA key (``FixedRSAKeys``, kid `idp-1`),
/// so the keys and the issuer are the same for every scenario and every run. Routes (a query is
/// ignored):
///
/// - `GET /.well-known/jwks.json`: the JWKS;
/// - `GET /.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`:
///   `issuer` and `jwks_uri` (the issuer is the tokens' `iss`, not this server's URL).
///
/// Intent tokens are still minted in process by the runner; this server only publishes the keys.
public final class IdentityProviderKeyServer: Sendable {
    /// The `iss` of the reference identity provider's intent tokens (the default domain, acme.com).
    public static let issuer = "https://idp.acme.com"

    /// The published keys: the fixed RSA key as the reference identity provider publishes it.
    public static var jwks: JWKSet {
        // The fixed key is RSA and loads by construction; a failure here is a programming error.
        guard
            let provider = try? IntentIdentityProvider(
                configuration: .init(issuer: issuer, keyID: ProviderSettings().keyID), signingKey: FixedRSAKeys.issuer)
        else { preconditionFailure("the reference identity provider cannot be made with its fixed key") }
        return provider.jwks
    }

    /// `http://127.0.0.1:PORT`, where the server listens (known once it is bound).
    private let base = Mutex("")

    public init() {}

    /// Starts answering as the server at `baseURL` (`http://127.0.0.1:PORT`).
    public func start(baseURL: String) {
        base.withLock { $0 = baseURL }
    }

    /// Answers one request.
    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let path = String(request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        switch (request.method, path) {
        case ("GET", "/.well-known/jwks.json"):
            return Self.json(Self.jwks.json)
        case ("GET", "/.well-known/oauth-authorization-server"), ("GET", "/.well-known/openid-configuration"):
            let baseURL = base.withLock { $0 }
            guard !baseURL.isEmpty else { return Self.json(["error": "temporarily_unavailable"], status: 503) }
            return Self.json(["issuer": .string(Self.issuer), "jwks_uri": .string("\(baseURL)/.well-known/jwks.json")])
        default:
            return Self.json(["error": "not_found", "error_description": .string("no route \(request.method) \(path)")], status: 404)
        }
    }

    static func json(_ o: JSONObject, status: Int = 200) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: Data(o.canonicalString.utf8))
    }
}
