import AgenticJWT
import BatonHarness
import BatonModel

/// How a scenario's endpoints land on the resource server under test. Baton's reference serves
/// every action the scenario names at `https://rs.<domain>/tools/<action>`; a real server has its
/// own endpoints (``ResourceEndpoint``): the scenario's actions are mapped onto them in order of
/// first appearance (workflow steps, then calls), and each action's and required scope's name is
/// renamed to the server's, so that the identity provider mints what the server really checks.
struct EndpointMap: Hashable, Sendable {
    /// Scenario action → the endpoint serving it.
    var endpoints: [String: ResourceEndpoint] = [:]
    /// Scenario scope → the server's name for it.
    var scopes: [String: String] = [:]

    init() {}

    /// The map for `scenario` on a server with `served` endpoints (nil: Baton's own naming).
    /// Throws when the scenario needs more endpoints than the server has.
    init(scenario: Scenario, settings: IntentProviderSettings, served: [ResourceEndpoint]?, domain: String) throws {
        var actions: [String] = []
        for w in settings.workflows { for s in w.steps where !actions.contains(s.action) { actions.append(s.action) } }
        let calls = scenario.steps(of: CallStep.self)
        for c in calls where !actions.contains(c.endpoint) { actions.append(c.endpoint) }
        guard let served else {
            for a in actions { endpoints[a] = ResourceEndpoint(url: "https://rs.\(domain)/tools/\(a)", method: "POST", action: a, scope: nil) }
            return
        }
        guard actions.count <= served.count else {
            throw RunSkip(reason: "the scenario calls \(actions.count) different actions; the resource server has \(served.count) endpoints")
        }
        for (a, e) in zip(actions, served) { endpoints[a] = e }
        for c in calls {
            if let s = c.scope, let endpoint = endpoints[c.endpoint], let theirs = endpoint.scope, scopes[s] == nil { scopes[s] = theirs }
        }
    }

    /// The server's name of a scenario action.
    func action(_ a: String) -> String { endpoints[a]?.action ?? a }
    /// The server's name of a scenario scope.
    func scope(_ s: String) -> String { scopes[s] ?? s }

    /// A scenario's workflow in the server's vocabulary.
    func workflow(_ w: Workflow) -> Workflow {
        var out = w
        out.steps = w.steps.map { s in
            var m = s
            m.action = action(s.action)
            m.scopes = s.scopes.map(scope)
            return m
        }
        return out
    }
}
