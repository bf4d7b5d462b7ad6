import BatonAgents
import BatonModel

/// A scenario's expected cost to run, in about milliseconds of the reference on the 2-core CI machine,
/// read from its shape alone: a base per profile (setting up its world: RSA and P-256 keys, token
/// services), each step, and each action of its agents' plans (a call made `times: 30` counts thirty).
/// Fitted on one timed run of the whole suite (`baton run --timings`); only the shards' balance depends
/// on it, never a result.
public enum ScenarioCost {
    /// What a scenario of the profile costs before its steps.
    static func base(_ profile: TokenProfile) -> Int {
        switch profile.rawValue {
        case "agentic-jwt": return 50
        case "aip-jwt-chain", "token-exchange": return 12
        case "aip-chained": return 8
        case "zeroid": return 4
        default: return 2
        }
    }

    static let perStep = 4
    static let perAction = 20

    public static func estimate(_ scenario: Scenario) -> Int {
        let actions = scenario.behaviours.values.flatMap(\.plan.actions).reduce(0) { sum, action in
            if case let .call(use) = action.kind { return sum + max(use.times, 1) }
            return sum + 1
        }
        return base(scenario.profile) + perStep * scenario.steps.count + perAction * actions
    }
}
