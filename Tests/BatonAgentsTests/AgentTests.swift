import BatonAgents
import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation
import Testing

@Suite struct AgentCardTests {
    static let key = Ed25519.PrivateKey.derived(from: "agent-tests:writer")
    static let other = Ed25519.PrivateKey.derived(from: "agent-tests:other")

    @Test func aCardSignedByTheAgentVerifiesWithItsKeyAndNotAnother() {
        let agent = Agent(name: "writer", identity: "aip:web:acme.com/writer", key: Self.key)
        #expect(agent.card.aipIdentity.id == "aip:web:acme.com/writer")
        #expect(agent.card.isSigned(by: Self.key.publicKey))
        #expect(!agent.card.isSigned(by: Self.other.publicKey))
    }

    @Test func aCardEditedAfterSigningFails() {
        let agent = Agent(name: "writer", identity: "aip:web:acme.com/writer", key: Self.key)
        var claimed = agent.card
        claimed.aipIdentity.id = "aip:web:acme.com/orchestrator"
        #expect(!claimed.isSigned(by: Self.key.publicKey))
        var moved = agent.card
        moved.url = "/agents/elsewhere"
        #expect(!moved.isSigned(by: Self.key.publicKey))
        var rekeyed = agent.card
        rekeyed.publicKey = Self.other.publicKey.hex
        #expect(!rekeyed.isSigned(by: Self.other.publicKey))
    }

    @Test func rotationReSignsWithTheNewKey() {
        var agent = Agent(name: "writer", identity: "aip:web:acme.com/writer", key: Self.key)
        agent.rotate(to: Self.other)
        #expect(agent.key.publicKey == Self.other.publicKey)
        #expect(agent.card.publicKey == Self.other.publicKey.hex)
        #expect(agent.card.isSigned(by: Self.other.publicKey))
        #expect(!agent.card.isSigned(by: Self.key.publicKey))
        #expect(agent.card.aipIdentity.id == "aip:web:acme.com/writer")
    }
}

@Suite struct AgentBehaviourTests {
    static func agent(_ name: String, plan: AgentPlan = .idle, claiming: String? = nil) -> Agent {
        let identity = "aip:web:acme.com/\(name)"
        return Agent(name: name, identity: identity, key: .derived(from: "agent-tests:\(identity)"), plan: plan, claiming: claiming)
    }

    static let task = A2ATaskRequest(id: "1", taskId: "t1", text: "draft it", token: "parent-token", skill: "write:draft")

    static func delegation(to peer: String) -> AgentAction {
        AgentAction(
            kind: .delegate(
                Delegation(name: "t2", to: peer, scopes: ["write:draft"], purpose: "draft", task: "draft the summary", skill: "write:draft")))
    }

