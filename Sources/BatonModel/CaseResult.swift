import BatonAudit

/// The result of running one scenario against one implementation under test.
public struct CaseResult: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case passed
        case failed
        /// Not run, with a reason (unsupported profile or role, missing option …).
        case skipped
        /// Failed, and listed in the implementation's known-failure list.
        case expectedFailure = "expected_failure"
        /// Listed as a known failure but passed: the list is stale, which fails the run.
        case unexpectedPass = "unexpected_pass"
        /// The scenario itself could not be run (broken file, harness error).
        case error

        /// Whether this status lets the run succeed.
        public var isAcceptable: Bool { self == .passed || self == .skipped || self == .expectedFailure }
    }

    public var scenarioId: String
    public var title: String
    /// The scenario file, relative to the scenario root.
    public var file: String
    public var tags: [String]
    /// The ids of the specification clauses the scenario tests (`aip-verification/V4-scope`).
    public var spec: [String]
    /// The attack's category in the OWASP Top 10 for Agentic Applications; nil for legitimate scenarios.
    public var owasp: AgenticRisk? = nil
    /// The weakness the attack exploits; nil for legitimate scenarios.
    public var cwe: CWE? = nil
    public var implementation: String
    public var status: Status
    public var expectation: Expectation?
    public var outcome: Outcome?
    public var judgement: Judgement?
    /// One line on what happened, for people.
    public var message: String
    /// The step-by-step log: what was minted, forged, sent, and each verdict.
    public var trace: [String]
    public var durationMicros: Int
    /// The signed, hash-chained audit records of the scenario's calls.
    public var audit: [AuditRecord] = []
    /// The calls among `audit` that carried forged tokens.
    public var forgedCalls: [ForgedCall] = []
    /// Tokens the implementation could not make (`unsupported`), which Baton's reference made so
    /// that the verifier under test was still judged: `name: why`. Nil when there were none.
    public var standIns: [String]? = nil
    /// What the agents of a workflow did, action by action, in the order they were judged; nil for
    /// scenarios without agents' plans.
    public var workflow: [WorkflowEntry]? = nil

    public init(
        scenarioId: String, title: String, file: String, tags: [String] = [], spec: [String] = [],
        implementation: String, status: Status, expectation: Expectation? = nil, outcome: Outcome? = nil,
        judgement: Judgement? = nil, message: String, trace: [String] = [], durationMicros: Int = 0
    ) {
        self.scenarioId = scenarioId
        self.title = title
        self.file = file
        self.tags = tags
        self.spec = spec
        self.implementation = implementation
        self.status = status
        self.expectation = expectation
        self.outcome = outcome
        self.judgement = judgement
        self.message = message
        self.trace = trace
        self.durationMicros = durationMicros
    }
}

/// Counts by status.
public struct RunSummary: Hashable, Sendable, Codable {
    public var total = 0
    public var passed = 0
    public var failed = 0
    public var skipped = 0
    public var expectedFailures = 0
    public var unexpectedPasses = 0
    public var errors = 0
    /// Failures where an attack was accepted (security findings).
    public var acceptedAttacks = 0
    /// Failures where an attack was refused, but with the wrong code.
    public var wrongCodes = 0
    /// Failures where an attack was refused with the right code, but by another step than the
    /// scenario pins (the check that should have stopped it is missing or misplaced).
    public var wrongSteps = 0
    /// Failures because the implementation cannot be set up for a mandatory check.
    public var unsupportedMandatoryChecks = 0

