import AgenticJWT
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

/// `call`: an agent calls a protected endpoint (a tool) of the resource server with an intent
/// token and a DPoP proof made with its own key (or, with `proof: legacy`, the legacy signed
/// headers). The proof can be left out, made with another agent's key, for another method or URL,
/// too old, without or with a wrong `ath`, or replayed from an earlier call: each a real, really
/// signed proof.
struct CallStep: ScenarioStepKind, Hashable {
    static let keyword = "call"
    static let isCheckpoint = true

    /// Names the call, so that a later call can replay its proof.
    var name: String?
    var token: String?
    /// The calling agent.
    var by: String
    /// The endpoint's action (tool).
    var endpoint: String
    var scope: String?
    /// The request's method (default: the endpoint's).
    var method: String?
    var proof: ProofEdit

    /// Which proof of possession a call sends (`proof:`).
    enum ProofScheme: String, Hashable, Sendable, CaseIterable {
        case dpop
        /// The legacy signed headers (`PoP`, `X-PoP-Timestamp`).
        case legacy
        /// No proof at all.
        case none
    }

    /// What a forged proof's `ath` is (`proof_ath:`).
    enum AccessTokenHashEdit: String, Hashable, Sendable, CaseIterable {
        /// No `ath`.
        case none
        /// The hash of another text.
        case wrong
    }

    /// How the proof departs from an honest one.
    struct ProofEdit: Hashable, Sendable {
        var scheme = ProofScheme.dpop
        /// The proof header sent twice.
        var repeated = false
        /// Replay the proof of this earlier call.
        var replay: String?
        /// Sign with this agent's key.
        var key: String?
        var method: String?
        var url: String?
        /// Seconds added to now for `iat` (or the legacy timestamp).
        var iatOffset: Int64 = 0
        var ath: AccessTokenHashEdit?
        var typ: String?
    }

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> CallStep {
        try f.rejectUnknownKeys([
            "as", "token", "by", "endpoint", "scope", "method", "proof", "replay_proof", "proof_key", "proof_method", "proof_url", "proof_iat",
            "proof_ath", "proof_typ", "proof_twice",
        ])
        var p = ProofEdit()
        if let mode = try f["proof"].optionalString() {
            guard let scheme = ProofScheme(rawValue: mode) else { throw f["proof"].error("proof is dpop (default), legacy or none") }
            p.scheme = scheme
        }
        p.replay = try f["replay_proof"].optionalString()
        p.key = try f["proof_key"].optionalString()
        p.method = try f["proof_method"].optionalString()
        p.url = try f["proof_url"].optionalString()
        p.iatOffset = Int64(try f["proof_iat"].optionalInt() ?? 0)
        if let text = try f["proof_ath"].optionalString() {
            guard let ath = AccessTokenHashEdit(rawValue: text) else { throw f["proof_ath"].error("proof_ath is none or wrong") }
            p.ath = ath
        }
        p.typ = try f["proof_typ"].optionalString()
        p.repeated = try f["proof_twice"].optionalBool() ?? false
        let c = CallStep(
            name: try f["as"].optionalString(), token: try f["token"].optionalString(), by: try f["by"].string(),
            endpoint: try f["endpoint"].string(),
            scope: try f["scope"].optionalString(), method: try f["method"].optionalString(), proof: p)
        if let t = c.token { try context.token(t, f["token"]) }
        try context.agent(c.by, f["by"])
        if let k = p.key { try context.agent(k, f["proof_key"]) }
        if let r = p.replay { try context.token(r, f["replay_proof"]) }
        if let n = c.name { try context.define(n, f["as"]) }
        return c
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let settings = run.scenario.settings[IntentProviderSettings.self]
        let verifier = try run.verifier(for: token)
        let tokenText = token.flatMap { run.state.tokens[$0] }
        let map = run.state.agenticJWT.map
        let served = map.endpoints[endpoint] ?? ResourceEndpoint(url: "https://rs.\(run.state.domain)/tools/\(endpoint)", method: "POST", scope: nil)
        let url = served.url
        let method = self.method ?? served.method
        var headers = try proofHeaders(run: run, method: method, url: url, token: tokenText)
        if proof.repeated, let first = headers.first { headers.append(first) }
        if let name { run.state.agenticJWT.proofs[name] = headers }
        var request = run.verifyRequest(token: tokenText, audience: settings.resourceServer, scope: scope.map(map.scope), root: run.scenario.trust)
        request.resource = ResourceRequest(session: run.session, method: method, url: url, headers: headers, action: map.action(endpoint))
        run.log(
            "\(run.label): \(by) calls \(method) \(url) (\(endpoint)) with \(token ?? "no token"), \(proof.summary) [\(verifier.descriptor.name)]")
        let outcome = await verifier.verify(request)
        run.state.trace += (outcome.details ?? []).map { "      \($0)" }
        // The honest client's view of the workflow: each step once, when it first completes.
        if outcome.verdict == .accept, let tokenText, let intent = try? IntentClaims(json: JWS.parse(tokenText).claims).intent,
            !(run.state.agenticJWT.progress[intent.workflowID] ?? []).contains(where: { $0.step == intent.step.stepID })
        {
            run.state.agenticJWT.progress[intent.workflowID, default: []].append((intent.step.stepID, by))
        }
        return outcome
    }

