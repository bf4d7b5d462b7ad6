import JOSE

/// A request for an intent token (the `agent_checksum` grant): which agent asks, the checksum it
/// computed over its own definition, the workflow step and tool, the scopes, what it says was done
/// before (`delegation_context`), and the audience.
///
/// On the wire (the proof of concept's `POST /intent/token`) this is a JSON body; as form
/// parameters (the testee protocol's `exchange`) the object and list members are JSON text.
public struct IntentTokenRequest: Hashable, Sendable {
    /// The draft's grant type; the proof of concept sends the bare `agent_checksum`.
    public static let grantTypeURN = "urn:ietf:params:oauth:grant-type:agent_checksum"
    public static let bareGrantType = "agent_checksum"

    public var grantType: String
    public var agentID: String
    public var computedChecksum: String
    public var workflowID: String
    public var step: IntentClaims.StepReference
    public var requestedScopes: [String]
    /// Steps the agent says are completed, in order.
    public var completedSteps: [String]
    /// Agents that acted before, in order.
    public var chain: [String]
    public var audience: String

    public init(
        grantType: String = IntentTokenRequest.grantTypeURN, agentID: String, computedChecksum: String, workflowID: String,
        step: IntentClaims.StepReference, requestedScopes: [String], completedSteps: [String], chain: [String], audience: String
    ) {
        self.grantType = grantType
        self.agentID = agentID
        self.computedChecksum = computedChecksum
        self.workflowID = workflowID
        self.step = step
        self.requestedScopes = requestedScopes
        self.completedSteps = completedSteps
        self.chain = chain
        self.audience = audience
    }

    /// The JSON body.
    public var json: JSONObject {
        [
            "grant_type": .string(grantType), "agent_id": .string(agentID), "computed_checksum": .string(computedChecksum),
            "workflow_enabled": true, "workflow_id": .string(workflowID),
            "workflow_step": .object(["step_id": .string(step.stepID), "agent_id": .string(step.agentID), "tool_name": .string(step.toolName)]),
            "requested_scopes": .array(requestedScopes.map(JSONValue.string)),
            "delegation_context": .object([
                "completed_steps": .array(completedSteps.map(JSONValue.string)), "chain": .array(chain.map(JSONValue.string)),
            ]),
            "audience": .string(audience),
        ]
    }

    /// Form parameters: strings as they are, objects and lists as JSON text.
    public var parameters: [(String, String)] {
        json.map { member in
            if case let .string(s) = member.value { return (member.key, s) }
            return (member.key, member.value.canonicalString)
        }
    }

    /// Reads the JSON body; a missing or mistyped member is refused at M1.
    public init(json o: JSONObject) throws(AgenticJWTError) {
        func bad(_ why: String) -> AgenticJWTError { AgenticJWTError(.invalidRequest, at: .m1, why) }
        func string(_ obj: JSONObject, _ name: String) throws(AgenticJWTError) -> String {
            guard case let .string(s)? = obj[name] else { throw bad("\(name) must be a string") }
            return s
        }
        func strings(_ value: JSONValue?, _ name: String) throws(AgenticJWTError) -> [String] {
            guard case let .array(items)? = value else { throw bad("\(name) must be a list of strings") }
            var out: [String] = []
            for item in items {
                guard case let .string(s) = item else { throw bad("\(name) must be a list of strings") }
                out.append(s)
            }
            return out
        }
        grantType = try string(o, "grant_type")
        agentID = try string(o, "agent_id")
        computedChecksum = try string(o, "computed_checksum")
        workflowID = try string(o, "workflow_id")
        guard case let .object(s)? = o["workflow_step"] else { throw bad("workflow_step must be an object") }
        step = IntentClaims.StepReference(stepID: try string(s, "step_id"), agentID: try string(s, "agent_id"), toolName: try string(s, "tool_name"))
        requestedScopes = try strings(o["requested_scopes"], "requested_scopes")
        guard case let .object(context)? = o["delegation_context"] else {
            throw bad("delegation_context must be an object with completed_steps and chain")
        }
        completedSteps = try strings(context["completed_steps"], "delegation_context.completed_steps")
        chain = try strings(context["chain"], "delegation_context.chain")
        audience = try string(o, "audience")
    }

    /// Reads form parameters (see ``parameters``).
    public init(parameters: [(String, String)]) throws(AgenticJWTError) {
        var o = JSONObject()
        for (name, value) in parameters {
            guard o[name] == nil else { throw AgenticJWTError(.invalidRequest, at: .m1, "\(name) is given twice") }
            if ["workflow_step", "requested_scopes", "delegation_context", "workflow_enabled"].contains(name) {
                guard let parsed = try? JSONValue.parse(value, maxDepth: 8) else {
                    throw AgenticJWTError(.invalidRequest, at: .m1, "\(name) is not JSON")
                }
                o[name] = parsed
            } else {
                o[name] = .string(value)
            }
        }
        try self.init(json: o)
    }
}
