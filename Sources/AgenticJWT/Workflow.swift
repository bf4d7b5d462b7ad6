import JOSE

/// A registered workflow: ordered steps, each performed by one agent with one tool (its action)
/// and at most its scopes, after its dependencies, and possibly only once approved.
public struct Workflow: Hashable, Sendable {
    public var id: String
    public var steps: [Step]

    public struct Step: Hashable, Sendable {
        public var id: String
        /// The agent id that performs it.
        public var agent: String
        /// The tool (endpoint action) it calls.
        public var action: String
        public var scopes: [String]
        /// Steps that must be completed first.
        public var dependencies: [String]
        /// Whether later steps wait for it even when they do not list it.
        public var required: Bool
        /// Whether a person must approve it before a token is minted.
        public var requiresApproval: Bool

        public init(
            id: String, agent: String, action: String, scopes: [String], dependencies: [String] = [], required: Bool = true,
            requiresApproval: Bool = false
        ) {
            self.id = id
            self.agent = agent
            self.action = action
            self.scopes = scopes
            self.dependencies = dependencies
            self.required = required
            self.requiresApproval = requiresApproval
        }
    }

    public init(id: String, steps: [Step]) {
        self.id = id
        self.steps = steps
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    /// What must be completed before `step`: its dependencies and every earlier required step.
    public func prerequisites(of step: Step) -> [String] {
        var out = step.dependencies
        for s in steps {
            if s.id == step.id { break }
            if s.required && !out.contains(s.id) { out.append(s.id) }
        }
        return out
    }

    /// The workflow as JSON (the registration body of the proof-of-concept identity provider).
    public var json: JSONObject {
        [
            "workflow_id": .string(id),
            "steps": .array(
                steps.map { s in
                    .object([
                        "step_id": .string(s.id), "agent": .string(s.agent), "action": .string(s.action),
                        "scopes": .array(s.scopes.map(JSONValue.string)), "dependencies": .array(s.dependencies.map(JSONValue.string)),
                        "required": .bool(s.required), "requires_approval": .bool(s.requiresApproval),
                    ])
                }),
        ]
    }

    /// Reads ``json``.
    public init(json: JSONObject) throws {
        guard let id = try json.string("workflow_id"), case let .array(items)? = json["steps"] else {
            throw AgenticJWTError(.invalidRequest, at: .m1, "a workflow needs workflow_id and steps")
        }
        var steps: [Step] = []
        for item in items {
            guard case let .object(o) = item, let sid = try o.string("step_id"), let agent = try o.string("agent"),
                let action = try o.string("action")
            else { throw AgenticJWTError(.invalidRequest, at: .m1, "a workflow step needs step_id, agent and action") }
            steps.append(
                Step(
                    id: sid, agent: agent, action: action, scopes: try o.stringArray("scopes") ?? [],
                    dependencies: try o.stringArray("dependencies") ?? [], required: try flag(o, "required", default: true),
                    requiresApproval: try flag(o, "requires_approval", default: false)))
        }
        self.init(id: id, steps: steps)
    }
}

/// A boolean member: absent is `default`, anything but `true`/`false` is refused.
private func flag(_ o: JSONObject, _ name: String, default value: Bool) throws(AgenticJWTError) -> Bool {
    guard let v = o[name] else { return value }
    guard case let .bool(b) = v else { throw AgenticJWTError(.invalidRequest, at: .m1, "\(name) must be true or false") }
    return b
}
