import AIP
import AIPJWT
import ArgumentParser
import BatonCrypto
import BatonModel
import BatonProfiles
import BatonRuntime
import Foundation
import JOSE
import TokenExchange
import ZeroID

/// `baton verify`: runs the reference verifier for the token's kind (AIP chained V1–V7, AIP JWT
/// chain, AIP compact, an Agentic JWT intent token A0–A9, a ZeroID token or another token-exchange
/// JWT, J0–J8) and prints a JSON verdict listing every step it ran. A JWT is a ZeroID token when
/// `--profile zeroid` says so or when it carries ZeroID's claims (`principal_type`, `mission_id`); it
/// is then judged by `ZeroIDTokenVerifier`, whose J6 also requires a `mission_id` and an `act` chain
/// as deep as `delegation_depth` (`--profile token-exchange` forces the plain verifier). Fails closed: an AIP token is verified only against a
/// binding of its root key to an identity (`--issuer` or `--registry`), unless its issuer is a
/// self-certifying `aip:key:`; an intent token only as one call to a resource server (`--url`,
/// `--action`, the `--dpop` proof and the `--deployment` it knows), never as a bearer token.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Verify a token (AIP chained, JWT chain or compact, an Agentic JWT intent token, a ZeroID token or another token-exchange JWT); prints {profile, valid, code, step, message, steps}; exit 0 or 1."
    )

    @Option(help: "AIP tokens: the issuer's root public key (hex).")
    var rootKey: String?

    @Option(help: "AIP tokens: the issuer the root key belongs to (V2); token-exchange JWTs: the token service's iss.")
    var issuer: String?

    @Option(
        help:
            "AIP tokens: identity documents (JSON: [{id, keys: [hex], valid_from, valid_until, advertises_revocation}]) to bind the root key (V2) and resolve delegators."
    )
    var registry: String?

    @Option(help: "Token-exchange JWTs and intent tokens: the token service's (identity provider's) JWKS (a file).")
    var jwks: String?

    @Option(help: "Intent tokens: the DPoP proof sent with the call (text, @file or -).")
    var dpop: String?

    @Option(help: "Intent tokens: the request's method.")
    var method = "POST"

    @Option(help: "Intent tokens: the request's full URL.")
    var url: String?

    @Option(help: "Intent tokens: the action (tool) the endpoint serves.")
    var action: String?

    @Option(
        help:
            "Intent tokens: what the resource server knows (JSON: {agents: [{agent_id, checksum, pop_jwk, registration_id}], workflows, max_lifetime, proof_window, hash_form, completed_steps, chain}; docs/AGENTIC-JWT.md)."
    )
    var deployment: String?

    @Option(help: "Token-exchange JWTs: the deepest delegation_depth accepted.")
    var maxDepth: Int64?

    @Option(
        help:
            "JWTs: zeroid (ZeroIDTokenVerifier: J6 also requires mission_id and an act chain as deep as delegation_depth) or token-exchange (the plain verifier); default: zeroid when the token carries principal_type or mission_id."
    )
    var profile: TokenProfile?

    @Option(
        help:
            "ZeroID tokens: how legacy tokens lay out act, spec (the current actor outermost, every prior actor) or zeroid (f08f979: the immediate delegator only)."
    )
    var compat: ZeroIDCompatibility = .spec

    @Option(help: "ZeroID tokens: a mission_id to refuse (J6); repeatable.")
    var refusedMission: [String] = []

    @Option(help: "The receiving agent's identity (the last delegate must be it).")
    var audience: String?

    @Option(help: "The tool being invoked.")
    var scope: String?

    @Option(help: "Verification time (RFC 3339); default: now.")
    var at: String?

    @Flag(help: "Require every delegation to be signed by its delegator (AIP chained).")
    var requireSignedDelegation = false

    @Flag(help: .hidden)
    var steps = false

    @Argument(help: "The token (URL-safe base64), @file, or - for standard input.")
    var token: String

    func run() async throws {
        let now: Int64
        if let at {
            guard let t = VirtualClock.parse(at) else { throw ValidationError("--at must be RFC 3339, e.g. 2026-06-01T00:00:00Z") }
            now = t
        } else {
            now = Int64(Date().timeIntervalSince1970)
        }
        let text = try Console.readToken(token)
        if let profile, ![TokenProfile.zeroID, TokenProfile("token-exchange")].contains(profile) {
            throw ValidationError("--profile is zeroid or token-exchange (other tokens are recognised by their form)")
        }
        let verdict: Verdict
        if JWTChainFormat.looksLikeChain(text) {
            verdict = try verifyJWTChain(text, now: now)
        } else if text.hasPrefix("eyJ"), (try? JWS.parse(text))?.type == "aip+jwt" {
            verdict = try verifyCompact(text, now: now)
        } else if text.hasPrefix("eyJ"), let claims = (try? JWS.parse(text))?.claims, claims["intent"] != nil || claims["agent_proof"] != nil {
            verdict = try await verifyIntent(text, now: now)
        } else if text.hasPrefix("eyJ"), isZeroID(text) {
            verdict = try verifyZeroID(text, now: now)
        } else if text.hasPrefix("eyJ") {
            verdict = try verifyExchanged(text, now: now)
        } else {
            verdict = try verifyChained(text, now: now)
        }
        let data = try JSONSerialization.data(withJSONObject: verdict.json, options: [.sortedKeys, .withoutEscapingSlashes])
        Console.out(String(decoding: data, as: UTF8.self))
        if !verdict.valid { throw ExitCode(1) }
    }

    /// What `verify` prints.
    struct Verdict {
        var profile: String
        var valid: Bool
        var code: String?
        var step: String?
        var message: String
        var steps: [[String: String]]

        init(profile: String, error: AIPError?, steps: [StepVerdict]) {
            self.profile = profile
            valid = error == nil
            code = error?.code.rawValue
            step = error?.step?.rawValue
            message = error?.message ?? "verified"
            self.steps = steps.map { ["step": $0.step.rawValue, "status": $0.status.rawValue, "detail": $0.detail] }
        }

        init(profile: String, valid: Bool, code: String?, step: String?, message: String, steps: [[String: String]]) {
            (self.profile, self.valid, self.code, self.step, self.message, self.steps) = (profile, valid, code, step, message, steps)
        }

        var json: [String: Any] {
            ["profile": profile, "valid": valid, "code": code ?? NSNull(), "step": step ?? NSNull(), "message": message, "steps": steps]
        }
    }

    func rootPublicKey() throws -> Ed25519.PublicKey {
        guard let rootKey, let root = try? Ed25519.PublicKey(hex: rootKey) else {
            throw ValidationError("AIP tokens need --root-key (32 bytes of hex)")
        }
        return root
    }

    /// The root key's binding to an identity: the registry file, else a one-document registry naming
    /// `--issuer` as the owner of the root key, else nil (only a self-certifying `aip:key:` issuer verifies).
    func binding(root: Ed25519.PublicKey, now: Int64) throws -> IdentityRegistry? {
        if let registry {
            let entries: [IdentityFile.Entry]
            do { entries = try JSONDecoder().decode([IdentityFile.Entry].self, from: Data(contentsOf: URL(fileURLWithPath: registry))) } catch {
                throw ValidationError("cannot read the registry \(registry): \(error)")
            }
            return IdentityRegistry(entries: entries.map(\.entry))
        }
        guard let issuer else { return nil }
        guard AIPIdentifier(issuer) != nil else { throw ValidationError("--issuer '\(issuer)' is not an AIP identifier") }
        return IdentityRegistry(documents: [
            IdentityDocument(
                id: issuer, keys: [.init(id: "key-1", publicKey: root, validFrom: Int64.min / 2, validUntil: Int64.max / 2)],
                expires: Int64.max / 2)
        ])
    }

    /// Refuses at V2 when the token's issuer is not self-certifying and nothing binds the root key.
    func unbound(_ declaredIssuer: String?, profile: String) -> Verdict? {
        if case .key? = declaredIssuer.flatMap(AIPIdentifier.init) { return nil }
        return Verdict(
            profile: profile, valid: false, code: AIPErrorCode.identityUnresolvable.rawValue, step: VerificationStep.v2.rawValue,
            message: "nothing binds the root key to \(declaredIssuer ?? "the token's issuer"): give --issuer or --registry", steps: [])
    }

    func verifyChained(_ text: String, now: Int64) throws -> Verdict {
        let root = try rootPublicKey()
        let registry = try binding(root: root, now: now)
        if registry == nil {
            if let refusal = unbound(AIPChainedDriver().readChain(text).issuer, profile: "aip-chained") { return refusal }
        }
        let report = ChainedVerifier(options: .init(requireSignedDelegation: requireSignedDelegation), registry: registry)
            .verify(.init(token: text, rootKey: root, audience: audience, requiredScope: scope, now: now))
        return Verdict(profile: "aip-chained", error: report.error, steps: report.steps)
    }

    func verifyJWTChain(_ text: String, now: Int64) throws -> Verdict {
        guard audience != nil else {
            throw ValidationError(
                "JWT chains need --audience: any prefix of a valid chain verifies, with wider authority, unless the leaf is the receiver")
        }
        let root = try rootPublicKey()
        let registry = try binding(root: root, now: now)
        if registry == nil {
            if let refusal = unbound(AIPJWTChainDriver().readChain(text).issuer, profile: "aip-jwt-chain") { return refusal }
        }
        let report = JWTChainVerifier(registry: registry).verify(
            .init(token: text, rootKey: root, audience: audience, requiredScope: scope, now: now))
        return Verdict(profile: "aip-jwt-chain", error: report.error, steps: report.steps)
    }

    func verifyCompact(_ text: String, now: Int64) throws -> Verdict {
        let root = try rootPublicKey()
        let trust: CompactVerifier.Trust
        if let registry = try binding(root: root, now: now) {
            trust = .registry(registry, issuers: issuer.map { [$0] })
        } else {
            if let refusal = unbound((try? JWS.parse(text))?.claims["iss"]?.stringValue, profile: "aip-compact") { return refusal }
            trust = .key(root, issuer: nil)
        }
        let report = CompactVerifier(trust: trust).verify(text, audience: audience, requiredScope: scope, now: now)
        // A registry resolves the issuer's keys, but the token must also be signed by the root key given.
        if case let .success(verified) = report.result, verified.issuerKey != root {
            return Verdict(
                profile: "aip-compact", valid: false, code: AIPErrorCode.identityUnresolvable.rawValue, step: VerificationStep.v2.rawValue,
                message: "the token is signed by a key of \(verified.claims.iss), not by --root-key",
                steps: report.details.map { ["step": $0.check.rawValue, "status": $0.status.rawValue, "detail": $0.detail] })
        }
        return Verdict(
            profile: "aip-compact", valid: report.error == nil, code: report.code?.rawValue, step: report.step?.rawValue,
            message: report.error == nil ? "verified" : report.message,
            steps: report.details.map { ["step": $0.check.rawValue, "status": $0.status.rawValue, "detail": $0.detail] })
    }

    /// One call to a resource server with an intent token: the reference resource server (A0–A9),
    /// with a fresh view of the workflows but for what `--deployment` says was completed.
    func verifyIntent(_ text: String, now: Int64) async throws -> Verdict {
        guard let jwks, let issuer, let audience, let url, let action, let deployment else {
            throw ValidationError(
                "intent tokens are verified as a call: they need --jwks FILE, --issuer, --audience (the resource server), --url, --action and --deployment FILE (and --dpop)"
            )
        }
        let keys: String
        let settings: String
        do {
            keys = try String(contentsOfFile: jwks, encoding: .utf8)
            settings = try String(contentsOfFile: deployment, encoding: .utf8)
        } catch { throw ValidationError("cannot read \(jwks) or \(deployment): \(error)") }
        var request = VerifyRequest(
            profile: .agenticJWT, token: text, rootKey: Ed25519.PrivateKey.derived(from: "baton-verify:unused").publicKey, audience: audience,
            requiredScope: scope, now: now,
            requireSignedDelegation: false, issuer: issuer, jwks: keys)
        request.profileSettings = settings
        let proof = try dpop.map { try Console.readToken($0) }
        request.resource = ResourceRequest(
            session: "baton-verify", method: method, url: url, headers: proof.map { [["DPoP", $0]] } ?? [], action: action)
        let outcome = await AgenticJWTDriver().makeReference().verify(request)
        let steps = (outcome.details ?? []).map { ["detail": $0] }
        if outcome.verdict == .error { throw ValidationError(outcome.message ?? "cannot verify") }
        return Verdict(
            profile: "agentic-jwt", valid: outcome.verdict == .accept, code: outcome.code, step: outcome.step,
            message: outcome.verdict == .accept ? "verified" : outcome.message ?? "refused", steps: steps)
    }

    /// A ZeroID token: `--profile zeroid`, or (without `--profile`) a JWT carrying ZeroID's claims
    /// (`principal_type` of the rfc8693 profile, `mission_id` of both).
    func isZeroID(_ text: String) -> Bool {
        if let profile { return profile == .zeroID }
        guard let claims = (try? JWS.parse(text))?.claims else { return false }
        return claims["principal_type"] != nil || claims["mission_id"] != nil
    }

    func jwksKeys() throws -> JWKSet {
        guard let jwks else { throw ValidationError("JWTs need --jwks FILE and --issuer") }
        do { return try JWKSet(jsonText: String(contentsOfFile: jwks, encoding: .utf8)) } catch {
            throw ValidationError("cannot read the JWKS \(jwks): \(error)")
        }
    }

    /// A ZeroID token, judged by `ZeroIDTokenVerifier` (J0–J8 with ZeroID's J6).
    func verifyZeroID(_ text: String, now: Int64) throws -> Verdict {
        guard let issuer else { throw ValidationError("ZeroID tokens need --jwks FILE and --issuer") }
        let verifier = ZeroIDTokenVerifier(
            issuer: issuer, keys: try jwksKeys(), compatibility: compat, maxDepth: maxDepth, refusedMissions: Set(refusedMission))
        let report = verifier.verify(text, requiredScope: scope, now: now)
        let steps = report.details.map { ["detail": $0] }
        switch report.result {
        case .success: return Verdict(profile: "zeroid", valid: true, code: nil, step: nil, message: "verified", steps: steps)
        case let .failure(e):
            return Verdict(profile: "zeroid", valid: false, code: e.code.rawValue, step: e.check.rawValue, message: e.reason, steps: steps)
        }
    }

    func verifyExchanged(_ text: String, now: Int64) throws -> Verdict {
        guard jwks != nil, let issuer else { throw ValidationError("token-exchange JWTs need --jwks FILE and --issuer") }
        let keys = try jwksKeys()
        let report = ExchangedTokenVerifier(issuer: issuer, keys: keys, maxDepth: maxDepth).verify(
            text, audience: audience, requiredScope: scope, now: now)
        let steps = report.details.map { ["detail": $0] }
        switch report.result {
        case .success: return Verdict(profile: "token-exchange", valid: true, code: nil, step: nil, message: "verified", steps: steps)
        case let .failure(e):
            return Verdict(profile: "token-exchange", valid: false, code: e.code.rawValue, step: e.check.rawValue, message: e.reason, steps: steps)
        }
    }
}

/// Identity documents as `baton verify --registry` reads them (the testee protocol's `identities`,
/// with the validity period and the revocation flag optional).
enum IdentityFile {
    struct Entry: Decodable {
        var id: String
        var keys: [Ed25519.PublicKey]
        var validFrom: Int64?
        var validUntil: Int64?
        var advertisesRevocation: Bool?

        enum CodingKeys: String, CodingKey {
            case id, keys
            case validFrom = "valid_from"
            case validUntil = "valid_until"
            case advertisesRevocation = "advertises_revocation"
        }

        /// The entry, valid without end where the file gives no period.
        var entry: IdentityEntry {
            IdentityEntry(
                id: id, keys: keys, validFrom: validFrom ?? Int64.min / 2, validUntil: validUntil ?? Int64.max / 2,
                advertisesRevocation: advertisesRevocation ?? false)
        }
    }
}
