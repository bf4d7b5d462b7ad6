import BatonHarness
import BatonModel
import Foundation

/// Static test vectors from the scenarios (`baton vectors export DIR`): a pure function of the
/// loaded scenarios, the reference implementation and the seed.
///
/// Each scenario is run as for a testee that is only a verifier (``VerifyRecorder``): the reference
/// mints, delegates and forges with its seeded keys and deterministic signatures, and every verify
/// request is recorded under the step that made it. A checkpoint whose step made exactly one
/// verification, answered as the checkpoint was judged, becomes a test: that request, and the
/// result the scenario expects. Scenarios that need a live issuer, token service or agents are
/// listed in the index, with why.
public enum VectorExport {
    /// The vectors of `scenarios`, one file per profile that has any, and the index of them all.
    public static func make(scenarios: [Scenario], reference: any ImplementationUnderTest, seed: String = "baton") async -> VectorSet {
        var groups: [TokenProfile: [VectorGroup]] = [:]
        var entries: [VectorIndex.Entry] = []
        for scenario in scenarios.sorted(by: { $0.id < $1.id }) {
            let (group, entry) = await export(scenario, reference: reference, seed: seed)
            entries.append(entry)
            if let group { groups[scenario.profile, default: []].append(group) }
        }
        let generator = "baton \(BatonVersion.current) vectors export, seed \(seed)"
        let files = groups.keys.sorted().map { profile in
            VectorFile(profile: profile, generator: generator, testGroups: numbered(groups[profile] ?? []))
        }
        let profiles = Set(entries.map(\.profile)).sorted().map { profile in
            let mine = entries.filter { $0.profile == profile }
            return VectorIndex.Profile(
                profile: profile, file: fileName(profile), scenarios: mine.count, exported: mine.filter { $0.tests > 0 }.count,
                tests: mine.reduce(0) { $0 + $1.tests })
        }
        return VectorSet(
            files: files, index: VectorIndex(format: VectorFile.format, generator: generator, profiles: profiles, scenarios: entries))
    }

    /// The file of a profile's vectors.
    public static func fileName(_ profile: TokenProfile) -> String { "\(profile.rawValue).json" }

    /// Numbers the tests of one file 1, 2 … in order.
    static func numbered(_ groups: [VectorGroup]) -> [VectorGroup] {
        var next = 1
        return groups.map { group in
            var group = group
            for i in group.tests.indices {
                group.tests[i].id = next
                next += 1
            }
            return group
        }
    }

