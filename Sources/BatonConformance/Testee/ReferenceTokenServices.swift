import BatonCrypto
import Foundation
import JOSE
import TokenExchange

/// The reference token services of the scenarios being run, one per session. The only
/// shared mutable state of the reference implementation: a token service remembers the
/// actor assertions it has accepted.
final class ReferenceTokenServices: @unchecked Sendable {
    private let lock = NSLock()
    private var services: [String: (service: SecurityTokenService, uris: [String: String])] = [:]

    func setUp(_ setup: TokenServiceSetup) throws -> TokenServiceInfo {
        guard let layout = ClaimLayout(rawValue: setup.layout) else { throw ReferenceSetupError("unknown layout \(setup.layout)") }
        let key = try Self.signingKey(algorithm: setup.algorithm, secret: Hex.decode(setup.signingKey))
        let agents = try setup.agents.map { a in
            RegisteredAgent(uri: a.uri, publicKey: try a.publicKeyPEM.map { try JWSVerificationKey(pem: $0) }, allowedScopes: a.scopes,
                            maxDepth: a.maxDepth, grantTypes: Set(a.grantTypes))
        }
        let configuration = TokenServiceConfiguration(
            issuer: setup.issuer, layout: layout, tokenLifetime: setup.tokenLifetime, maxAssertionLifetime: setup.maxAssertionLifetime,
            maxDepth: setup.maxDepth, delegableScopes: setup.delegableScopes)
        let service = SecurityTokenService(configuration: configuration, signingKey: key, agents: agents)
        lock.lock()
        services[setup.session] = (service, Dictionary(setup.agents.map { ($0.name, $0.uri) }, uniquingKeysWith: { a, _ in a }))
        lock.unlock()
        return TokenServiceInfo(issuer: setup.issuer, jwks: service.jwks.json.canonicalString, identities: [:])
    }

    /// Runs `body` on the session's service, keeping what it changed.
    func with<T>(_ session: String, _ body: (inout SecurityTokenService, [String: String]) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard var entry = services[session] else { throw ReferenceSetupError("no token service was set up for \(session)") }
        defer { services[session] = entry }
        return try body(&entry.service, entry.uris)
    }

    static func signingKey(algorithm: String, secret: [UInt8]) throws -> JWSSigningKey {
        switch algorithm {
        case "EdDSA": return .ed25519(try Ed25519.PrivateKey(seed: secret))
        case "ES256": return try .p256(scalar: secret)
        default: throw ReferenceSetupError("unsupported algorithm \(algorithm)")
        }
    }
}

struct ReferenceSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
