import BatonModel

/// One kind of scenario step (`mint`, `delegate`, `exchange` …): how it is written in a
/// scenario file and what it does when run. The common kinds live in `BatonHarness/Steps`;
/// a profile's own kinds live in its folder and are listed by its driver.
public protocol ScenarioStepKind: Sendable, CustomStringConvertible {
    /// The step's key in the scenario file.
    static var keyword: String { get }
    /// Whether the step is judged: it expects its own `expect:`, the scenario's when it is the
    /// last checkpoint, or `accept`.
    static var isCheckpoint: Bool { get }
    /// Reads the step's body (`field` is the value under the keyword). `expect` is the step's own
    /// expectation; `context` checks and records agent and token names.
    static func parse(_ field: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> Self
    /// Carries the step out; returns the outcome for checkpoint steps, nil for the others.
    func perform(_ run: inout StepRun) async throws -> Outcome?
}

extension ScenarioStepKind {
    public static var isCheckpoint: Bool { false }
    public var description: String { Self.keyword }
}

/// What the loader knows while it reads one scenario: its agents and driver, and the tokens
/// defined so far, so that a step using an undefined token or agent fails at load time.
public struct ScenarioContext: Sendable {
    public var agents: Set<String>
    public var tokens: Set<String> = []
    public var driver: any ProfileDriver

    public init(agents: Set<String>, driver: any ProfileDriver) {
        self.agents = agents
        self.driver = driver
    }

    /// Checks that `name` is one of the scenario's agents (or a literal identifier the profile knows).
    public func agent(_ name: String, _ field: YAMLField) throws {
        guard agents.contains(name) || driver.isLiteralIdentity(name) else {
            throw field.error("unknown agent '\(name)' (agents: \(agents.sorted().joined(separator: ", ")))")
        }
    }

    /// Checks that a token of this name was defined by an earlier step.
    public func token(_ name: String, _ field: YAMLField) throws {
        guard tokens.contains(name) else {
            throw field.error("no token named '\(name)' yet (defined so far: \(tokens.sorted().joined(separator: ", ")))")
        }
    }

    /// Defines a token name (each name once).
    public mutating func define(_ name: String, _ field: YAMLField) throws {
        guard !tokens.contains(name) else { throw field.error("token '\(name)' is already defined") }
        tokens.insert(name)
    }
}
