import AIP
import BatonCrypto
import BatonTestSupport
import Biscuit

/// Seeded agents and a fixed clock shared by the AIP tests: the ``StandardChain`` with its default
/// seed and clock, and an attacker.
enum F {
    static let standard = StandardChain()
    static let now = standard.now
    static let orchestrator = StandardChain.orchestrator
    static let researcher = StandardChain.researcher
    static let writer = StandardChain.writer
    static let mallory = "aip:web:evil.example/mallory"

    static func key(_ id: String) -> Ed25519.PrivateKey { standard.key(id) }
    static var root: Ed25519.PublicKey { standard.root }

    static var registry: IdentityRegistry { standard.registry(StandardChain.agents + [mallory]) }

    static let issuer = standard.issuer

    static func delegation(
        _ from: String, _ to: String, scopes: [String], context: String = "literature review",
        budget: Int64? = nil, expiresAt: Int64? = nil, signed: Bool = false
    ) -> ChainedIssuer.Delegation {
        standard.delegation(from, to, .init(scopes: scopes, context: context, budget: budget, expiresAt: expiresAt), signed: signed)
    }

    static func verify(
        _ token: BiscuitToken, audience: String? = writer, scope: String? = "write:draft", at time: Int64 = now,
        options: ChainedVerifier.Options = .init(), registry: IdentityRegistry? = F.registry,
        revocation: RevocationList? = nil
    ) -> VerificationReport {
        ChainedVerifier(options: options, registry: registry, revocation: revocation)
            .verify(.init(token: token.base64(), rootKey: root, audience: audience, requiredScope: scope, now: time))
    }
}
