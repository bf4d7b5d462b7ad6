import AIP
import AIPJWT
import BatonCrypto
import JOSE
import Testing

/// One really forged attack per flaw of the compact gallery: a token and the verifier
/// configuration and request it is presented under.
struct CompactFlawAttack {
    var token: String
    var trust: CompactVerifier.Trust
    var revocation: RevocationList?
    var audience: String? = CF.holder
    var scope: String? = "tool:search"
    var at: Int64 = CF.now
    /// The code the sound verifier refuses it with (at ``CompactFlaw/check``).
    var code: AIPErrorCode

    func verify(flaws: Set<CompactFlaw>) -> CompactVerificationReport {
        var options = CompactVerifier.Options()
        options.flaws = flaws
        return CompactVerifier(trust: trust, options: options, revocation: revocation)
            .verify(token, audience: audience, requiredScope: scope, now: at)
    }

    static let keyTrust = CompactVerifier.Trust.key(F.root, issuer: CF.issuer)
    static let registryTrust = CompactVerifier.Trust.registry(F.registry, issuers: nil)

    /// The attack that `flaw` lets through.
    static func against(_ flaw: CompactFlaw) throws -> CompactFlawAttack {
        let widened = CF.claimsJSON("scope", ["tool:*"])
        switch flaw {
        case .skipType:
            return .init(token: try CF.forge(header: CF.header("typ", "JWT")), trust: keyTrust, code: .tokenMalformed)
        case .acceptAlgNone:
            return .init(
                token: try CF.forge(header: CF.header("alg", "none"), claims: widened, key: .unsecured),
                trust: keyTrust, code: .signatureInvalid)
        case .hmacWithPublicKey:
            let secret = try #require(AlgorithmConfusion.candidateSecrets(for: .ed25519(F.root)).first { $0.name == "pem" }?.secret)
            return .init(
                token: try CF.forge(header: CF.header("alg", "HS256"), claims: widened, key: .hs256(secret: secret)),
                trust: keyTrust, code: .signatureInvalid)
        case .trustEmbeddedJWK:
            let jwk = JWK(key: .ed25519(CF.malloryKey.publicKey)).json
            return .init(
                token: try CF.forge(header: CF.header("jwk", .object(jwk)), claims: widened, key: .ed25519(CF.malloryKey)),
                trust: keyTrust, code: .signatureInvalid)
        case .trustKid:
            // Mallory's published identity, named as a DID-style key id.
            return .init(
                token: try CF.forge(
                    header: CF.header("kid", .string("\(F.mallory)#key-1")), claims: widened,
                    key: .ed25519(CF.malloryKey)),
                trust: registryTrust, code: .signatureInvalid)
        case .ignoreCrit:
            var header = CF.header("crit", ["aip_pop"])
            header["aip_pop"] = "dpop-jkt:abc"
            return .init(token: try CF.forge(header: header), trust: keyTrust, code: .signatureInvalid)
        case .anyIssuerKey:
            // Mallory signs in the orchestrator's name; her key is in the registry too.
            return .init(token: try CF.forge(claims: widened, key: .ed25519(CF.malloryKey)), trust: registryTrust, code: .signatureInvalid)
        case .skipSignature:
            let jws = try JWS.parse(try CF.mint())
            let tampered = "\(jws.encodedHeader).\(StrictBase64URL.encode(widened.serialized())).\(jws.encodedSignature)"
            return .init(token: tampered, trust: keyTrust, code: .signatureInvalid)
        case .coerceClaimTypes:
            return .init(token: try CF.forge(claims: CF.claimsJSON("max_depth", "2")), trust: keyTrust, code: .tokenMalformed)
        case .skipClaimValues:
            return .init(token: try CF.forge(claims: CF.claimsJSON("budget_usd", .int(-1))), trust: keyTrust, code: .budgetExceeded)
        case .skipExpiry:
            return .init(token: try CF.mint(), trust: keyTrust, at: CF.claims().exp, code: .tokenExpired)
        case .skipNotBefore:
            return .init(token: try CF.mint(CF.claims(iat: CF.now + 3600, exp: CF.now + 7200)), trust: keyTrust, code: .tokenMalformed)
        case .skipAudience:
            return .init(token: try CF.mint(), trust: keyTrust, audience: F.writer, code: .audienceMismatch)
        case .skipScope:
            return .init(token: try CF.mint(), trust: keyTrust, scope: "tool:delete", code: .scopeInsufficient)
        case .skipRevocation:
            var revoked = RevocationList(refreshedAt: CF.now)
            revoked.revoke(key: F.root)
            return .init(token: try CF.mint(), trust: keyTrust, revocation: revoked, code: .keyRevoked)
        }
    }

