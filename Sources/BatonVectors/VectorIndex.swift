import BatonModel

/// `index.json`: every scenario, whether its checkpoints became vectors, and why not.
public struct VectorIndex: Hashable, Sendable, Codable {
    /// Why a scenario has no vectors.
    public enum Exclusion: String, Hashable, Sendable, Codable {
        /// It tests an issuer's refusal: only a live issuer can refuse.
        case issuerRefusal = "issuer_refusal"
        /// It tests a token service's refusal: only a live service can refuse.
        case tokenServiceRefusal = "token_service_refusal"
        /// A workflow: agents act on what they verify (delegations, tool calls, budgets, audit).
        case workflow
        /// None of its checkpoints is a single verification (it judges an issuer or a service only).
        case noVerification = "no_verification"
        /// The run was skipped for another reason (named).
        case skipped
        /// The reference did not meet the scenario, or the run failed: no vector is derived from it.
        case referenceFailed = "reference_failed"
    }

    /// One profile's file.
    public struct Profile: Hashable, Sendable, Codable {
        public var profile: TokenProfile
        public var file: String
        public var scenarios: Int
        /// Scenarios with at least one vector.
        public var exported: Int
        public var tests: Int
    }

    /// A checkpoint that verified but gave no vector.
    public struct LeftOut: Hashable, Sendable, Codable {
        public var checkpoint: VectorCheckpoint
        public var reason: String
    }

    /// One scenario.
    public struct Entry: Hashable, Sendable, Codable {
        public var scenario: String
        public var profile: TokenProfile
        public var file: String
        public var tests: Int
        /// Why the scenario has no vectors (nil: it has some).
        public var exclusion: Exclusion?
        public var reason: String?
        /// Checkpoints that verified but gave no vector, with why.
        public var leftOut: [LeftOut]

        enum CodingKeys: String, CodingKey {
            case scenario, profile, file, tests, exclusion, reason
            case leftOut = "left_out"
        }

        /// Encodes every key, nil as `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(scenario, forKey: .scenario)
            try c.encode(profile, forKey: .profile)
            try c.encode(file, forKey: .file)
            try c.encode(tests, forKey: .tests)
            try c.encode(exclusion, forKey: .exclusion)
            try c.encode(reason, forKey: .reason)
            try c.encode(leftOut, forKey: .leftOut)
        }
    }

    public var format: String
    public var generator: String
    public var profiles: [Profile]
    public var scenarios: [Entry]

    enum CodingKeys: String, CodingKey { case format, generator, profiles, scenarios }
}
