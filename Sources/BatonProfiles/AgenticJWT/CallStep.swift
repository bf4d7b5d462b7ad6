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

    /// How the proof departs from an honest one.
    struct ProofEdit: Hashable, Sendable {
        /// No proof at all.
        var omitted = false
        /// The legacy signed headers instead of DPoP.
        var legacy = false
        /// Replay the proof of this earlier call.
        var replay: String?
        /// Sign with this agent's key.
        var key: String?
        var method: String?
        var url: String?
        /// Seconds added to now for `iat` (or the legacy timestamp).
        var iatOffset: Int64 = 0
        /// `none`: no `ath`; `wrong`: the hash of another text.
        var ath: String?
        var typ: String?
    }

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> CallStep {
        try f.rejectUnknownKeys([
            "as", "token", "by", "endpoint", "scope", "method", "proof", "replay_proof", "proof_key", "proof_method", "proof_url", "proof_iat",
            "proof_ath", "proof_typ",
        ])
        var p = ProofEdit()
        if let mode = try f["proof"].optionalString() {
            guard ["dpop", "legacy", "none"].contains(mode) else { throw f["proof"].error("proof is dpop (default), legacy or none") }
            p.omitted = mode == "none"
            p.legacy = mode == "legacy"
        }
        p.replay = try f["replay_proof"].optionalString()
        p.key = try f["proof_key"].optionalString()
        p.method = try f["proof_method"].optionalString()
        p.url = try f["proof_url"].optionalString()
        p.iatOffset = Int64(try f["proof_iat"].optionalInt() ?? 0)
        p.ath = try f["proof_ath"].optionalString()
        if let ath = p.ath, ath != "none", ath != "wrong" { throw f["proof_ath"].error("proof_ath is none or wrong") }
        p.typ = try f["proof_typ"].optionalString()
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
        let headers = try proofHeaders(run: run, method: method, url: url, token: tokenText)
        if let name { run.state.agenticJWT.proofs[name] = headers }
        var request = run.verifyRequest(token: tokenText, audience: settings.resourceServer, scope: scope.map(map.scope), root: run.scenario.trust)
        request.resource = ResourceRequest(session: run.session, method: method, url: url, headers: headers, action: map.action(endpoint))
        run.log(
            "\(run.label): \(by) calls \(method) \(url) (\(endpoint)) with \(token ?? "no token"), \(proof.summary) [\(verifier.descriptor.name)]")
        let outcome = await verifier.verify(request)
        run.state.trace += (outcome.details ?? []).map { "      \($0)" }
        if outcome.verdict == .accept, let tokenText, let intent = try? IntentClaims(json: JWS.parse(tokenText).claims).intent {
            run.state.agenticJWT.progress[intent.workflowID, default: []].append((intent.step.stepID, by))
        }
        return outcome
    }

    /// The proof headers this call sends (none, a `DPoP` header, or the legacy `PoP` pair).
    func proofHeaders(run: StepRun, method: String, url: String, token: String?) throws -> [[String]] {
        if proof.omitted { return [] }
        if let replay = proof.replay {
            guard let earlier = run.state.agenticJWT.proofs[replay], !earlier.isEmpty else {
                throw ForgeFailure("call \(replay) sent no proof to replay")
            }
            return earlier
        }
        let bindsThumbprint = run.scenario.settings[IntentProviderSettings.self].bindsThumbprint
        let key = run.state.bindingKey(proof.key ?? by, thumbprint: bindsThumbprint)
        if proof.legacy {
            let checksum = token.flatMap { try? IntentClaims(json: JWS.parse($0).claims).agentProof?.checksum }
            let legacy = LegacyProof(
                method: proof.method ?? method, url: proof.url ?? url, checksum: checksum, timestamp: run.now + proof.iatOffset)
            return [
                [LegacyProof.signatureHeader, try legacy.signature(with: FixedRSAKeys.agent(proof.key ?? by))],
                [LegacyProof.timestampHeader, String(legacy.timestamp)],
            ]
        }
        return try makeDPoP(key: key, method: method, url: url, token: token, run: run).map { [["DPoP", $0]] } ?? []
    }

    /// A DPoP proof, honest but for the edits asked.
    func makeDPoP(key: JWSSigningKey, method: String, url: String, token: String?, run: StepRun) throws -> String? {
        let id = "proof-" + Hex.encode(SHA256.hash(Array("\(run.session):\(run.index)".utf8))).prefix(16)
        var dpop = DPoPProof(
            method: proof.method ?? method, url: proof.url ?? url, issuedAt: run.now + proof.iatOffset, id: String(id), accessToken: token)
        switch proof.ath {
        case "none"?: dpop.accessTokenHash = nil
        case "wrong"?: dpop.accessTokenHash = DPoPProof.accessTokenHash(of: "another token")
        default: break
        }
        guard let typ = proof.typ else { return try dpop.signed(with: key) }
        guard let pub = key.verificationKey else { return nil }
        let header: JSONObject = ["typ": .string(typ), "alg": .string(key.algorithm.rawValue), "jwk": .object(JWK(key: pub).json)]
        return try JWS.sign(header: header, claims: dpop.claims, key: key).compact
    }
}

extension CallStep.ProofEdit {
    var summary: String {
        if omitted { return "no proof" }
        if let replay { return "the proof of \(replay) replayed" }
        let kind = legacy ? "a legacy PoP signature" : "a DPoP proof"
        var parts: [String] = []
        if let key { parts.append("signed by \(key)") }
        if let method { parts.append("htm \(method)") }
        if let url { parts.append("htu \(url)") }
        if iatOffset != 0 { parts.append("iat now\(iatOffset > 0 ? "+" : "")\(iatOffset)") }
        if let ath { parts.append("ath \(ath)") }
        if let typ { parts.append("typ \(typ)") }
        return parts.isEmpty ? kind : "\(kind) (\(parts.joined(separator: ", ")))"
    }
}