    /// Flaws that let through another flaw's attack as well (a weaker defence subsumes it):
    /// unchecked signatures and unbound issuers both accept Mallory's signature.
    static let alsoAccepts: [CompactFlaw: Set<CompactFlaw>] = [
        .skipSignature: [.trustKid, .anyIssuerKey],
        .anyIssuerKey: [.trustKid],
    ]
}

/// The compact flawed-verifier gallery: each flaw accepts its attack, which the sound
/// verifier refuses with its own code at the flaw's check, and removes nothing else.
@Suite struct CompactFlawTests {
    @Test(arguments: CompactFlaw.allCases)
    func flawAcceptsWhatTheSoundVerifierRefuses(_ flaw: CompactFlaw) throws {
        let attack = try CompactFlawAttack.against(flaw)
        expectCompactRejected(attack.verify(flaws: []), attack.code, by: flaw.check, "\(flaw.rawValue)")
        let flawed = attack.verify(flaws: [flaw])
        expectCompactAccepted(flawed, "\(flaw.rawValue)")
        #expect(
            flawed.details.contains { $0.status == .skipped && $0.detail.contains(flaw.rawValue) },
            "the weakened check names the flaw: \(flawed.details.map(\.detail))")
        #expect(flawed.details.map(\.check) == CompactCheck.allCases)
    }

    /// Each flaw removes one defence: every other flaw's attack is still refused, with the
    /// sound verifier's code and check, unless the flaw subsumes that attack.
    @Test(arguments: CompactFlaw.allCases)
    func flawRemovesOneDefenceOnly(_ flaw: CompactFlaw) throws {
        let accepted = CompactFlawAttack.alsoAccepts[flaw, default: []].union([flaw])
        for other in CompactFlaw.allCases {
            let report = try CompactFlawAttack.against(other).verify(flaws: [flaw])
            if accepted.contains(other) {
                expectCompactAccepted(report, "\(flaw.rawValue) on the \(other.rawValue) attack")
            } else {
                expectCompactRejected(
                    report, try CompactFlawAttack.against(other).code, by: other.check,
                    "\(flaw.rawValue) on the \(other.rawValue) attack")
            }
        }
    }

    @Test func soundVerifierMentionsNoFlaw() throws {
        for verifier in CF.verifiers {
            let report = CF.verify(try CF.mint(), verifier)
            expectCompactAccepted(report)
            #expect(!report.details.contains { $0.detail.contains("flaw") })
        }
        #expect(CompactVerifier.Options().flaws.isEmpty)
    }

    @Test func legitimateTokensStillPassEveryFlawedVerifier() throws {
        let token = try CF.mint()
        for flaw in CompactFlaw.allCases {
            for trust in [CompactFlawAttack.keyTrust, CompactFlawAttack.registryTrust] {
                var options = CompactVerifier.Options()
                options.flaws = [flaw]
                let report = CompactVerifier(trust: trust, options: options).verify(
                    token, audience: CF.holder, requiredScope: "tool:search", now: CF.now)
                guard let verified = report.verified else { Issue.record("\(flaw.rawValue): \(report.message)"); continue }
                #expect(verified.claims == CF.claims())
                #expect(verified.issuerKey == F.root)
            }
        }
    }

    // MARK: Flaw details

    @Test func coercedClaimsReadAsAPermissiveDecoderWould() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.coerceClaimTypes]
        let verifier = CompactVerifier(trust: CompactFlawAttack.keyTrust, options: options)
        let cases: [(String, JSONValue, (CompactClaims) -> Bool)] = [
            ("max_depth", "2", { $0.maxDepth == 2 }),
            ("max_depth", .double(1.5), { $0.maxDepth == 1 }),
            ("max_depth", .bool(true), { $0.maxDepth == 1 }),
            ("scope", "tool:search tool:delete", { $0.scope == ["tool:search", "tool:delete"] }),
            ("budget_usd", "0.25", { $0.budgetUSD == 0.25 }),
            ("exp", .string(String(CF.now + 60)), { $0.exp == CF.now + 60 }),
        ]
        for (name, value, holds) in cases {
            let token = try CF.forge(claims: CF.claimsJSON(name, value))
            expectCompactRejected(CF.verify(token), .tokenMalformed, by: .claims, "\(name): \(value)")
            let report = CF.verify(token, verifier)
            guard let verified = report.verified else { Issue.record("\(name): \(value): \(report.message)"); continue }
            #expect(holds(verified.claims), "\(name): \(value) read as \(verified.claims)")
        }
        // Coercion loosens types, not values: a negative depth and an empty scope are still refused.
        expectCompactRejected(CF.verify(try CF.forge(claims: CF.claimsJSON("max_depth", "-1")), verifier), .tokenMalformed, by: .claims)
        expectCompactRejected(CF.verify(try CF.forge(claims: CF.claimsJSON("scope", "")), verifier), .tokenMalformed, by: .claims)
        expectCompactRejected(CF.verify(try CF.forge(claims: CF.claimsJSON("max_depth", "two")), verifier), .tokenMalformed, by: .claims)
    }

    @Test func skippedClaimValuesKeepTheirTypes() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.skipClaimValues]
        let verifier = CompactVerifier(trust: CompactFlawAttack.keyTrust, options: options)
        for (name, value) in [("max_depth", JSONValue.int(-1)), ("scope", []), ("scope", [""]), ("sub", "bob")] as [(String, JSONValue)] {
            let token = try CF.forge(claims: CF.claimsJSON(name, value))
            expectCompactRejected(CF.verify(token, audience: nil, scope: nil), .tokenMalformed, by: .claims, "\(name): \(value)")
            expectCompactAccepted(CF.verify(token, verifier, audience: nil, scope: nil), "\(name): \(value)")
        }
        expectCompactRejected(CF.verify(try CF.forge(claims: CF.claimsJSON("max_depth", "2")), verifier), .tokenMalformed, by: .claims)
    }

    @Test func kidSelectsASelfCertifyingKeyUnderAConfiguredKey() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.trustKid]
        let kid = AIPIdentifier.key(CF.malloryKey.publicKey).description
        let token = try CF.forge(header: CF.header("kid", .string(kid)), key: .ed25519(CF.malloryKey))
        expectCompactRejected(CF.verify(token), .signatureInvalid, by: .signature)
        let report = CF.verify(token, CompactVerifier(trust: CompactFlawAttack.keyTrust, options: options))
        #expect(report.verified?.issuerKey == CF.malloryKey.publicKey)
        // A kid that names no identity changes nothing.
        let opaque = try CF.forge(header: CF.header("kid", "mallory-key-1"), key: .ed25519(CF.malloryKey))
        expectCompactRejected(
            CF.verify(opaque, CompactVerifier(trust: CompactFlawAttack.registryTrust, options: options)),
            .signatureInvalid, by: .signature)
    }

    @Test func anyIssuerKeyUnbindsAConfiguredIssuer() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.anyIssuerKey]
        // The orchestrator's key signs a token claiming to come from the writer.
        let token = try CF.forge(claims: CF.claimsJSON("iss", .string(F.writer)))
        expectCompactRejected(CF.verify(token), .identityUnresolvable, by: .issuer)
        expectCompactAccepted(CF.verify(token, CompactVerifier(trust: CompactFlawAttack.keyTrust, options: options)))
        // iss must still be an AIP identifier, and a key nobody trusts still fails.
        let web = try CF.forge(claims: CF.claimsJSON("iss", "https://evil.example"))
        expectCompactRejected(CF.verify(web, CompactVerifier(trust: CompactFlawAttack.keyTrust, options: options)), .tokenMalformed, by: .issuer)
        let stranger = try CF.forge(key: .ed25519(.derived(from: "compact:stranger")))
        expectCompactRejected(
            CF.verify(stranger, CompactVerifier(trust: CompactFlawAttack.registryTrust, options: options)),
            .signatureInvalid, by: .signature)
    }

    /// Unbinding iss from its keys must not also drop what the issuer's document advertises.
    @Test func anyIssuerKeyStillHonoursAdvertisedRevocation() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.anyIssuerKey]
        var registry = F.registry
        var doc = try #require(registry.document(CF.issuer))
        doc.advertisesRevocation = true
        registry.publish(doc)
        let token = try CF.mint()
        expectCompactRejected(
            CF.verify(token, CompactVerifier(trust: .registry(registry, issuers: nil), options: options)),
            .keyRevoked, by: .revocation, "advertised revocation without a status")
    }

    /// With no signature checked, key revocation still applies to the key that did sign.
    @Test func skippedSignatureStillAppliesKeyRevocationToTheSigningKey() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.skipSignature]
        var list = RevocationList(refreshedAt: CF.now)
        list.revoke(key: F.root)
        expectCompactRejected(
            CF.verify(try CF.mint(), CompactVerifier(trust: CompactFlawAttack.registryTrust, options: options, revocation: list)),
            .keyRevoked, by: .revocation)
    }

    @Test func skippedRevocationIgnoresStaleStatusAndRevokedTokens() throws {
        var options = CompactVerifier.Options()
        options.flaws = [.skipRevocation]
        let token = try CF.mint()
        let stale = RevocationList(refreshedAt: CF.now - 3600)
        var revoked = RevocationList(refreshedAt: CF.now)
        revoked.revoke(revocationId: try JWS.parse(token).signature)
        for list in [stale, revoked] {
            let sound = CompactVerifier(trust: CompactFlawAttack.keyTrust, revocation: list)
            expectCompactRejected(CF.verify(token, sound), .keyRevoked, by: .revocation)
            expectCompactAccepted(CF.verify(token, CompactVerifier(trust: CompactFlawAttack.keyTrust, options: options, revocation: list)))
        }
    }
}
