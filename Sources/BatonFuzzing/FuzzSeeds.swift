import AIP
import AIPJWT
import BatonCrypto
import BatonTestSupport
import Biscuit
import JOSE

/// Seed inputs minted from code with the fixed keys of ``FuzzKeys``, so that the
/// fuzzers start from inputs that reach verification (valid AIP chains, signed
/// JWTs, well-formed testee answers) rather than from random bytes.
///
/// Minting is deterministic (ES256 signatures too: their nonces are RFC 6979's).
/// `baton-fuzz seeds DIR` writes these to `DIR/<target>/`.
public enum FuzzSeeds {
    /// One named seed.
    public struct Seed: Hashable, Sendable {
        /// File name inside the target's corpus directory.
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }

        init(_ name: String, _ text: String) { self.init(name: name, bytes: Array(text.utf8)) }
    }

    /// The minted seeds of `target`.
    public static func seeds(for target: FuzzTarget) throws -> [Seed] {
        switch target {
        case .biscuit: return try biscuitSeeds()
        case .datalog: return datalogSeeds()
        case .jwt: return try jwtSeeds()
        case .scenario: return scenarioSeeds()
        case .testeeFrame: return testeeFrameSeeds()
        case .intent: return try IntentFuzzTarget.seeds()
        }
    }

    // MARK: - Biscuit

    static func biscuitSeeds() throws -> [Seed] {
        let chain = FuzzKeys.aipChain
        let authority = try chain.authority()
        func hop(_ from: String, _ to: String, _ scopes: [String]) -> StandardChain.Hop {
            .init(scopes: scopes, context: "fuzz seed: \(from) to \(to)", budget: 100, expiresAt: FuzzKeys.now + 1800)
        }
        let (orchestrator, researcher, writer) = (StandardChain.orchestrator, StandardChain.researcher, StandardChain.writer)
        let oneHop = try chain.oneHop(from: authority, hop(orchestrator, researcher, ["research:read"]))
        let signed = try chain.twoHops(
            from: authority, researcher: hop(orchestrator, researcher, StandardChain.defaultScopes),
            writer: hop(researcher, writer, ["research:read"]), signed: true)

        // A general Biscuit (not an AIP chain) with most of the Datalog the wire format carries.
        let rich = try BiscuitToken.mint(
            authority: DatalogParser.parseBlock(
                #"""
                right("file1", "read"); owner("alice", hex:00ff, 2026-01-01T00:00:00Z, true, null);
                can($f) <- right($f, $op), ["read", "write"].contains($op), $f.starts_with("file");
                check if time($t), $t <= 2030-01-01T00:00:00Z;
                check all op($o), {"read", "write"}.contains($o);
                reject if user($u), $u.matches("^adm[i]n$");
                check if v($x), $x.length() > 1 && ($x + 1) * 2 != 7 || $x.type() == "integer";
                check if m($m), {"a": [1, 2], 3: {"b": false}}.get("a") == [1, 2], $m.any($p -> $p > 0);
                check if n($n), $n.try_or(0) === 0, ($n ^ 3 | 1 & 2) !== 5, $n > -9;
                """#),
            root: FuzzKeys.aipRoot, nextKey: .derived(from: "baton-fuzz:rich-1"))
        let richChain = try rich.appending(
            DatalogParser.parseBlock(
                #"trusting authority, previous; f({1, 2}, [true, null]); check if f($a, $b), $a.intersection({1}).union({3}).contains(1) trusting ed25519/acdd6d5b53bfee478bf689f8e012fe7988bf755e3d7c5152947abc149bc20189;"#
            ),
            nextKey: .derived(from: "baton-fuzz:rich-2"))
        let thirdParty = try richChain.appendingThirdParty(
            richChain.thirdPartyRequest.sign(
                DatalogParser.parseBlock(#"group("admin"); check if resource($r), $r.ends_with(".txt");"#),
                with: .derived(from: "baton-fuzz:third-party")),
            nextKey: .derived(from: "baton-fuzz:rich-3"))

        return [
            Seed(name: "aip-authority.bc", bytes: authority.serialized()),
            Seed(name: "aip-one-hop.bc", bytes: oneHop.serialized()),
            Seed(name: "aip-two-hops-signed.bc", bytes: signed.serialized()),
            Seed(name: "aip-two-hops-signed-sealed.bc", bytes: try signed.sealed().serialized()),
            Seed(name: "rich-authority.bc", bytes: rich.serialized()),
            Seed(name: "rich-third-party.bc", bytes: thirdParty.serialized()),
            Seed(name: "rich-third-party-sealed.bc", bytes: try thirdParty.sealed().serialized()),
        ]
    }

    // MARK: - Datalog

    static func datalogSeeds() -> [Seed] {
        [
            Seed(
                "aip-authority.dl",
                #"""
                identity("aip:web:acme.com/orchestrator");
                right("research:read");
                max_depth(3);
                budget_ceiling(500);
                check if tool($t), ["research:read","write:draft"].contains($t);
                check if time($t), $t <= 2030-01-01T00:00:00Z;
                """#),
            Seed(
                "aip-authorizer.dl",
                """
                tool("research:read");
                time(2026-06-01T00:00:00Z);
                depth(1);
                allow if tool("research:read");
                deny if true;
                """),
            Seed(
                "rules-and-scopes.dl",
                #"""
                trusting authority, ed25519/acdd6d5b53bfee478bf689f8e012fe7988bf755e3d7c5152947abc149bc20189;
                // a comment
                right($f, "read") <- owner($u, $f), user($u) trusting previous;
                /* block comment */ check all op($o), {"read", "write"}.contains($o);
                reject if admin(true) or role("root");
                """#),
            Seed(
                "expressions.dl",
                #"""
                check if x($x, $y), $x + 2 * 3 - 4 / 2 > -1, $y.length() >= 1, !($x == 2) && $x != 3 || false,
                  $x | 3 ^ 1 & 7 == 7, [1, "a", hex:aa, 2026-01-01T00:00:00Z].contains($x), {"k": {1: null}}.get("k").type() == "map",
                  $y.all($e -> $e.starts_with("a")), $y.any($e -> $e.ends_with("z")), $y.matches("^a.*z$"),
                  "abc".contains("b"), $x.try_or(false) === 1, {1, 2}.intersection({2}).union({3}) !== {,};
                """#),
            Seed("expression.dl", #"$a.extern::lookup("k") == [1, {"n": -9223372036854775808}] && !$b"#),
            Seed("policy.dl", #"allow if resource($r), operation("read"), right($r, "read") or admin(true)"#),
            Seed("fact.dl", #"f(1, -2, "s", hex:0001, true, false, null, [1, [2]], {3, 4}, {"a": 1, 5: "b"}, 1970-01-01T00:00:00Z)"#),
            Seed("rule.dl", #"head($a, "x") <- body($a), other($a, $b), $b > 0 trusting authority, previous"#),
            Seed("check.dl", #"check if query(1) or query($x), $x.length() < 10"#),
        ]
    }

    // MARK: - JWT

    static func jwtSeeds() throws -> [Seed] {
        let ed: JWSSigningKey = .ed25519(FuzzKeys.jwtEd25519)
        let p256 = FuzzKeys.jwtP256
        let now = FuzzKeys.now
        let claims: JSONObject = [
            "iss": .string(FuzzKeys.jwtIssuer), "sub": "user:alice@acme.com", "aud": .string(FuzzKeys.jwtAudience),
            "iat": .int(now - 60), "nbf": .int(now - 60), "exp": .int(now + 3600), "jti": "fuzz-1",
            "scope": "research:read write:draft", "delegation_depth": 1,
            "act": ["sub": "aip:web:acme.com/researcher", "act": ["sub": "aip:web:acme.com/orchestrator"]],
        ]
        var arrayAudience = claims
        arrayAudience["aud"] = [.string(FuzzKeys.jwtAudience), "other"]
        arrayAudience["scopes"] = ["research:read"]
        arrayAudience["exp"] = .double(Double(now) + 10.5)
        arrayAudience["cnf"] = ["jwk": .object(JWK(key: .ed25519(FuzzKeys.jwtEd25519.publicKey)).json)]
        let edPublic = JWSVerificationKey.ed25519(FuzzKeys.jwtEd25519.publicKey)
        let compact = try CompactIssuer().mint(
            CompactClaims(
                iss: FuzzKeys.aipIssuer, sub: FuzzKeys.jwtAudience, scope: ["research:read", "tool:*"],
                budgetUSD: 1.5, maxDepth: 1, iat: now - 60, exp: now + 600),
            key: FuzzKeys.jwtEd25519)
        let confusion = AlgorithmConfusion.candidateSecrets(for: edPublic).first?.secret ?? edPublic.rawBytes
        return [
            Seed("aip-compact.jwt", compact),
            Seed("eddsa-kid.jwt", try JWS.sign(header: ["kid": .string(FuzzKeys.ed25519KeyID), "typ": "JWT"], claims: claims, key: ed).compact),
            Seed("eddsa-no-kid.jwt", try JWS.sign(claims: arrayAudience, key: ed).compact),
            Seed(
                "es256-kid.jwt",
                try JWS.sign(
                    header: ["kid": .string(FuzzKeys.p256KeyID), "typ": "JWT", "crit": ["aip"], "aip": 1],
                    claims: claims, key: p256
                ).compact),
            Seed(
                "es256-jwk-header.jwt",
                try JWS.forge(
                    header: [
                        "alg": "ES256", "kid": .string(FuzzKeys.p256KeyID),
                        "jwk": .object(JWK(key: FuzzKeys.jwtP256Public).json),
                    ],
                    claims: claims, key: p256
                ).compact),
            Seed(
                "hs256-confusion.jwt",
                try JWS.forge(
                    header: ["alg": "HS256", "kid": .string(FuzzKeys.ed25519KeyID)], claims: claims,
                    key: .hs256(secret: confusion)
                ).compact),
            Seed("none.jwt", try JWS.forge(header: ["alg": "none"], claims: claims, key: .unsecured).compact),
            Seed(
                "jwks-payload.jwt",
                try JWS.sign(
                    claims: JWKSet(keys: [JWK(key: edPublic, keyID: "a"), JWK(key: FuzzKeys.jwtP256Public, keyID: "b")]).json,
                    key: ed
                ).compact),
        ]
    }

    // MARK: - Scenario

    static func scenarioSeeds() -> [Seed] {
        [
            Seed(
                "every-step.yaml",
                """
                id: fuzz/every-step
                title: 'every kind of step, in block and flow styles'
                summary: >
                  Folded text, flow and block styles, quoted and plain scalars.
                spec: [aip-verification/order, aip-verification/V1]
                tags: [legitimate, "fuzz"]
                profile: aip-chained
                agents: [orchestrator, researcher, writer, mallory]
                trust: orchestrator
                clock: 2026-06-01T00:00:00Z
                verifier: {require_signed_delegation: false, registry: true, revocation: true, max_staleness: 300}
                steps:
                  - mint: {as: t0, by: orchestrator, scopes: [research:read, write:draft], principal: "user:alice@acme.com", budget_cents: 500, max_depth: 3, ttl: 3600}
                  - delegate: {as: t1, from: t0, by: orchestrator, to: researcher, scopes: [write:draft], context: "draft", budget_cents: 100, expires_in: 600, signed: true}
                  - forge: {as: t2, from: t1, attack: append, delegator: writer, delegate: mallory, scopes: [write:draft], signed_by: mallory}
                  - verify: {token: t2, audience: mallory, scope: write:draft}
                    expect: {reject: aip_token_malformed}
                  - advance_clock: 60
                  - revoke: {token: t1, block: 1}
                  - send: {token: t1, from: orchestrator, to: researcher, scope: write:draft}
                  - audit: {decision: reject, code: aip_key_revoked, principal: "user:alice@acme.com", root: orchestrator}
                  - verify: {token: t1, audience: researcher, scope: write:draft}
                expect: {reject: aip_key_revoked}
                """)
        ]
    }

    // MARK: - Testee frames

    static func testeeFrameSeeds() -> [Seed] {
        let handshake =
            #"{"id":1,"ok":true,"result":{"name":"fuzz-testee","version":"1.0","profiles":["aip-chained"],"roles":["issuer","verifier"],"options":["clock","registry"]}}"#
        return [
            Seed("handshake.jsonl", handshake + "\n"),
            Seed(
                "session.jsonl",
                handshake + "\n"
                    + #"{"id":2,"ok":true,"result":{"token":"RXQ0Q0Nv"}}"# + "\r\n"
                    + "  \n"
                    + #"{"id":3,"ok":true,"result":{"valid":false,"code":"aip_scope_insufficient","step":"V6","message":"no","details":["V1 passed: ok"]}}"#
                    + "\n"
                    + #"{"id":4,"ok":false,"error":{"code":"unsupported","message":"no delegate"}}"# + "\n"
                    + #"{"id":5,"ok":false,"error":{"code":"internal","message":"boom","step":"V1"}}"# + "\n"
                    + #"{"id":6,"ok":true,"result":null}"# + "\n"),
            Seed("garbage.txt", "Traceback (most recent call last):\n[1,2]\n{\"id\":\"1\"}\n{\"id\":7,\"ok\":true}\n{\"id\":1.5}\n"),
            Seed(
                "malformed.jsonl",
                #"{"id":1,"ok":"yes"}"# + "\n" + #"{"id":2,"ok":false,"error":{"code":3}}"# + "\n"
                    + #"{"id":3,"ok":true,"result":[1]}"# + "\n" + #"{"id":4,"ok":true,"result":{"name":"x","profiles":"a","roles":[]}}"# + "\n"),
            Seed("unterminated.jsonl", #"{"id":1,"ok":true,"result":{"name":"partial"#),
        ]
    }
}