    /// The proof headers this call sends (none, a `DPoP` header, or the legacy `PoP` pair).
    func proofHeaders(run: StepRun, method: String, url: String, token: String?) throws -> [[String]] {
        if proof.scheme == .none { return [] }
        if let replay = proof.replay {
            guard let earlier = run.state.agenticJWT.proofs[replay], !earlier.isEmpty else {
                throw ForgeFailure("call \(replay) sent no proof to replay")
            }
            return earlier
        }
        let key = run.state.bindingKey(proof.key ?? by, run.scenario.settings[IntentProviderSettings.self].binding)
        if proof.scheme == .legacy {
            let checksum = token.flatMap { try? IntentClaims(json: JWS.parse($0).claims).agentProof?.checksum }
            let legacy = LegacyProof(
                method: proof.method ?? method, url: proof.url ?? url, checksum: checksum, timestamp: run.now + proof.iatOffset)
            return [
                [LegacyProof.signatureHeader, try legacy.signature(with: FixedRSAKeys.agent(proof.key ?? by))],
                [LegacyProof.timestampHeader, String(legacy.timestamp)],
            ]
        }
        return [["DPoP", try makeDPoP(key: key, method: method, url: url, token: token, run: run)]]
    }

    /// A DPoP proof, honest but for the edits asked.
    func makeDPoP(key: JWSSigningKey, method: String, url: String, token: String?, run: StepRun) throws -> String {
        // Derived, so that runs are reproducible; the time is in it so that a run following the real
        // clock never reuses an earlier run's proof ids at a live server.
        let id = "proof-" + Hex.encode(SHA256.hash(Array("\(run.session):\(run.index):\(run.now)".utf8))).prefix(16)
        var dpop = DPoPProof(
            method: proof.method ?? method, url: proof.url ?? url, issuedAt: run.now + proof.iatOffset, id: String(id), accessToken: token)
        switch proof.ath {
        case .none?: dpop.accessTokenHash = nil
        case .wrong?: dpop.accessTokenHash = DPoPProof.accessTokenHash(of: "another token")
        case nil: break
        }
        return try dpop.signed(with: key, type: proof.typ ?? "dpop+jwt")
    }
}

extension CallStep.ProofEdit {
    var summary: String {
        if scheme == .none { return "no proof" }
        if let replay { return "the proof of \(replay) replayed" }
        let kind = scheme == .legacy ? "a legacy PoP signature" : "a DPoP proof"
        var parts: [String] = []
        if let key { parts.append("signed by \(key)") }
        if let method { parts.append("htm \(method)") }
        if let url { parts.append("htu \(url)") }
        if iatOffset != 0 { parts.append("iat now\(iatOffset > 0 ? "+" : "")\(iatOffset)") }
        if let ath { parts.append("ath \(ath.rawValue)") }
        if let typ { parts.append("typ \(typ)") }
        if repeated { parts.append("sent twice") }
        return parts.isEmpty ? kind : "\(kind) (\(parts.joined(separator: ", ")))"
    }
}
