import BatonModel
import Testing

@testable import BatonTargets

/// How Baton reads an `agent_task` answer: each action an object with one key, every field typed,
/// anything else an implementation error that names the action and the field.
@Suite struct AgentTaskAnswerTests {
    static let accept: TesteeJSON = .object(["verdict": .string("accept")])

    static func read(_ actions: [TesteeJSON]) -> AgentTaskResult {
        TesteeProcess.agentTaskResult(from: ["outcome": accept, "actions": .array(actions)])
    }

    @Test func callsDelegationsAndForwardsAreRead() {
        let result = Self.read([
            .object([
                "call": .object(["tool": .string("research.search"), "arguments": .object(["query": .string("q")]), "token": .string("received")])
            ]),
            .object([
                "delegate": .object([
                    "to": .string("writer"), "scopes": .array([.string("tool:docs.write")]), "budget_cents": .integer(50),
                    "expires_in": .integer(600),
                    "purpose": .string("draft"), "task": .string("Draft: q"), "token": .string("En0K"),
                ])
            ]),
            .object(["forward": .object(["to": .string("writer"), "task": .string("t"), "skill": .string("tool:docs.write")])]),
        ])
        #expect(result.outcome.verdict == .accept)
        #expect(
            result.actions == [
                .call(AgentToolCall(tool: "research.search", arguments: ["query": "q"])),
                .delegate(
                    AgentDelegationAsk(
                        to: "writer", scopes: ["tool:docs.write"], budgetCents: 50, expiresIn: 600, purpose: "draft", task: "Draft: q", token: "En0K")
                ),
                .forward(AgentForwardAsk(to: "writer", task: "t", skill: "tool:docs.write")),
            ])
    }

    @Test func aDelegationWithoutATokenAsksBatonsIssuer() {
        let result = Self.read([
            .object(["delegate": .object(["to": .string("writer"), "scopes": .array([]), "purpose": .string("p"), "task": .string("t")])])
        ])
        guard case let .delegate(d)? = result.actions.first else {
            Issue.record("not read as a delegation: \(result)")
            return
        }
        #expect(d.token == nil && d.budgetCents == nil && d.expiresIn == nil)
    }

    @Test(arguments: [
        (TesteeJSON.object(["delegate": .object(["to": .string("writer"), "purpose": .string("p"), "task": .string("t")])]), "delegate.scopes"),
        (.object(["delegate": .object(["to": .string("w"), "scopes": .array([]), "task": .string("t")])]), "delegate.purpose is required"),
        (
            .object([
                "delegate": .object([
                    "to": .string("w"), "scopes": .array([]), "purpose": .string("p"), "task": .string("t"), "budget_cents": .string("50"),
                ])
            ]),
            "delegate.budget_cents is not an integer"
        ),
        (.object(["forward": .object(["to": .string("w"), "task": .string("t"), "token": .string("x")])]), "forward sends the received token"),
        (.object(["call": .object(["tool": .string("docs.write"), "token": .string("t0")])]), "call.token"),
        (.object(["call": .object(["tool": .integer(3)])]), "call.tool is not a string"),
        (.object(["spend": .object([:])]), "spend is not an action"),
        (.object(["call": .object(["tool": .string("a")]), "forward": .object([:])]), "one key"),
        (.string("call"), "one key"),
    ])
    func malformedActionsAreImplementationErrorsNamingTheField(action: TesteeJSON, says: String) {
        let result = Self.read([.object(["call": .object(["tool": .string("docs.write")])]), action])
        #expect(result.outcome.verdict == .error)
        #expect(result.actions.isEmpty)
        #expect((result.outcome.message ?? "").contains("action 1: "), "\(result.outcome)")
        #expect((result.outcome.message ?? "").contains(says), "\(result.outcome)")
    }
}