    @Test func anIdleAgentAnswersTheRefusalOnTheWire() async throws {
        let world = FakeWorld(verdict: .rejected("aip_scope_insufficient", step: "V5", message: "write:draft is not granted"))
        let reply = await Self.agent("writer").handle(Self.task.json(), world: world)
        let body = try #require(try JSONSerialization.jsonObject(with: reply) as? [String: Any])
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["code"] as? String == "aip_scope_insufficient")
        #expect((error["data"] as? [String: Any])?["step"] as? String == "V5")
        #expect(body["status"] as? Int == 403)
        let response = try A2ATaskResponse.parse(reply)
        #expect(response.id == "1")
        #expect(response.error?.aipCode == "aip_scope_insufficient")
        #expect(response.error?.status == 403)
        #expect(response.error?.step == "V5")
        #expect(response.error?.message == "write:draft is not granted")
        let log = world.snapshot
        #expect(log.verified.count == 1)
        #expect(log.verified.first?.token == "parent-token")
        #expect(log.verified.first?.receiver == "aip:web:acme.com/writer")
        #expect(log.verified.first?.scope == "write:draft")
    }

    @Test func aRefusedTaskRunsNothingOfThePlan() async {
        let world = FakeWorld(verdict: .rejected("aip_token_expired", step: "V4"))
        let plan = AgentPlan(actions: [AgentAction(kind: .call(ToolUse(tool: "search")))])
        let response = await Self.agent("researcher", plan: plan).handle(Self.task, world: world)
        #expect(response.error?.aipCode == "aip_token_expired")
        #expect(world.snapshot.calls.isEmpty)
        #expect(world.snapshot.events.isEmpty)
    }

    /// The peer's card claims the honest writer's identity but is signed by the rogue's own key.
    static func rogueWorld() -> FakeWorld {
        let rogue = Agent(
            name: "writer", identity: "aip:web:evil.com/writer", key: .derived(from: "agent-tests:rogue"), claiming: "aip:web:acme.com/writer")
        let honest = agent("writer")
        return FakeWorld(cards: ["writer": rogue.card], published: [honest.identity: honest.key.publicKey])
    }

    @Test func aPeerWhoseCardClaimsAnotherIdentityIsRefusedWhenCardsAreChecked() async {
        let world = Self.rogueWorld()
        let plan = AgentPlan(actions: [Self.delegation(to: "writer")], checksCards: true)
        let response = await Self.agent("researcher", plan: plan).handle(Self.task, world: world)
        #expect(response.error == nil)
        let log = world.snapshot
        #expect(log.events.count == 1)
        #expect(log.events.first?.outcome.verdict == .reject)
        #expect(log.events.first?.outcome.code == AgentRefusal.cardUnverified.rawValue)
        #expect(log.orders.isEmpty)
        #expect(log.sent.isEmpty)
    }

    @Test func aPeerWhoseCardClaimsAnotherIdentityIsBelievedWhenCardsAreNotChecked() async {
        let world = Self.rogueWorld()
        let plan = AgentPlan(actions: [Self.delegation(to: "writer")], checksCards: false)
        let response = await Self.agent("researcher", plan: plan).handle(Self.task, world: world)
        #expect(response.text == "writer did it")
        let log = world.snapshot
        #expect(log.orders.count == 1)
        #expect(log.orders.first?.delegateIdentity == "aip:web:acme.com/writer")
        #expect(log.orders.first?.token == "parent-token")
        #expect(log.sent.count == 1)
        #expect(log.sent.first?.to == "writer")
        #expect(log.sent.first?.task.token == "child-token")
        #expect(log.sent.first?.task.skill == "write:draft")
        #expect(log.kept.map(\.name) == ["t2"])
        #expect(log.events.map(\.outcome.verdict) == [.accept])
    }

    @Test func aRepeatedCallProducesOneEventPerCall() async {
        let world = FakeWorld()
        let plan = AgentPlan(actions: [AgentAction(kind: .call(ToolUse(tool: "research.search", times: 3)))])
        let response = await Self.agent("researcher", plan: plan).handle(Self.task, world: world)
        let log = world.snapshot
        #expect(log.calls.count == 3)
        #expect(log.calls.allSatisfy { $0.token == "parent-token" && $0.caller == "researcher" && $0.placedBy == "researcher" })
        #expect(log.events.count == 3)
        #expect(log.events.map(\.repetition) == [0, 1, 2])
        #expect(log.events.allSatisfy { $0.action == 0 && $0.agent == "researcher" })
        #expect(response.text == "research.search: result 1\nresearch.search: result 2\nresearch.search: result 3")
    }

    @Test func aDelegationRefusedByTheIssuerIsRecordedAndNothingIsSent() async {
        let honest = Self.agent("writer")
        let refusal = Outcome.rejected("aip_scope_escalation", step: "D2", message: "write:publish is not held")
        let world = FakeWorld(cards: ["writer": honest.card], published: [honest.identity: honest.key.publicKey], issued: .refused(refusal))
        let plan = AgentPlan(actions: [Self.delegation(to: "writer")])
        let response = await Self.agent("researcher", plan: plan).handle(Self.task, world: world)
        #expect(response.text == "researcher accepted the task")
        let log = world.snapshot
        #expect(log.orders.count == 1)
        #expect(log.events.map(\.outcome) == [refusal])
        #expect(log.sent.isEmpty)
        #expect(log.kept.isEmpty)
    }

    @Test func anAgentThatDoesNotVerifyTakesAnyToken() async {
        let world = FakeWorld(verdict: .rejected("aip_signature_invalid", step: "V1"))
        let plan = AgentPlan(verifiesTokens: false)
        let response = await Self.agent("writer", plan: plan).handle(Self.task, world: world)
        #expect(response.error == nil)
        #expect(response.text == "writer accepted the task")
        #expect(world.snapshot.verified.isEmpty)
        let verifying = await Self.agent("writer").handle(Self.task, world: world)
        #expect(verifying.error?.aipCode == "aip_signature_invalid")
    }

    @Test func theBusAnswersForAnUnknownAgent() async {
        let world = FakeWorld()
        let response = await AgentBus.deliver(Self.task, to: nil, named: "ghost", world: world)
        #expect(response.error?.rpcCode == -32004)
        #expect(response.error?.aipCode == nil)
        #expect(response.error?.message.contains("ghost") == true)
        #expect(response.outcome.verdict == .error)
        #expect(world.snapshot.verified.isEmpty)
        var bus = AgentBus()
        bus.register(Self.agent("writer"))
        let known = await AgentBus.deliver(Self.task, to: bus.agent("writer"), named: "writer", world: world)
        #expect(known.text == "writer accepted the task")
    }
}
