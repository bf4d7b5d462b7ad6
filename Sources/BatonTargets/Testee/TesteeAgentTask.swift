import BatonModel
import Foundation

/// `agent_task` params: the task as the JSON object it is on the wire (not a string), the verify
/// request as the `verify` op's params, the tools with their prices and scopes, the peers on the bus.
struct AgentTaskParams: Encodable {
    let request: AgentTaskRequest

    private enum Key: String, CodingKey { case profile, agent, identity, task, verify, tools, peers, endpoints }

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
        try c.encode(request.peers, forKey: .peers)
        try c.encodeIfPresent(request.endpoints, forKey: .endpoints)
    }
}

extension TesteeProcess {
    /// Reads an `agent_task` result: `outcome` {verdict accept|reject, code, step, message},
    /// `actions` [{call: …} | {delegate: …} | {forward: …}] (see `agentTaskAction`), `artifacts` [string].
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
        let actions: [TesteeJSON]
        switch result["actions"] {
        case nil, .null?: actions = []
        case let .array(a)?: actions = a
        default: return malformed("'actions' is an array")
        }
        var asked: [AgentTaskAction] = []
        for (i, action) in actions.enumerated() {
            switch agentTaskAction(action) {
            case let .success(a): asked.append(a)
            case let .failure(why): return malformed("action \(i): \(why.reason)")
            }
        }
        var artifacts: [String] = []
        if let given = result["artifacts"], given != .null {
            guard let strings = given.stringArray else { return malformed("'artifacts' is an array of strings") }
            artifacts = strings
        }
        return AgentTaskResult(outcome: verdictOutcome, actions: asked, artifacts: artifacts)
    }

    /// Why an action of an `agent_task` answer cannot be read.
    struct MalformedAction: Error {
        var reason: String
    }

    /// One action of an `agent_task` answer, an object with exactly one key:
    /// `{"call": {tool, arguments: {string: string}, token: "received"}}`,
    /// `{"delegate": {to, scopes: [string], budget_cents, expires_in, purpose, task, skill, token}}` (`token`
    /// absent: Baton's issuer delegates from the received token; a string: the agent's own delegated token),
    /// `{"forward": {to, task, skill}}` (the received token, unchanged).
    static func agentTaskAction(_ action: TesteeJSON) -> Result<AgentTaskAction, MalformedAction> {
        func bad(_ why: String) -> Result<AgentTaskAction, MalformedAction> { .failure(MalformedAction(reason: why)) }
        guard let object = action.objectValue, object.count == 1, let (keyword, value) = object.first, let body = value.objectValue else {
            return bad("not an object with one key, call, delegate or forward, whose value is an object")
        }
        func string(_ key: String, required: Bool = true) -> Result<String?, MalformedAction> {
            switch body[key] {
            case nil, .null?: return required ? .failure(MalformedAction(reason: "\(keyword).\(key) is required")) : .success(nil)
            case let .string(text)?: return .success(text)
            default: return .failure(MalformedAction(reason: "\(keyword).\(key) is not a string"))
            }
        }
        func integer(_ key: String) -> Result<Int64?, MalformedAction> {
            switch body[key] {
            case nil, .null?: return .success(nil)
            case let value?:
                guard let number = value.integerValue else { return .failure(MalformedAction(reason: "\(keyword).\(key) is not an integer")) }
                return .success(number)
            }
        }
        do {
            switch keyword {
            case "call":
                let tool = try string("tool").get()!
                if let token = body["token"], token.stringValue != "received" {
                    return bad("call.token is \"received\" (the token the agent received), the only one Baton places calls with")
                }
                var arguments: [String: String] = [:]
                switch body["arguments"] {
                case nil, .null?: break
                case let .object(given)?:
                    for (name, value) in given {
                        guard let text = value.stringValue else { return bad("call.arguments.\(name) is not a string") }
                        arguments[name] = text
                    }
                default: return bad("call.arguments is an object")
                }
                return .success(.call(AgentToolCall(tool: tool, arguments: arguments)))
            case "delegate":
                guard let scopes = body["scopes"]?.stringArray else { return bad("delegate.scopes is an array of strings") }
                return .success(
                    .delegate(
                        AgentDelegationAsk(
                            to: try string("to").get()!, scopes: scopes, budgetCents: try integer("budget_cents").get(),
                            expiresIn: try integer("expires_in").get(), purpose: try string("purpose").get()!, task: try string("task").get()!,
                            skill: try string("skill", required: false).get(), token: try string("token", required: false).get())))
            case "forward":
                if body["token"] != nil { return bad("forward sends the received token; it takes no token") }
                return .success(
                    .forward(
                        AgentForwardAsk(
                            to: try string("to").get()!, task: try string("task").get()!, skill: try string("skill", required: false).get())))
            default:
                return bad("\(keyword) is not an action (call, delegate or forward)")
            }
        } catch {
            return .failure(error)
        }
    }
}
