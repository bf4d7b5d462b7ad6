import BatonAgents
import BatonCrypto
import BatonModel
import BatonRuntime
import Synchronization

/// A world for one test: it answers from fixed values and writes down everything asked of it.
final class FakeWorld: AgentWorld {
    struct Log: Sendable {
        var verified: [(token: String?, receiver: String, scope: String?)] = []
        var orders: [DelegationOrder] = []
        var sent: [(task: A2ATaskRequest, from: String, to: String)] = []
        var calls: [ToolInvocation] = []
        var kept: [(name: String, token: String)] = []
        var events: [AgentEvent] = []
    }

    let verdict: Outcome
    let cards: [String: AgentCard]
    let published: [String: Ed25519.PublicKey]
    let issued: IssueResult
    let log = Mutex(Log())

    init(
        verdict: Outcome = .accepted, cards: [String: AgentCard] = [:], published: [String: Ed25519.PublicKey] = [:],
        issued: IssueResult = .token("child-token")
    ) {
        self.verdict = verdict
        self.cards = cards
        self.published = published
        self.issued = issued
    }

    var snapshot: Log { log.withLock { $0 } }

    func verify(token: String?, receiver: Agent, scope: String?) async -> Outcome {
        log.withLock { $0.verified.append((token, receiver.identity, scope)) }
        return verdict
    }

    func card(named name: String) async -> AgentCard? { cards[name] }

    func publishedKey(of identity: String) async -> Ed25519.PublicKey? { published[identity] }

    func delegate(_ order: DelegationOrder) async -> IssueResult {
        log.withLock { $0.orders.append(order) }
        return issued
    }

    func send(_ task: A2ATaskRequest, from sender: String, to: String) async -> A2ATaskResponse {
        log.withLock { $0.sent.append((task, sender, to)) }
        return .completed(id: task.id, text: "\(to) did it")
    }

    func callTool(_ call: ToolInvocation) async -> ToolAnswer {
        let count = log.withLock {
            $0.calls.append(call)
            return $0.calls.count
        }
        return ToolAnswer(outcome: .accepted, output: "result \(count)")
    }

    func heldToken(_ name: String) async -> String? { nil }

    func keep(_ token: String, as name: String) async { log.withLock { $0.kept.append((name, token)) } }

    func httpStatus(forRefusal code: String) -> Int { code == "aip_scope_insufficient" ? 403 : 401 }

    func record(_ event: AgentEvent) async { log.withLock { $0.events.append(event) } }
}
