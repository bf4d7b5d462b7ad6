import BatonCrypto
import BatonModel
import JOSE
import Synchronization
import TokenExchange

/// The reference token services of the scenarios being run, one per session. The only
/// shared mutable state of the reference implementation: a token service remembers the
/// actor assertions it has accepted.
final class ReferenceTokenServices: Sendable {
    private struct Entry {
        var service: SecurityTokenService
        /// Agent URIs by scenario name.
        var uris: [String: String]
    }

    private let services = Mutex<[String: Entry]>([:])

    func setUp(_ setup: TokenServiceSetup) throws -> TokenServiceInfo {
        guard let layout = ClaimLayout(rawValue: setup.layout) else { throw ReferenceSetupError("unknown layout \(setup.layout)") }
        let key = try Self.signingKey(algorithm: setup.algorithm, secret: setup.signingKey.bytes)
        let agents = try setup.agents.map { a in
            RegisteredAgent(
                uri: a.uri, publicKey: try a.publicKeyPEM.map { try JWSVerificationKey(pem: $0) }, allowedScopes: a.scopes,
                maxDepth: a.maxDepth, grantTypes: Set(a.grantTypes))
        }
        let configuration = TokenServiceConfiguration(
            issuer: setup.issuer, layout: layout, tokenLifetime: setup.tokenLifetime, maxAssertionLifetime: setup.maxAssertionLifetime,
            maxDepth: setup.maxDepth, delegableScopes: setup.delegableScopes)
        let service = SecurityTokenService(configuration: configuration, signingKey: key, agents: agents)
        let uris = Dictionary(setup.agents.map { ($0.name, $0.uri) }, uniquingKeysWith: { a, _ in a })
        services.withLock { $0[setup.session] = Entry(service: service, uris: uris) }
        return TokenServiceInfo(issuer: setup.issuer, jwks: service.jwks.json.canonicalString, identities: [:])
    }

    /// Runs `body` on the session's service, keeping what it changed.
    func with<T>(_ session: String, _ body: (inout SecurityTokenService, [String: String]) throws -> T) throws -> T {
        try services.withLock { services in
            guard var entry = services[session] else { throw ReferenceSetupError("no token service was set up for \(session)") }
            defer { services[session] = entry }
            return try body(&entry.service, entry.uris)
        }
    }

    static func signingKey(algorithm: String, secret: [UInt8]) throws -> JWSSigningKey {
        switch JWSAlgorithm(rawValue: algorithm) {
        case .eddsa?: return .ed25519(try Ed25519.PrivateKey(seed: secret))
        case .es256?: return try .p256(scalar: secret)
        default: throw ReferenceSetupError("unsupported algorithm \(algorithm)")
        }
    }
}

struct ReferenceSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
