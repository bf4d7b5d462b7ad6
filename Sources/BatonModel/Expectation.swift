/// What a scenario expects of the implementation under test.
public struct Expectation: Hashable, Sendable, Codable {
    public var verdict: Outcome.Verdict
    /// For rejections: the code the specification requires.
    public var code: String?
    /// When true, any rejection passes (the specification leaves the code open);
    /// a different code is then reported but not counted as a failure.
    public var lenient: Bool
    /// Other codes that also meet the expectation, where specifications disagree
    /// (RFC 8693 says `invalid_request` where RFC 6749 says `invalid_grant`).
    public var alternatives: [String] = []
    /// For rejections: the verifier step that must refuse (`V4`, `J2` …). An implementation that
    /// reports its steps and refuses elsewhere is judged `wrong_step`; one that reports no step is
    /// judged on the code alone.
    public var step: String?

    public init(verdict: Outcome.Verdict, code: String? = nil, lenient: Bool = false, alternatives: [String] = [], step: String? = nil) {
        self.verdict = verdict
        self.code = code
        self.lenient = lenient
        self.alternatives = alternatives
        self.step = step
    }

    enum CodingKeys: String, CodingKey { case verdict, code, lenient, alternatives, step }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        verdict = try c.decode(Outcome.Verdict.self, forKey: .verdict)
        code = try c.decodeIfPresent(String.self, forKey: .code)
        lenient = try c.decodeIfPresent(Bool.self, forKey: .lenient) ?? false
        alternatives = try c.decodeIfPresent([String].self, forKey: .alternatives) ?? []
        step = try c.decodeIfPresent(String.self, forKey: .step)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(verdict, forKey: .verdict)
        try c.encodeIfPresent(code, forKey: .code)
        try c.encode(lenient, forKey: .lenient)
        if !alternatives.isEmpty { try c.encode(alternatives, forKey: .alternatives) }
        try c.encodeIfPresent(step, forKey: .step)
    }

    public static let accept = Expectation(verdict: .accept)
    public static func reject(_ code: String, lenient: Bool = false) -> Expectation {
        Expectation(verdict: .reject, code: code, lenient: lenient)
    }

    /// Judges an outcome against this expectation.
    public func judge(_ outcome: Outcome) -> Judgement {
        switch (verdict, outcome.verdict) {
        case (_, .error): return .implementationError
        case (.accept, .accept): return .met
        case (.accept, .reject): return .rejectedLegitimate
        case (.reject, .accept): return .acceptedAttack
        case (.reject, .reject):
            let codeMet = code == nil || outcome.code == code || outcome.code.map(alternatives.contains) == true
            if codeMet, let step, let actual = outcome.step, actual != step { return .wrongStep }
            if codeMet { return .met }
            return lenient ? .metWithOtherCode : .wrongCode
        case (.error, _): return .met
        }
    }

    public var description: String {
        switch verdict {
        case .accept: return "accept"
        case .reject:
            let codes = ([code].compactMap { $0 } + alternatives).joined(separator: " or ")
            return "reject" + (codes.isEmpty ? "" : " with \(codes)") + (step.map { " at \($0)" } ?? "") + (lenient ? " (any code)" : "")
        case .error: return "error"
        }
    }
}

/// How an outcome compares with an expectation.
public enum Judgement: String, Hashable, Sendable, Codable {
    /// As expected.
    case met
    /// Rejected, with another code than the spec's, where the scenario allows any code.
    case metWithOtherCode = "met_with_other_code"
    /// Rejected for the wrong reason (strict scenarios).
    case wrongCode = "wrong_code"
    /// Refused with the expected code, but by another verifier step than the one the scenario
    /// pins: the check that should have stopped it is missing or misplaced.
    case wrongStep = "wrong_step"
    /// The implementation cannot be given what a check the specification makes mandatory needs
    /// (e.g. revocation status for V7): a failure, never a skip.
    case unsupportedMandatoryCheck = "unsupported_mandatory_check"
    /// An audit record does not say what the scenario asserts (who, for whom, which decision).
    case auditMismatch = "audit_mismatch"
    /// An attack or invalid token was accepted: a security finding.
    case acceptedAttack = "accepted_attack"
    /// A legitimate token was refused.
    case rejectedLegitimate = "rejected_legitimate"
    /// The implementation crashed, hung, or spoke garbage.
    case implementationError = "implementation_error"

    public var passes: Bool { self == .met || self == .metWithOtherCode }
}
