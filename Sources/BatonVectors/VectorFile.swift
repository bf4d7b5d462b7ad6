import BatonModel

/// The test vectors of one scenario: its checkpoints that are verifications.
public struct VectorGroup: Hashable, Sendable, Codable {
    public var scenario: String
    public var title: String
    public var summary: String?
    /// The scenario file, relative to `Scenarios/`.
    public var file: String
    /// The specification clauses the scenario tests, as its `spec:` entries say them.
    public var spec: [String]
    public var tags: [String]
    /// The attack's category in the OWASP Top 10 for Agentic Applications (`ASI03`), nil when none applies.
    public var owasp: String?
    /// The weakness the attack exploits (`CWE-347`), nil when none applies.
    public var cwe: String?
    /// Whether the verifier keeps state between the group's tests (a resource server's used proofs
    /// and workflow progress, per `input.resource.session`): run them in order, on one verifier.
    public var stateful: Bool
    public var tests: [VectorTest]

    public init(
        scenario: String, title: String, summary: String?, file: String, spec: [String], tags: [String], owasp: String? = nil, cwe: String? = nil,
        stateful: Bool, tests: [VectorTest]
    ) {
        self.owasp = owasp
        self.cwe = cwe
        self.scenario = scenario
        self.title = title
        self.summary = summary
        self.file = file
        self.spec = spec
        self.tags = tags
        self.stateful = stateful
        self.tests = tests
    }

    enum CodingKeys: String, CodingKey { case scenario, title, summary, file, spec, tags, owasp, cwe, stateful, tests }

    /// Encodes every key, nil as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(title, forKey: .title)
        try c.encode(summary, forKey: .summary)
        try c.encode(file, forKey: .file)
        try c.encode(spec, forKey: .spec)
        try c.encode(tags, forKey: .tags)
        try c.encode(owasp, forKey: .owasp)
        try c.encode(cwe, forKey: .cwe)
        try c.encode(stateful, forKey: .stateful)
        try c.encode(tests, forKey: .tests)
    }
}

/// One profile's test vectors (`<profile>.json`), in the manner of Wycheproof's files: groups of tests
/// with their inputs and the expected result.
public struct VectorFile: Hashable, Sendable, Codable {
    /// The format's name and version.
    public var format: String
    public var profile: TokenProfile
    /// What made the file: Baton's version and seed.
    public var generator: String
    /// How to read the file, in a few sentences.
    public var header: [String]
    public var numberOfTests: Int
    public var testGroups: [VectorGroup]

    public static let format = "baton-vectors/1"

    public init(profile: TokenProfile, generator: String, testGroups: [VectorGroup]) {
        format = Self.format
        self.profile = profile
        self.generator = generator
        header = Self.header
        self.testGroups = testGroups
        numberOfTests = testGroups.reduce(0) { $0 + $1.tests.count }
    }

    static let header = [
        "Each test is one verification of a Baton scenario: give `input` (the `verify` params of docs/TESTEE-PROTOCOL.md) to the verifier.",
        "result valid: it must accept. invalid: it must refuse with `code`. acceptable: it must refuse, with a code in `accepted_codes` (any code when `any_code`).",
        "`step` is the verifier step that must refuse, for verifiers that report steps. Times are seconds since the epoch; keys are hex or JWKS.",
        "Groups marked `stateful` keep verifier state between their tests (per `input.resource.session`): run their tests in order on one verifier.",
    ]

    enum CodingKeys: String, CodingKey {
        case format, profile, generator, header
        case numberOfTests = "number_of_tests"
        case testGroups = "test_groups"
    }
}
