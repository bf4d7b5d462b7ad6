import BatonCrypto
import BatonModel

/// One step being carried out: the scenario, the runner's implementations, the step's place
/// and expectation, and the run's state, which the step changes. Steps reach the
/// implementation under test (or the reference standing in for a role it does not play)
/// only through the methods here, so the rules for standing in live in one place.
public struct StepRun: Sendable {
    public let scenario: Scenario
    public let implementation: any ImplementationUnderTest
    public let reference: any ImplementationUnderTest
    public let seed: String
    /// The step's index in the scenario (0-based).
    public let index: Int
    /// `step N (line L)`, for the trace.
    public let label: String
    /// What the step must achieve (checkpoints).
    public let expectation: Expectation
    public var state: RunState
    /// Further judged events of this step (each action of a workflow), judged after it like checkpoints.
    public private(set) var events: [JudgedEvent] = []

    public var driver: any ProfileDriver { scenario.driver }
    public var now: Int64 { state.clock.now }

    /// The session name token services keep a scenario's state under.
    public var session: String { "\(seed):\(scenario.id)" }

    /// A seeded key for the next block this step makes, so that tokens are reproducible.
    public var nextKey: Ed25519.PrivateKey { .derived(from: "\(seed):\(scenario.id):next:\(index)") }

    /// Appends a line to the trace.
    public mutating func log(_ line: String) { state.trace.append(line) }

    /// Notes an assertion of the scenario that did not hold (an audit record, a budget, the artifacts):
    /// in the trace, and as the run's failure when every checkpoint passed (`audit_mismatch`).
    public mutating func assertionFailed(_ failure: String) {
        state.auditFailures.append(failure)
        log(failure)
    }

    /// Adds an event to judge against its own expectation (an agent's delegation or tool call).
    public mutating func judge(_ outcome: Outcome, against expectation: Expectation, line: Int, what: String) {
        events.append(JudgedEvent(line: line, description: what, expectation: expectation, outcome: outcome))
    }

    /// The issuer for a mint or delegate step: the implementation if it issues; otherwise the
    /// reference, which cannot stand in when the step tests an issuer refusal.
    public func issuer() throws -> any ImplementationUnderTest {
        if implementation.supports(.issuer) { return implementation }
        if expectation.verdict == .reject {
            throw RunSkip(reason: "tests an issuer refusal; the implementation has no issuer role", needs: .issuer)
        }
        return reference
    }

    /// The token service: the implementation if it is one; otherwise the reference, which cannot
    /// stand in when the step tests a token service refusal.
    public func tokenService() throws -> any ImplementationUnderTest {
        if implementation.supports(.sts) { return implementation }
        if expectation.verdict == .reject {
            throw RunSkip(reason: "tests a token service refusal; the implementation is not a token service", needs: .sts)
        }
        return reference
    }

    /// The verifier for a send or verify step: the implementation if it verifies; the reference
    /// only to check an issuer's own (unforged) output.
    public func verifier(for token: String?) throws -> any ImplementationUnderTest {
        if implementation.supports(.verifier) { return implementation }
        if let token, state.forgeries[token] != nil {
            throw RunSkip(reason: "presents a forged token to a verifier; the implementation has no verifier role", needs: .verifier)
        }
        return reference
    }

    /// Asks the issuer for a token. When the implementation under test cannot express it (answers
    /// `unsupported`) in a step that must succeed, Baton's reference issuer makes it instead, the trace
    /// and the result say so, and the verifier under test is still judged on what follows: an
    /// issuer's limits never hide a verifier's defects.
    /// `issuer` is the one ``issuer()`` (or ``tokenService()`` for `role: .sts`) chose.
    public mutating func issue(
        name: String, by issuer: any ImplementationUnderTest, role: ImplementationRole = .issuer,
        _ make: (any ImplementationUnderTest) async -> IssueResult
    ) async throws -> Outcome {
        var result = await make(issuer)
        if case let .refused(outcome) = result, let reason = outcome.unsupportedReason, expectation.verdict == .accept,
            implementation.supports(role)
        {
            log("  the implementation cannot make \(name) (\(reason)); Baton's reference makes it, and the verifier is still judged")
            state.standIns.append("\(name): \(reason)")
            result = await make(reference)
            if case let .refused(refusal) = result {
                throw ForgeFailure("the reference, standing in for the implementation, refused to make \(name): \(refusal.summary)")
            }
        }
        return try issued(result, name: name, role: role)
    }

    /// Stores an issued token under `name`, or returns the refusal as the step's outcome.
    public mutating func issued(_ result: IssueResult, name: String, role: ImplementationRole = .issuer) throws -> Outcome {
        switch result {
        case let .token(t):
            state.tokens[name] = t
            return .accepted
        case let .refused(o):
            // The reference stood in for a setup step (see issuer()): its refusal is a scenario mistake.
            if !implementation.supports(role) && expectation.verdict == .accept {
                throw ForgeFailure("the reference issuer refused a setup step: \(o.summary)")
            }
            return o
        }
    }

    /// The verify request for `token` presented to `holder` for `scope`, as agents, the tool server and
    /// the gateway of a workflow ask it: the holder is the audience where the profile's tokens name
    /// their holder (not ZeroID's, which name the service).
    public func verifyRequest(presenting token: String?, to holder: String, scope: String?) -> VerifyRequest {
        verifyRequest(token: token, audience: driver.audienceIsTheHolder ? holder : nil, scope: scope, root: scenario.trust)
    }

    /// A verify request for the scenario's profile, with the trust anchor, registry and
    /// revocation status the scenario configures.
    public func verifyRequest(token: String?, audience: String?, scope: String?, root: String) -> VerifyRequest {
        let settings = scenario.verifier
        var request = VerifyRequest(
            profile: scenario.profile, token: token, rootKey: state.key(root).publicKey, audience: audience, requiredScope: scope,
            now: now, requireSignedDelegation: settings.requireSignedDelegation,
            identities: settings.registry ? state.identities : nil,
            revocation: settings.revocation
                ? RevocationStatus(
                    refreshedAt: state.revocationRefreshedAt, revokedKeys: state.revokedKeys, revokedIds: state.revokedIds,
                    maxStaleness: settings.maxStaleness) : nil)
        driver.completeVerifyRequest(&request, run: self)
        return request
    }
}

/// Why a scenario cannot be judged for this implementation (it is skipped, with the reason).
public struct RunSkip: Error, CustomStringConvertible {
    public var reason: String
    /// The role the scenario needs the implementation to play here, when that is why it is skipped.
    public var needs: ImplementationRole?
    public init(reason: String, needs: ImplementationRole? = nil) {
        self.reason = reason
        self.needs = needs
    }
    public var description: String { reason }
}