    /// One scenario's group of tests (nil: none) and its index entry.
    static func export(_ scenario: Scenario, reference: any ImplementationUnderTest, seed: String) async -> (VectorGroup?, VectorIndex.Entry) {
        var entry = VectorIndex.Entry(
            scenario: scenario.id, profile: scenario.profile, file: scenario.file, tests: 0, exclusion: nil, reason: nil, leftOut: [])
        func excluded(_ exclusion: VectorIndex.Exclusion, _ reason: String) -> (VectorGroup?, VectorIndex.Entry) {
            entry.exclusion = exclusion
            entry.reason = reason
            return (nil, entry)
        }
        if !scenario.behaviours.isEmpty || scenario.gateway != nil {
            return excluded(.workflow, "a workflow: agents act on what they verify (delegations, tool calls, budgets, audit); it needs live agents")
        }
        let recorder = VerifyRecorder(reference: reference)
        var runner = ScenarioRunner(implementation: recorder, reference: reference, seed: seed)
        runner.willPerformStep = { recorder.begin(step: $0) }
        let record = await runner.record(scenario)
        let calls = recorder.calls
        switch record.result.status {
        case .passed:
            break
        case .skipped:
            let step = recorder.currentStep
            let place = scenario.steps.indices.contains(step) ? "step \(step + 1) (line \(scenario.steps[step].line)) " : ""
            switch record.skip?.needs {
            case .issuer?: return excluded(.issuerRefusal, "\(place)tests an issuer's refusal: it needs a live issuer")
            case .sts?: return excluded(.tokenServiceRefusal, "\(place)tests a token service's refusal: it needs a live token service")
            default: return excluded(.skipped, record.result.message)
            }
        default:
            return excluded(.referenceFailed, "the reference run did not pass: \(record.result.message)")
        }
        var tests: [VectorTest] = []
        for checkpoint in record.checkpoints where !checkpoint.isEvent {
            let step = scenario.steps[checkpoint.stepIndex]
            let place = VectorCheckpoint(step: checkpoint.stepIndex + 1, line: checkpoint.line, keyword: step.keyword)
            let mine = calls.filter { $0.step == checkpoint.stepIndex }
            guard !mine.isEmpty else { continue }  // an issuer's or a token service's checkpoint, played by the reference
            guard mine.count == 1, let call = mine.first else {
                entry.leftOut.append(.init(checkpoint: place, reason: "the step made \(mine.count) verifications"))
                continue
            }
            guard sameDecision(call.outcome, checkpoint.outcome) else {
                entry.leftOut.append(.init(checkpoint: place, reason: "the checkpoint is judged on more than the verifier's answer"))
                continue
            }
            guard let expected = VectorResult.expected(by: checkpoint.expectation) else {
                entry.leftOut.append(.init(checkpoint: place, reason: "it expects \(checkpoint.expectation.description)"))
                continue
            }
            let presented: (name: String?, forgery: String?) = call.request.token.map { name(of: $0, in: record.state) } ?? (nil, nil)
            let forgeAttacks = presented.forgery.map { attacks(of: $0, in: scenario) } ?? []
            tests.append(
                VectorTest(
                    id: 0, scenario: scenario.id, checkpoint: place,
                    comment:
                        "\(step.keyword) \(presented.name ?? (call.request.token == nil ? "no token" : "a token")): expected \(checkpoint.expectation.description)",
                    flags: flags(of: scenario, attacks: forgeAttacks), token: presented.name, forgery: presented.forgery, input: call.request,
                    result: expected.result, code: expected.code, acceptedCodes: expected.accepted, anyCode: expected.anyCode,
                    step: checkpoint.expectation.step))
        }
        guard !tests.isEmpty else {
            if !entry.leftOut.isEmpty { return excluded(.noVerification, "no checkpoint is a single verification answered as judged") }
            return excluded(.noVerification, "no checkpoint is a verification: it judges an issuer or a token service only")
        }
        entry.tests = tests.count
        let group = VectorGroup(
            scenario: scenario.id, title: scenario.title, summary: scenario.summary, file: scenario.file, spec: scenario.spec.map(\.description),
            tags: scenario.tags, owasp: scenario.owasp?.rawValue, cwe: scenario.cwe?.id, stateful: tests.contains { $0.input.resource != nil },
            tests: tests)
        return (group, entry)
    }

    /// Whether two outcomes are the same decision (verdict, code and step).
    static func sameDecision(_ a: Outcome, _ b: Outcome) -> Bool {
        a.verdict == b.verdict && a.code == b.code && a.step == b.step
    }

    /// The first name the run gave these token bytes, and how the attacker made them if forged.
    static func name(of token: String, in state: RunState) -> (name: String?, forgery: String?) {
        let names = state.tokenOrder.filter { state.tokens[$0] == token }
        return (names.first, names.lazy.compactMap { state.forgeries[$0]?.attack }.first)
    }

    /// The names of the scenario's forge attacks a forgery's description names.
    static func attacks(of forgery: String, in scenario: Scenario) -> [String] {
        scenario.steps(of: ForgeStep.self).filter { forgery.contains("made from \($0.from) by \($0.attackName):") }.map(\.attackName)
    }

    /// Tags that say nothing of the attack class in a profile's file: the verdict and the roles.
    static let plainTags: Set<String> = ["attack", "legitimate", "verifier"]

    /// A test's flags: the scenario's tags and the folders of its id, the attacks that forged the
    /// presented token; without the profile's name and the tags of ``plainTags``.
    static func flags(of scenario: Scenario, attacks: [String]) -> [String] {
        let folders = scenario.id.split(separator: "/").dropLast().map(String.init)
        let all = Set(scenario.tags + folders + attacks).subtracting(plainTags).subtracting([scenario.profile.rawValue])
        return all.sorted()
    }
}
