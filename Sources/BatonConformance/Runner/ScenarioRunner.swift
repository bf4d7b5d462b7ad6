import AIP
import BatonAudit
import BatonCrypto
import BatonRuntime
import Foundation
import JOSE
import TokenExchange

/// Runs scenarios against one implementation under test and judges each
/// checkpoint. Steps the implementation does not play (e.g. minting, for a
/// verifier-only testee) are played by the reference implementation.
public struct ScenarioRunner: Sendable {
    public var implementation: any ImplementationUnderTest
    public var reference: ReferenceImplementation
    /// Seed for every derived key: same seed, same bytes.
    public var seed: String

    public init(implementation: any ImplementationUnderTest, reference: ReferenceImplementation = .init(), seed: String = "baton") {
        self.implementation = implementation
        self.reference = reference
        self.seed = seed
    }

    /// Runs one scenario. Never throws: scenario mistakes are `.error` results.
    public func run(_ scenario: Scenario) -> CaseResult {
        explain(scenario).result
    }

    /// Runs one scenario and also returns the tokens it made, by name, in creation order.
    public func explain(_ scenario: Scenario) -> (result: CaseResult, tokens: [(name: String, text: String)]) {
        let started = ContinuousClock.now
        var (result, state) = execute(scenario)
        let elapsed = ContinuousClock.now - started
        result.durationMicros = Int(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
        return (result, state.tokenOrder.compactMap { name in state.tokens[name].map { (name, $0) } })
    }

    /// One judged step.
    struct Checkpoint {
        var stepIndex: Int
        var line: Int
        var expectation: Expectation
        var outcome: Outcome
        var judgement: Judgement
    }

    /// Why a scenario cannot be judged for this implementation.
    struct Skip: Error { var reason: String }

    func execute(_ scenario: Scenario) -> (CaseResult, RunState) {
        var state = RunState(scenario: scenario, seed: seed)
        var checkpoints: [Checkpoint] = []
        let base = CaseResult(scenarioId: scenario.id, title: scenario.title, file: scenario.file, tags: scenario.tags,
                              spec: scenario.spec, implementation: implementation.descriptor.name, status: .passed, message: "")
        guard implementation.supports(profile: scenario.profile) else {
            return (with(base, .skipped, "the implementation does not support the \(scenario.profile) profile", state.trace), state)
        }
        if let missing = Self.missingOption(scenario, descriptor: implementation.descriptor) {
            return (with(base, .skipped, missing, state.trace), state)
        }
        let lastCheckpoint = scenario.steps.lastIndex(where: \.isCheckpoint)
        // A token service that keeps its own time (no `clock` option, e.g. a real server over HTTP) stamps
        // and checks tokens with the real clock: the scenario's virtual clock then starts at the real time
        // and follows it before every step, so `iat`/`exp` of its tokens and of Baton's assertions line up.
        // Scenarios that move the clock were already skipped by `missingOption`.
        if scenario.profile == "token-exchange" && !implementation.descriptor.options.contains("clock") {
            state.followsRealTime = true
            state.syncWithRealTime(starting: true)
        }
        do {
            if scenario.profile == "token-exchange" { try setUpTokenService(scenario, state: &state) }
            for (i, step) in scenario.steps.enumerated() {
                if state.followsRealTime { state.syncWithRealTime() }
                let expectation = step.expect ?? (i == lastCheckpoint ? scenario.expect : nil) ?? .accept
                let label = "step \(i + 1) (line \(step.line))"
                if let outcome = try perform(step, index: i, scenario: scenario, expectation: expectation, state: &state, label: label) {
                    if let reason = outcome.unsupportedReason { throw Skip(reason: "\(label): the implementation answered \(reason)") }
                    let judgement = expectation.judge(outcome)
                    checkpoints.append(Checkpoint(stepIndex: i, line: step.line, expectation: expectation, outcome: outcome, judgement: judgement))
                    state.trace.append("  → expected \(expectation.description), got \(Self.describe(outcome)): \(judgement.passes ? "ok" : judgement.rawValue)")
                }
            }
        } catch let skip as Skip {
            return (with(base, .skipped, skip.reason, state.trace), state)

        } catch {
            return (with(base, .error, "\(error)", state.trace), state)
        }
        var result = base
        result.trace = state.trace
        result.audit = state.audit.records
        result.forgedCalls = state.forgedCalls
        if checkpoints.allSatisfy(\.judgement.passes), let auditFailure = state.auditFailures.first {
            result.status = .failed
            result.message = "audit assertion failed at \(auditFailure)"
            return (result, state)
        }
        guard let failing = checkpoints.first(where: { !$0.judgement.passes }) else {
            let final = checkpoints.last
            result.expectation = final?.expectation
            result.outcome = final?.outcome
            result.judgement = final?.judgement
            result.message = "\(checkpoints.count) checkpoint(s) met" + (final.map { "; final: \(Self.describe($0.outcome))" } ?? "")
            return (result, state)
        }
        result.status = .failed
        result.expectation = failing.expectation
        result.outcome = failing.outcome
        result.judgement = failing.judgement
        result.message = "step \(failing.stepIndex + 1) (line \(failing.line)): expected \(failing.expectation.description), got \(Self.describe(failing.outcome))"
        return (result, state)
    }

    /// Why the implementation cannot run this scenario, from the options its handshake declared.
    static func missingOption(_ scenario: Scenario, descriptor: TesteeDescriptor) -> String? {
        let movesClock = scenario.steps.contains { if case .advanceClock = $0.action { return true } else { return false } }
        if movesClock && !descriptor.options.contains("clock") {
            return "moves the clock; the implementation did not declare the 'clock' option"
        }
        if scenario.verifier.revocation && descriptor.roles.contains(.verifier) && !descriptor.options.contains("revocation") {
            return "needs revocation status (V7); the implementation did not declare the 'revocation' option"
        }
        if scenario.verifier.requireSignedDelegation && !descriptor.options.contains("signed_delegation") {
            return "needs signed delegations; the implementation did not declare the 'signed_delegation' option"
        }
        return nil
    }

    func with(_ base: CaseResult, _ status: CaseResult.Status, _ message: String, _ trace: [String]) -> CaseResult {
        var r = base
        r.status = status
        r.message = message
        r.trace = trace
        return r
    }

    static func describe(_ o: Outcome) -> String {
        switch o.verdict {
        case .accept: return "accept"
        case .reject: return "reject with \(o.code ?? "no code")" + (o.step.map { " at \($0)" } ?? "")
        case .error: return "implementation error: \(o.message ?? "")"
        }
    }

    /// Carries out one step; returns the outcome for checkpoint steps.
    func perform(_ step: ScenarioStep, index: Int, scenario: Scenario, expectation: Expectation,
                 state: inout RunState, label: String) throws -> Outcome? {
        let now = state.clock.now
        switch step.action {
        case let .mint(m):
            let issuer = try issuerFor(expectation)
            let request = MintRequest(
                profile: scenario.profile, issuer: state.identity(m.by), issuerKey: state.key(m.by).hex, scopes: m.scopes,
                principal: m.principal, budgetCents: m.budgetCents, maxDepth: m.maxDepth, ttlSeconds: m.ttlSeconds, now: now,
                nextKey: Ed25519.PrivateKey.derived(from: "\(seed):\(scenario.id):next:\(index)").hex, subject: m.to.map(state.identity))
            state.trace.append("\(label): \(m.by) mints \(m.name) scopes \(m.scopes) budget \(m.budgetCents.map(String.init) ?? "none") max_depth \(m.maxDepth) ttl \(m.ttlSeconds)s [\(issuer.descriptor.name)]")
            return try issued(issuer.mint(request), name: m.name, expectation: expectation, state: &state)
        case let .delegate(d):
            let issuer = try issuerFor(expectation)
            guard let token = state.tokens[d.from] else { throw ForgeFailure("\(label): no token \(d.from)") }
            let request = DelegateRequest(
                profile: scenario.profile, token: token, delegator: state.identity(d.by), delegate: state.identity(d.to),
                scopes: d.scopes, context: d.context, budgetCents: d.budgetCents, expiresAt: d.expiresIn.map { now + $0 },
                principal: d.principal, now: now, delegatorKey: d.signed ? state.key(d.by).hex : nil,
                nextKey: Ed25519.PrivateKey.derived(from: "\(seed):\(scenario.id):next:\(index)").hex)
            state.trace.append("\(label): \(d.by) delegates \(d.from) → \(d.name) to \(d.to) scopes \(d.scopes) context \"\(d.context)\"\(d.signed ? " (signed)" : "") [\(issuer.descriptor.name)]")
            if let forgery = state.forgeries[d.from] { state.forgeries[d.name] = forgery }
            return try issued(issuer.delegate(request), name: d.name, expectation: expectation, state: &state)
        case let .forge(f):
            let source = state.tokens[f.from] ?? ""
            do {
                state.tokens[f.name] = try ForgeExecutor(state: state, salt: "\(scenario.id):\(index)").apply(f.attack, to: source)
            } catch {
                throw ForgeFailure("\(label): forging \(f.name) from \(f.from) failed: \(error)")
            }
            // Hops up to the source's are the honest issuers' (or the source's own honest prefix).
            let sourceHops = AuditTrail.read(source).hops.count
            let honestHops = f.attack.honestHops(sourceHops: min(sourceHops, state.forgeries[f.from]?.honestHops ?? sourceHops))
            state.forgeries[f.name] = .init(attack: "made from \(f.from): \(f.attack)", honestHops: honestHops)
            state.trace.append("\(label): attacker forges \(f.name) from \(f.from): \(f.attack)")
            return nil
        case let .send(s):
            let verifier = try verifierFor(token: s.token, state: state)
            let template = verifyRequest(token: nil, audience: state.identity(s.to), scope: s.scope,
                                         root: scenario.trust, scenario: scenario, state: state)
            let seen = OutcomeBox()
            // The receiving agent verifies the token it finds in the envelope it was sent.
            let receiver = SimulatedAgent(name: s.to, domain: state.domain, seed: seed) { task, _ in
                var request = template
                request.token = task.token
                let outcome = verifier.verify(request)
                seen.set(outcome)
                switch outcome.verdict {
                case .accept: return .success("task accepted")
                case .reject:
                    let status = scenario.profile == "token-exchange"
                        ? ExchangedTokenCode.httpStatus(for: outcome.code ?? "") : AIPErrorCode.httpStatus(for: outcome.code ?? "")
                    return .failure(A2AError(aipCode: outcome.code ?? "unknown", status: status, message: outcome.message ?? ""))
                case .error: return .failure(A2AError(rpcCode: -32603, message: "implementation error: \(outcome.message ?? "")"))
                }
            }
            state.bus.register(receiver)
            let task = A2ATaskRequest(id: "\(scenario.id)#\(index)", taskId: "task-\(index)", text: "use \(s.scope)",
                                      token: s.token.flatMap { state.tokens[$0] })
            let response = state.bus.send(task, from: s.from, to: s.to, at: now)
            state.trace.append("\(label): \(s.from) sends tasks/send to \(s.to) with \(s.token ?? "no token") for \(s.scope) [\(verifier.descriptor.name)]")
            state.trace += (seen.get()?.details ?? []).map { "      \($0)" }
            state.audit.append(AuditTrail.record(
                session: scenario.id, time: now, caller: state.identity(s.from), receiver: state.identity(s.to), scope: s.scope,
                token: task.token, response: response, step: seen.get()?.step))
            if let name = s.token, let forgery = state.forgeries[name], let record = state.audit.records.last {
                state.forgedCalls.append(ForgedCall(record: record.sequence, token: name, attack: forgery.attack, honestHops: forgery.honestHops))
            }
            guard let error = response.error else { return .accepted }
            if let code = error.aipCode { return .rejected(code, message: error.message) }
            return .failed(error.message)
        case let .verify(v):
            let verifier = try verifierFor(token: v.token, state: state)
            let request = verifyRequest(token: v.token.flatMap { state.tokens[$0] }, audience: v.audience.map(state.identity), scope: v.scope,
                                        root: v.root ?? scenario.trust, scenario: scenario, state: state)
            state.trace.append("\(label): verify \(v.token ?? "no token") audience \(v.audience ?? "any") scope \(v.scope ?? "none") root \(v.root ?? scenario.trust) [\(verifier.descriptor.name)]")
            let outcome = verifier.verify(request)
            state.trace += (outcome.details ?? []).map { "      \($0)" }
            return outcome
        case let .advanceClock(seconds):
            state.clock.advance(by: seconds)
            state.trace.append("\(label): clock advances \(seconds)s to \(state.clock.rfc3339)")
            return nil
        case let .revoke(r):
            if let agent = r.agent {
                state.revokedKeys.append(state.key(agent).publicKey.hex)
                state.trace.append("\(label): \(agent)'s key is revoked")
            } else if let name = r.token, let text = state.tokens[name] {
                if scenario.profile == "aip-compact" {
                    // A compact token's revocation id is its signature (one hop, one id).
                    guard r.block == nil else { throw ForgeFailure("\(label): a compact token has no blocks; drop 'block'") }
                    guard let jws = try? JWS.parse(text) else { throw ForgeFailure("\(label): \(name) is not a JWS") }
                    state.revokedIds.append(Hex.encode(jws.signature))
                    state.trace.append("\(label): \(name) is revoked")
                } else if let token = try? BiscuitTokenBytes.revocationIds(text) {
                    let block = r.block ?? 0
                    guard token.indices.contains(block) else { throw ForgeFailure("\(label): \(name) has no block \(block)") }
                    state.revokedIds.append(token[block])
                    state.trace.append("\(label): block \(block) of \(name) is revoked")
                }
            }
            state.revocationRefreshedAt = now
            return nil
        case let .unpublish(agent):
            state.published.remove(agent)
            state.trace.append("\(label): \(agent)'s identity document is withdrawn")
            return nil
        case let .assertAudit(a):
            guard let last = state.audit.records.last else { throw ForgeFailure("\(label): no call has been recorded yet") }
            let problems = AuditTrail.check(a, against: last, identity: state.identity)
            guard problems.isEmpty else {
                let failure = "\(label): audit record \(last.sequence): \(problems.joined(separator: "; "))"
                state.auditFailures.append(failure)
                state.trace.append(failure)
                return nil
            }
            state.trace.append("\(label): audit record \(last.sequence) says \(last.decision) \(last.code ?? "") for \(last.scope), on behalf of \(last.principal ?? "nobody"): as expected")
            return nil
        case let .login(l):
            let sts = try tokenServiceFor(expectation)
            let request = LoginRequest(session: session(scenario), agent: l.agent, principal: l.principal, scopes: l.scopes,
                                       audience: l.audience.map(state.identity), ttlSeconds: l.ttlSeconds, now: now)
            state.trace.append("\(label): \(l.principal) authorizes \(l.agent): the token service issues \(l.name) scopes \(l.scopes) ttl \(l.ttlSeconds)s [\(sts.descriptor.name)]")
            return try issued(sts.login(request), name: l.name, expectation: expectation, state: &state, role: .sts)
        case let .assertActor(a):
            guard let service = state.tokenService else { throw ForgeFailure("\(label): no token service") }
            let iat = now + a.issuedAtOffset
            var claims: JSONObject = [
                "iss": .string(state.identity(a.issuer ?? a.agent)), "sub": .string(state.identity(a.subject ?? a.agent)),
                "aud": .string(a.audience.map { $0 == "sts" ? service.issuer : state.identity($0) } ?? service.issuer),
                "iat": .int(iat), "exp": .int(iat + a.lifetime), "jti": .string(a.jti ?? "\(scenario.id)#\(index)"),
            ]
            for name in a.omit { claims[name] = nil }
            let signer = a.signer ?? a.agent
            do {
                state.tokens[a.name] = try JWS.sign(header: ["typ": "JWT"], claims: claims, key: state.jwtKey(signer, salt: "\(scenario.id):\(index)")).compact
            } catch { throw ForgeFailure("\(label): cannot sign the assertion: \(error)") }
            state.assertionAgents[a.name] = a.agent
            if a.signer != nil || a.issuer != nil || a.subject != nil || a.audience != nil || a.issuedAtOffset != 0 || !a.omit.isEmpty
                || a.lifetime > scenario.tokenService.maxAssertionLifetime {
                state.forgeries[a.name] = .init(attack: "actor assertion \(a.name) with altered claims or key", honestHops: nil)
            }
            state.trace.append("\(label): \(a.agent) signs actor assertion \(a.name) \(claims.canonicalString) with \(signer)'s key")
            return nil
        case let .exchange(x):
            let sts = try tokenServiceFor(expectation)
            var parameters: [[String]] = [["grant_type", x.grantType ?? TokenExchangeRequest.grantType]]
            if let s = x.subject {
                parameters.append(["subject_token", state.tokens[s] ?? ""])
                parameters.append(["subject_token_type", x.subjectTokenType ?? TokenExchangeRequest.jwtTokenType])
            }
            if let a = x.actor {
                parameters.append(["actor_token", state.tokens[a] ?? ""])
                parameters.append(["actor_token_type", x.actorTokenType ?? TokenExchangeRequest.jwtTokenType])
            }
            if let scopes = x.scopes { parameters.append(["scope", scopes.joined(separator: " ")]) }
            let client = x.client ?? x.actor.flatMap { state.assertionAgents[$0] } ?? ""
            parameters.append(["audience", state.identity(x.audience ?? client)])
            let call = ExchangeCall(session: session(scenario), client: client, parameters: parameters, now: now)
            state.trace.append("\(label): \(client) asks the token service to exchange \(x.subject ?? "no subject token") with actor \(x.actor ?? "none") for \(x.name), scope \(x.scopes.map { "\($0)" } ?? "unspecified") [\(sts.descriptor.name)]")
            if let forgery = [x.subject, x.actor].compactMap({ $0.flatMap { state.forgeries[$0] } }).first {
                state.forgeries[x.name] = .init(attack: "issued by the token service from a forged input (\(forgery.attack))", honestHops: nil)
            }
            return try issued(sts.exchange(call), name: x.name, expectation: expectation, state: &state, role: .sts)
        case let .rotateKey(agent):
            state.keys[agent] = .derived(from: "\(seed):agent:\(state.identity(agent)):rotated:\(index)")
            state.trace.append("\(label): \(agent) rotates its key")
            return nil
        }
    }

    /// The token service of a scenario run: the implementation if it is one; otherwise the reference,
    /// which cannot stand in when the step tests a refusal.
    func tokenServiceFor(_ expectation: Expectation) throws -> any ImplementationUnderTest {
        if implementation.supports(.sts) { return implementation }
        if expectation.verdict == .reject { throw Skip(reason: "tests a token service refusal; the implementation is not a token service") }
        return reference
    }

    /// The session name token services keep a scenario's state under.
    func session(_ scenario: Scenario) -> String { "\(seed):\(scenario.id)" }

    /// Registers the scenario's agents with a fresh token service and learns its keys.
    func setUpTokenService(_ scenario: Scenario, state: inout RunState) throws {
        let settings = scenario.tokenService
        var allScopes: [String] = []
        for step in scenario.steps {
            if case let .login(l) = step.action { for s in l.scopes where !allScopes.contains(s) { allScopes.append(s) } }
        }
        let agents = scenario.agents.compactMap { name -> TokenServiceAgent? in
            let registration = settings.agents[name]
            if registration?.registered == false { return nil }
            return TokenServiceAgent(
                name: name, uri: state.workloadURI(name),
                publicKeyPEM: registration?.hasKey == false ? nil : state.jwtKey(name).verificationKey?.pem,
                scopes: registration?.scopes ?? allScopes, maxDepth: registration?.maxDepth,
                grantTypes: registration?.grantTypes ?? [TokenExchangeRequest.grantType])
        }
        let setup = TokenServiceSetup(
            session: session(scenario), issuer: "https://sts.\(state.domain)", layout: settings.layout, algorithm: settings.algorithm,
            signingKey: Hex.encode(state.tokenServiceSecret), tokenLifetime: settings.tokenLifetime, maxAssertionLifetime: settings.maxAssertionLifetime,
            maxDepth: settings.maxDepth, delegableScopes: settings.delegableScopes, agents: agents, now: state.clock.now)
        let sts = implementation.supports(.sts) ? implementation : reference
        switch sts.setUpTokenService(setup) {
        case let .ready(info):
            state.tokenService = info
            state.trace.append("setup: token service \(info.issuer) (\(settings.layout), \(settings.algorithm)) knows \(agents.map(\.name)) [\(sts.descriptor.name)]")
        case let .failed(outcome):
            // A service that cannot be told what the scenario needs (e.g. plain RFC 7591 registration
            // and a per-scenario depth limit) answers `unsupported:`: the scenario is skipped, not failed.
            if let reason = outcome.unsupportedReason { throw Skip(reason: "the token service cannot be set up as the scenario needs: \(reason)") }
            throw ForgeFailure("the token service could not be set up: \(Self.describe(outcome))")
        }
    }

    /// The issuer for a mint or delegate step: the implementation if it issues; otherwise the reference,
    /// which cannot stand in when the step tests an issuer refusal.
    func issuerFor(_ expectation: Expectation) throws -> any ImplementationUnderTest {
        if implementation.supports(.issuer) { return implementation }
        if expectation.verdict == .reject { throw Skip(reason: "tests an issuer refusal; the implementation has no issuer role") }
        return reference
    }

    /// The verifier for a send or verify step: the implementation if it verifies; the reference only
    /// to check an issuer's own (unforged) output.
    func verifierFor(token: String?, state: RunState) throws -> any ImplementationUnderTest {
        if implementation.supports(.verifier) { return implementation }
        if let token, state.forgeries[token] != nil {
            throw Skip(reason: "presents a forged token to a verifier; the implementation has no verifier role")
        }
        return reference
    }

    func issued(_ result: IssueResult, name: String, expectation: Expectation,
                state: inout RunState, role: TesteeRole = .issuer) throws -> Outcome? {
        switch result {
        case let .token(t):
            state.tokens[name] = t
            return .accepted
        case let .refused(o):
            // The reference stood in for a setup step (see issuerFor): its refusal is a scenario mistake.
            if !implementation.supports(role) && expectation.verdict == .accept {
                throw ForgeFailure("the reference issuer refused a setup step: \(Self.describe(o))")
            }
            return o
        }
    }

    func verifyRequest(token: String?, audience: String?, scope: String?, root: String, scenario: Scenario, state: RunState) -> VerifyRequest {
        var request = chainedVerifyRequest(token: token, audience: audience, scope: scope, root: root, scenario: scenario, state: state)
        if scenario.profile == "token-exchange", let service = state.tokenService {
            request.issuer = service.issuer
            request.jwks = service.jwks
            request.layout = service.layout ?? scenario.tokenService.layout
            request.maxDepth = scenario.verifier.maxDepth
        }
        return request
    }

    func chainedVerifyRequest(token: String?, audience: String?, scope: String?, root: String, scenario: Scenario, state: RunState) -> VerifyRequest {
        VerifyRequest(
            profile: scenario.profile, token: token, rootKey: state.key(root).publicKey.hex, audience: audience, requiredScope: scope,
            now: state.clock.now, requireSignedDelegation: scenario.verifier.requireSignedDelegation,
            identities: scenario.verifier.registry ? state.identities : nil,
            revocation: scenario.verifier.revocation ? RevocationStatus(
                refreshedAt: state.revocationRefreshedAt, revokedKeys: state.revokedKeys, revokedIds: state.revokedIds,
                maxStaleness: scenario.verifier.maxStaleness) : nil)
    }
}

/// Carries the receiving agent's verdict out of its (Sendable) gate.
final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Outcome?
    func set(_ o: Outcome) { lock.lock(); value = o; lock.unlock() }
    func get() -> Outcome? { lock.lock(); defer { lock.unlock() }; return value }
}
