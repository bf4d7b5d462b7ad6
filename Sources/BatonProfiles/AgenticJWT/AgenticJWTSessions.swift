import AgenticJWT
import BatonModel
import JOSE
import Synchronization

/// The reference's identity providers and resource-server views, one each per session.
final class AgenticJWTSessions: Sendable {
    private struct Entry {
        var provider: IntentIdentityProvider?
        var view = ResourceServerView()
    }

    private let entries = Mutex<[String: Entry]>([:])

    func setUp(_ setup: TokenServiceSetup) throws -> TokenServiceInfo {
        guard setup.algorithm == JWSAlgorithm.rs256.rawValue || setup.algorithm == JWSAlgorithm.es256.rawValue else {
            throw ReferenceSetupError("the identity provider signs with RS256 or ES256, not \(setup.algorithm)")
        }
        let key: JWSSigningKey =
            setup.algorithm == JWSAlgorithm.rs256.rawValue ? try .rsa(der: setup.signingKey.bytes) : try .p256(scalar: setup.signingKey.bytes)
        let settings = try ProviderSettings(jsonText: setup.profileSettings ?? "{}")
        var provider = try IntentIdentityProvider(
            configuration: .init(
                issuer: setup.issuer, keyID: settings.keyID, tokenLifetime: setup.tokenLifetime, hashForm: settings.hashForm,
                binding: settings.binding),
            signingKey: key)
        var refused: [String] = []
        for a in setup.agents {
            guard let checksum = a.checksum, let pem = a.publicKeyPEM else { continue }
            let registration = AgentRegistration(
                agentID: a.uri, checksum: checksum, popKey: try JWSVerificationKey(pem: pem), registrationID: a.registrationID ?? "reg_\(a.uri)")
            do { try provider.register(registration) } catch { refused.append("\(a.name): \(error.reason)") }
        }
        for w in settings.workflows { try provider.register(w) }
        for approval in settings.approvals {
            let parts = approval.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { provider.approve(workflow: parts[0], step: parts[1]) }
        }
        entries.withLock { $0[setup.session] = Entry(provider: provider) }
        var info = TokenServiceInfo(issuer: setup.issuer, jwks: provider.jwks.json.canonicalString, identities: [:])
        info.refusedRegistrations = refused
        return info
    }

    func withProvider<T>(_ session: String, _ body: (inout IntentIdentityProvider) throws -> T) throws -> T {
        try entries.withLock { entries in
            guard var entry = entries[session], var provider = entry.provider else {
                throw ReferenceSetupError("no identity provider was set up for \(session)")
            }
            defer {
                entry.provider = provider
                entries[session] = entry
            }
            return try body(&provider)
        }
    }

    /// Runs `body` on the session's view (`initial` when the session has none yet).
    func withView<T>(_ session: String, initial: ResourceServerView, _ body: (inout ResourceServerView) -> T) -> T {
        entries.withLock { entries in
            var entry = entries[session] ?? Entry(view: initial)
            defer { entries[session] = entry }
            return body(&entry.view)
        }
    }
}
