import BatonModel
import Foundation

/// Runs scenarios against one implementation under test and judges each checkpoint. Steps
/// the implementation does not play (e.g. minting, for a verifier-only testee) are played by
/// the reference implementation. What each step does is the step kind's business; what a
/// profile needs before and around the steps is its driver's.
public struct ScenarioRunner: Sendable {
    public var implementation: any ImplementationUnderTest
    public var reference: any ImplementationUnderTest
    /// Seed for every derived key: same seed, same bytes.
    public var seed: String
    /// Told the index of each step (-1: the profile's set-up) just before it is carried out, so that a
    /// tool can attribute the implementation's calls to steps (`baton vectors export`).
    public var willPerformStep: (@Sendable (Int) -> Void)?

    public init(implementation: any ImplementationUnderTest, reference: any ImplementationUnderTest, seed: String = "baton") {
        self.implementation = implementation
        self.reference = reference
        self.seed = seed
    }

    /// Runs one scenario. Never throws: scenario mistakes are `.error` results.
    public func run(_ scenario: Scenario) async -> CaseResult {
        await explain(scenario).result
    }

    /// Runs one scenario and also returns the tokens it made, by name, in creation order.
    public func explain(_ scenario: Scenario) async -> (result: CaseResult, tokens: [(name: String, text: String)]) {
        // In-process implementations never suspend: yield once per scenario, so that a long suite
        // (or kill matrix) shares the cooperative pool with servers and other runs.
        await Task.yield()
        let started = ContinuousClock.now
        var (result, state, _, _) = await execute(scenario)
        await state.tools?.close()
        let elapsed = ContinuousClock.now - started
        result.durationMicros = Int(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
        return (result, state.tokenOrder.compactMap { name in state.tokens[name].map { (name, $0) } })
    }

    /// One judged step, or one judged event of a step (an action of a workflow).
    public struct Checkpoint: Sendable {
        /// The step's index in the scenario (0-based).
        public var stepIndex: Int
        public var line: Int
        public var expectation: Expectation
        public var outcome: Outcome
        public var judgement: Judgement
        /// Whether this is an event of the step (judged against its own expectation) rather than the step.
        public var isEvent: Bool
    }

    /// A run seen from inside, for tools that need more than its result (`baton vectors export`).
    public struct Record: Sendable {
        public var result: CaseResult
        /// The run's state when it ended (tokens made, forgeries, revocations …).
        public var state: RunState
        /// Every judged checkpoint, in order.
        public var checkpoints: [Checkpoint]
        /// Why the run was skipped, when it was.
        public var skip: RunSkip?
    }

    /// Runs one scenario and returns its result with every judged checkpoint and the final state.
    public func record(_ scenario: Scenario) async -> Record {
        await Task.yield()
        let (result, state, checkpoints, skip) = await execute(scenario)
        await state.tools?.close()
        return Record(result: result, state: state, checkpoints: checkpoints, skip: skip)
    }

    func execute(_ scenario: Scenario) async -> (CaseResult, RunState, [Checkpoint], RunSkip?) {
        var state = RunState(scenario: scenario, seed: seed)
        var checkpoints: [Checkpoint] = []
        var base = CaseResult(
            scenarioId: scenario.id, title: scenario.title, file: scenario.file, tags: scenario.tags,
            spec: scenario.spec.map(\.description), implementation: implementation.descriptor.name, status: .passed, message: "")
        base.owasp = scenario.owasp
        base.cwe = scenario.cwe
        guard implementation.supports(profile: scenario.profile) else {
            let reason = "the implementation does not support the \(scenario.profile) profile"
            return (with(base, .skipped, reason, state.trace), state, [], RunSkip(reason: reason))
        }
        if let missing = Self.missingMandatoryCheck(scenario, descriptor: implementation.descriptor) {
            var result = with(base, .failed, missing, state.trace)
            result.judgement = .unsupportedMandatoryCheck
            return (result, state, [], nil)
        }
        if let missing = Self.missingOption(scenario, descriptor: implementation.descriptor) {
            return (with(base, .skipped, missing, state.trace), state, [], RunSkip(reason: missing))
        }
        let lastCheckpoint = scenario.steps.lastIndex(where: \.isCheckpoint)
        // An implementation that keeps its own time (no `clock` option, e.g. a real token service over
        // HTTP) stamps and checks tokens with the real clock: where the profile says so, the scenario's
        // virtual clock then starts at the real time and follows it before every step, so that times of
        // its tokens and of Baton's own line up. Scenarios that move the clock were skipped above.
        if scenario.driver.followsRealTimeWithoutClock && !implementation.supports(.clock) {
            state.followsRealTime = true
            state.syncWithRealTime(starting: true)
        }
        do {
            var setup = StepRun(
                scenario: scenario, implementation: implementation, reference: reference, seed: seed, index: -1,
                label: "setup", expectation: .accept, state: state)
            willPerformStep?(-1)
            do {
                try await scenario.driver.prepare(&setup)
                setup.state.makeAgents(scenario)
                state = setup.state
            } catch {
                state = setup.state
                throw error
            }
            for (i, step) in scenario.steps.enumerated() {
                if state.followsRealTime { state.syncWithRealTime() }
                let expectation = step.expect ?? (i == lastCheckpoint ? scenario.expect : nil) ?? .accept
                var run = StepRun(
                    scenario: scenario, implementation: implementation, reference: reference, seed: seed, index: i,
                    label: "step \(i + 1) (line \(step.line))", expectation: expectation, state: state)
                let outcome: Outcome?
                willPerformStep?(i)
                do {
                    outcome = try await step.action.perform(&run)
                    state = run.state
                } catch {
                    state = run.state
                    throw error
                }
                for event in run.events {
                    if let reason = event.outcome.unsupportedReason {
                        throw RunSkip(reason: "line \(event.line): the implementation answered \(reason)")
                    }
                    let judgement = event.expectation.judge(event.outcome)
                    checkpoints.append(
                        Checkpoint(
                            stepIndex: i, line: event.line, expectation: event.expectation, outcome: event.outcome, judgement: judgement,
                            isEvent: true))
                    state.trace.append(
                        Self.judgementLine("    line \(event.line): \(event.description)", event.expectation, event.outcome, judgement))
                }
                if let outcome {
                    if let reason = outcome.unsupportedReason { throw RunSkip(reason: "\(run.label): the implementation answered \(reason)") }
                    let judgement = expectation.judge(outcome)
                    checkpoints.append(
                        Checkpoint(stepIndex: i, line: step.line, expectation: expectation, outcome: outcome, judgement: judgement, isEvent: false))
                    state.trace.append(Self.judgementLine(" ", expectation, outcome, judgement))
                }
            }
        } catch let skip as RunSkip {
            return (with(base, .skipped, skip.reason, state.trace), state, checkpoints, skip)
        } catch {
            return (with(base, .error, "\(error)", state.trace), state, checkpoints, nil)
        }
        var result = base
        result.trace = state.trace
        result.audit = state.audit.records
        result.forgedCalls = state.forgedCalls
        result.standIns = state.standIns.isEmpty ? nil : state.standIns
        result.workflow = state.workflow.isEmpty ? nil : state.workflow
        let standInNote =
            state.standIns.isEmpty ? "" : "; the implementation could not make \(state.standIns.count) token(s), which Baton's reference made"
        if checkpoints.allSatisfy(\.judgement.passes), let auditFailure = state.auditFailures.first {
            result.status = .failed
            result.judgement = .auditMismatch
            result.message = "audit assertion failed at \(auditFailure)"
            return (result, state, checkpoints, nil)
        }
        guard let failing = checkpoints.first(where: { !$0.judgement.passes }) else {
            let final = checkpoints.last
            result.expectation = final?.expectation
            result.outcome = final?.outcome
            result.judgement = final?.judgement
            result.message = "\(checkpoints.count) checkpoint(s) met" + (final.map { "; final: \($0.outcome.summary)" } ?? "") + standInNote
            return (result, state, checkpoints, nil)
        }
        result.status = .failed
        result.expectation = failing.expectation
        result.outcome = failing.outcome
        result.judgement = failing.judgement
        result.message =
            "step \(failing.stepIndex + 1) (line \(failing.line)): expected \(failing.expectation.description), got \(failing.outcome.summary)"
            + standInNote
        return (result, state, checkpoints, nil)
    }

    /// The trace line of one judgement.
    static func judgementLine(_ prefix: String, _ expectation: Expectation, _ outcome: Outcome, _ judgement: Judgement) -> String {
        var line = "\(prefix) → expected \(expectation.description), got \(outcome.summary): \(judgement.passes ? "ok" : judgement.rawValue)"
        if judgement.passes, let pinned = expectation.step, outcome.step == nil {
            line += " (no step reported: judged on the code alone, not on \(pinned))"
        }
        return line
    }

    /// A check the specification makes mandatory that the implementation cannot be set up for: the
    /// scenario fails (`unsupported_mandatory_check`), it is not skipped.
    static func missingMandatoryCheck(_ scenario: Scenario, descriptor: ImplementationDescriptor) -> String? {
        if scenario.verifier.revocation && descriptor.roles.contains(.verifier) && !descriptor.options.contains(.revocation) {
            return "revocation (V7) is mandatory: a verifier MUST check every key of the chain when the issuer advertises revocation, "
                + "MUST be configurable with a maximum staleness and MUST fail closed past it (AIP verification §8, V7); "
                + "the implementation declares no 'revocation' option, so it cannot be given a revocation status"
        }
        return nil
    }

    /// Why the implementation cannot run this scenario, from the options its handshake declared: only
    /// harness capabilities and extensions of the specifications, each with the risk left open.
    static func missingOption(_ scenario: Scenario, descriptor: ImplementationDescriptor) -> String? {
        let movesClock = !scenario.steps(of: AdvanceClockStep.self).isEmpty
        if movesClock && !descriptor.options.contains(.clock) {
            return "moves the clock; the implementation did not declare the 'clock' option (it keeps its own time)"
        }
        if scenario.verifier.requireSignedDelegation && !descriptor.options.contains(.signedDelegation) {
            return "needs signed delegations, a Baton extension of AIP the implementation does not declare; "
                + "without them any holder can re-target a captured token"
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
}
