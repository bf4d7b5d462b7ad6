import BatonModel

/// What a verifier must answer to a test vector.
public enum VectorResult: String, Hashable, Sendable, Codable {
    /// The token must be accepted.
    case valid
    /// The token must be refused with `code` (and, when the verifier reports steps, at `step`).
    case invalid
    /// The token must be refused; any code in `accepted_codes` meets the scenario, or any code at all
    /// when `any_code` is true (the specification leaves the code open, or specifications disagree).
    case acceptable
}

/// Where a test vector comes from: one checkpoint of a scenario.
public struct VectorCheckpoint: Hashable, Sendable, Codable {
    /// The step's number in the scenario (1-based, as traces and reports count).
    public var step: Int
    /// Its line in the scenario file.
    public var line: Int
    /// The step's YAML keyword (`verify`, `send`, `call` …).
    public var keyword: String

    public init(step: Int, line: Int, keyword: String) {
        self.step = step
        self.line = line
        self.keyword = keyword
    }
}

/// One test vector: the verify request of one checkpoint, as the testee protocol's `verify` sends it,
/// and what the scenario expects of the answer.
public struct VectorTest: Hashable, Sendable, Codable {
    /// Number of the test in its file (1, 2 …, in file order).
    public var id: Int
    /// The scenario's id.
    public var scenario: String
    public var checkpoint: VectorCheckpoint
    /// What happens at the checkpoint, in words.
    public var comment: String
    /// The attack class: the scenario's tags and the folders of its id, and the attacks that forged
    /// the presented token (see ``VectorExport``).
    public var flags: [String]
    /// The presented token's name in the scenario (`t2`); nil when no token is presented or it has none.
    public var token: String?
    /// How the attacker made the presented token, when it is a forgery (as the run's trace says it).
    public var forgery: String?
    /// The `verify` params of docs/TESTEE-PROTOCOL.md: token, trust anchor, audience, required scope,
    /// time, registry, revocation, issuer and JWKS, and the profile's own settings.
    public var input: VerifyRequest
    public var result: VectorResult
    /// The code the specification requires (nil: valid, or any code).
    public var code: String?
    /// Every code that meets the scenario (empty when the token is valid).
    public var acceptedCodes: [String]
    /// Whether any refusal meets the scenario, whatever its code.
    public var anyCode: Bool
    /// The verifier step that must refuse (`V4`, `AUD`, `J2`, `A5` …), when the scenario pins one.
    public var step: String?

    enum CodingKeys: String, CodingKey {
        case id, scenario, checkpoint, comment, flags, token, forgery, input, result, code, step
        case acceptedCodes = "accepted_codes"
        case anyCode = "any_code"
    }

    /// Encodes every key, nil as `null`, so that each test has the same shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(checkpoint, forKey: .checkpoint)
        try c.encode(comment, forKey: .comment)
        try c.encode(flags, forKey: .flags)
        try c.encode(token, forKey: .token)
        try c.encode(forgery, forKey: .forgery)
        try c.encode(input, forKey: .input)
        try c.encode(result, forKey: .result)
        try c.encode(code, forKey: .code)
        try c.encode(acceptedCodes, forKey: .acceptedCodes)
        try c.encode(anyCode, forKey: .anyCode)
        try c.encode(step, forKey: .step)
    }
}

extension VectorResult {
    /// The result, code and accepted codes a scenario's expectation asks of a verifier; nil for
    /// expectations no verifier answer meets alone (`error`).
    static func expected(by expectation: Expectation) -> (result: VectorResult, code: String?, accepted: [String], anyCode: Bool)? {
        switch expectation.verdict {
        case .accept:
            return (.valid, nil, [], false)
        case .reject:
            let codes = [expectation.code].compactMap { $0 } + expectation.alternatives
            let strict = !expectation.lenient && expectation.alternatives.isEmpty && expectation.code != nil
            return (strict ? .invalid : .acceptable, expectation.code, codes, expectation.lenient || expectation.code == nil)
        case .error:
            return nil
        }
    }
}
