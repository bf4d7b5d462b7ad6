import BatonModel
import Foundation

/// `agent_task` params: the task as the JSON object it is on the wire (not a string), the verify
/// request as the `verify` op's params, the tools with their prices and scopes.
struct AgentTaskParams: Encodable {
    let request: AgentTaskRequest

    private enum Key: String, CodingKey { case profile, agent, identity, task, verify, tools }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(request.profile, forKey: .profile)
        try c.encode(request.agent, forKey: .agent)
        try c.encode(request.identity, forKey: .identity)
        guard let task = TesteeJSON.parse(Array(request.task.utf8)) else {
            throw EncodingError.invalidValue(
                request.task, .init(codingPath: c.codingPath + [Key.task], debugDescription: "the task is not JSON"))
        }
        try c.encode(EncodableJSON(task), forKey: .task)
        try c.encode(VerifyParams(request: request.verify), forKey: .verify)
        try c.encode(request.tools, forKey: .tools)
    }
}

extension TesteeProcess {
    /// Reads an `agent_task` result: `outcome` {verdict accept|reject, code, step, message},
    /// `actions` [{call: {tool, arguments: {string: string}, token: "received"}}], `artifacts` [string].
    /// Anything else is an implementation error (no calls are made).
    static func agentTaskResult(from result: [String: TesteeJSON]) -> AgentTaskResult {
        func malformed(_ why: String) -> AgentTaskResult {
            .failed(.failed("the testee's agent_task answer is malformed: \(why): \(prefix(of: result))"))
        }
        guard let outcome = result["outcome"]?.objectValue, let verdict = outcome["verdict"]?.stringValue else {
            return malformed("it needs an 'outcome' object with a string 'verdict'")
        }
        let verdictOutcome: Outcome
        switch verdict {
        case "accept": verdictOutcome = .accepted
        case "reject":
            guard let code = outcome["code"]?.stringValue else { return malformed("a rejection needs a string 'code'") }
            verdictOutcome = .rejected(code, step: outcome["step"]?.stringValue, message: outcome["message"]?.stringValue)
        default: return malformed("'verdict' is accept or reject, not \(verdict)")
        }
        var calls: [AgentToolCall] = []
        let actions: [TesteeJSON]
        switch result["actions"] {
        case nil, .null?: actions = []
        case let .array(a)?: actions = a
        default: return malformed("'actions' is an array")
        }
        for (i, action) in actions.enumerated() {
            guard let call = action["call"]?.objectValue, let tool = call["tool"]?.stringValue, action.objectValue?.count == 1 else {
                return malformed("action \(i) is not {\"call\": {\"tool\": …}} (the only action an external agent asks for)")
            }
            if let token = call["token"], token.stringValue != "received" {
                return malformed("action \(i): 'token' is \"received\" (the token the agent received), the only one it holds")
            }
            var arguments: [String: String] = [:]
            for (name, value) in call["arguments"]?.objectValue ?? [:] {
                guard let text = value.stringValue else { return malformed("action \(i): argument \(name) is not a string") }
                arguments[name] = text
            }
            if let given = call["arguments"], given.objectValue == nil, given != .null {
                return malformed("action \(i): 'arguments' is an object")
            }
            calls.append(AgentToolCall(tool: tool, arguments: arguments))
        }
        var artifacts: [String] = []
        if let given = result["artifacts"], given != .null {
            guard let strings = given.stringArray else { return malformed("'artifacts' is an array of strings") }
            artifacts = strings
        }
        return AgentTaskResult(outcome: verdictOutcome, calls: calls, artifacts: artifacts)
    }
}