    enum CodingKeys: String, CodingKey {
        case total, passed, failed, skipped, expectedFailures, unexpectedPasses, errors, acceptedAttacks, wrongCodes, wrongSteps
        case unsupportedMandatoryChecks
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        total = try c.decode(Int.self, forKey: .total)
        passed = try c.decode(Int.self, forKey: .passed)
        failed = try c.decode(Int.self, forKey: .failed)
        skipped = try c.decode(Int.self, forKey: .skipped)
        expectedFailures = try c.decode(Int.self, forKey: .expectedFailures)
        unexpectedPasses = try c.decode(Int.self, forKey: .unexpectedPasses)
        errors = try c.decode(Int.self, forKey: .errors)
        acceptedAttacks = try c.decode(Int.self, forKey: .acceptedAttacks)
        wrongCodes = try c.decode(Int.self, forKey: .wrongCodes)
        wrongSteps = try c.decodeIfPresent(Int.self, forKey: .wrongSteps) ?? 0
        unsupportedMandatoryChecks = try c.decodeIfPresent(Int.self, forKey: .unsupportedMandatoryChecks) ?? 0
    }

    /// Written only when some case was refused at the wrong step, so that reports of runs without
    /// one read as before pinned steps existed.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(total, forKey: .total)
        try c.encode(passed, forKey: .passed)
        try c.encode(failed, forKey: .failed)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(expectedFailures, forKey: .expectedFailures)
        try c.encode(unexpectedPasses, forKey: .unexpectedPasses)
        try c.encode(errors, forKey: .errors)
        try c.encode(acceptedAttacks, forKey: .acceptedAttacks)
        try c.encode(wrongCodes, forKey: .wrongCodes)
        if wrongSteps > 0 { try c.encode(wrongSteps, forKey: .wrongSteps) }
        if unsupportedMandatoryChecks > 0 { try c.encode(unsupportedMandatoryChecks, forKey: .unsupportedMandatoryChecks) }
    }

    public init(_ results: [CaseResult] = []) {
        for r in results {
            total += 1
            switch r.status {
            case .passed: passed += 1
            case .failed: failed += 1
            case .skipped: skipped += 1
            case .expectedFailure: expectedFailures += 1
            case .unexpectedPass: unexpectedPasses += 1
            case .error: errors += 1
            }
            if r.status == .failed || r.status == .expectedFailure {
                if r.judgement == .acceptedAttack { acceptedAttacks += 1 }
                if r.judgement == .wrongCode { wrongCodes += 1 }
                if r.judgement == .wrongStep { wrongSteps += 1 }
                if r.judgement == .unsupportedMandatoryCheck { unsupportedMandatoryChecks += 1 }
            }
        }
    }

    /// True when every result met expectations (the run's exit status).
    public var succeeded: Bool { failed == 0 && unexpectedPasses == 0 && errors == 0 }

    /// `N passed, N failed, N skipped, N expected failures …` on one line.
    public var line: String {
        var parts = ["\(passed) passed", "\(failed + errors + unexpectedPasses) failed", "\(skipped) skipped"]
        if expectedFailures > 0 { parts.append("\(expectedFailures) expected failures") }
        if unexpectedPasses > 0 { parts.append("\(unexpectedPasses) unexpected passes") }
        if errors > 0 { parts.append("\(errors) errors") }
        return parts.joined(separator: ", ")
    }
}

/// Everything one run produced: for one implementation, every scenario's result.
public struct RunReport: Hashable, Sendable, Codable {
    public var tool: String
    public var toolVersion: String
    public var implementation: String
    public var implementationVersion: String?
    public var profiles: [TokenProfile]
    public var results: [CaseResult]
    /// True when the run was interrupted and the report holds only the cases finished.
    public var interrupted: Bool
    /// Known-failure entries that expire within 30 days, as `id (expires D, owner O)`; nil or empty: none.
    public var expiringKnownFailures: [String]? = nil
    /// What the run was (tool, scenario digest, implementation, seed); nil in reports made before manifests.
    public var manifest: RunManifest? = nil
    public var summary: RunSummary { RunSummary(results) }

    public init(
        tool: String = "baton", toolVersion: String, implementation: String, implementationVersion: String? = nil,
        profiles: [TokenProfile], results: [CaseResult], interrupted: Bool = false
    ) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.profiles = profiles
        self.results = results
        self.interrupted = interrupted
    }
}
