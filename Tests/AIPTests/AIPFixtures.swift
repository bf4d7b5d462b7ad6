import AIP
import BatonCrypto
import Biscuit

/// Seeded agents and a fixed clock shared by the AIP tests.
enum F {
    static let now: Int64 = 1_780_000_000
    static let orchestrator = "aip:web:acme.com/orchestrator"
    static let researcher = "aip:web:acme.com/researcher"
    static let writer = "aip:web:acme.com/writer"
    static let mallory = "aip:web:evil.example/mallory"

    static func key(_ id: String) -> Ed25519.PrivateKey { .derived(from: "test:\(id)") }
    static var root: Ed25519.PublicKey { key(orchestrator).publicKey }

    static var registry: IdentityRegistry {
        IdentityRegistry(
            documents: [orchestrator, researcher, writer, mallory].map { id in
                IdentityDocument(
                    id: id, keys: [.init(id: "key-1", publicKey: key(id).publicKey, validFrom: now - 86_400, validUntil: now + 86_400)],
                    expires: now + 86_400)
            })
    }

    static let issuer = ChainedIssuer()

    static func authority(
        scopes: [String] = ["research:read", "write:draft"], budget: Int64? = 500, maxDepth: Int64 = 3,
        ttl: Int64 = 3600, principal: String? = "user:alice@acme.com"
    ) throws -> BiscuitToken {
        try issuer.createAuthority(
            .init(
                issuer: orchestrator, issuerKey: key(orchestrator), scopes: scopes, principal: principal,
                budgetCents: budget, maxDepth: maxDepth, ttlSeconds: ttl, now: now))
    }

    static func delegation(
        _ from: String, _ to: String, scopes: [String], context: String = "literature review",
        budget: Int64? = nil, expiresAt: Int64? = nil, signed: Bool = false
    ) -> ChainedIssuer.Delegation {
        .init(
            delegator: from, delegate: to, scopes: scopes, context: context, budgetCents: budget, expiresAt: expiresAt,
            now: now, delegatorKey: signed ? key(from) : nil)
    }

    /// orchestrator → researcher → writer.
    static func chain(signed: Bool = false) throws -> BiscuitToken {
        let t1 = try issuer.delegate(
            authority(), delegation(orchestrator, researcher, scopes: ["research:read", "write:draft"], budget: 200, signed: signed))
        return try issuer.delegate(
            t1, delegation(researcher, writer, scopes: ["write:draft"], context: "draft the summary", budget: 100, signed: signed))
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
