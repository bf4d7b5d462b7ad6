import AIP
import BatonAgents
import BatonCrypto
import BatonHarness
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTools
import Foundation
import Synchronization

/// Simulation at scale: many agents on one in-memory bus, each task a fresh
/// 3-hop chain (orchestrator → researcher → writer) sent as an A2A task; the receiving writer, a
/// real `Agent` with a plan, verifies it and calls `docs.write` on the tool server, which verifies
/// the token again for the tool and charges the price along the chain in its ledger. Reports wall
/// time, tasks per second and peak memory.
struct ScaleBench {
    var agents: Int
    var tasks: Int

    struct Result {
        var agents: Int
        var tasks: Int
        var seconds: Double
        var accepted: Int
        var peakMemoryMiB: Double
    }

    func run() async throws -> Result {
        let start = ContinuousClock.now
        let now: Int64 = 1_780_272_000
        let names = (0..<agents).map { "agent-\($0)" }
        let keys = names.map { Ed25519.PrivateKey.derived(from: "scale:\($0)") }
        let ids = names.map { "aip:web:scale.example/\($0)" }
        let issuer = ChainedIssuer()
        let verifier = ChainedVerifier()
        var accepted = 0
        let plan = AgentPlan(actions: [AgentAction(kind: .call(ToolUse(tool: "docs.write", arguments: ["title": "draft"])))])
        let agentsByIndex = names.indices.map { Agent(name: names[$0], identity: ids[$0], key: keys[$0], plan: plan) }
        let calls = ScaleCalls()
        let authorizer = ScaleToolAuthorizer(verifier: verifier, now: now + 5, calls: calls)
        let tools = ToolServer(catalog: .standard, authorizer: authorizer)
        for t in 0..<tasks {
            let o = t % agents, r = (t &* 7 &+ 1) % agents, w = (t &* 13 &+ 2) % agents
            let t0 = try issuer.createAuthority(
                .init(
                    issuer: ids[o], issuerKey: keys[o], scopes: ["research:read", "tool:docs.write"],
                    principal: "user:\(t % 97)", budgetCents: 500, now: now, nextKey: keys[r]))
            let t1 = try issuer.delegate(
                t0,
                .init(
                    delegator: ids[o], delegate: ids[r], scopes: ["tool:docs.write"], context: "task \(t)",
                    budgetCents: 200, now: now, nextKey: keys[w]))
            let t2 = try issuer.delegate(
                t1,
                .init(
                    delegator: ids[r], delegate: ids[w], scopes: ["tool:docs.write"], context: "draft \(t)",
                    budgetCents: 100, now: now, nextKey: keys[(w + 1) % agents]))
            let world = ScaleWorld(verifier: verifier, rootKey: keys[o].publicKey, now: now + 5, tools: tools, calls: calls)
            let response = await AgentBus.deliver(
                A2ATaskRequest(id: "\(t)", taskId: "task-\(t)", text: "draft", token: t2.base64(), skill: "tool:docs.write"),
                to: agentsByIndex[w], named: names[w], world: world)
            if response.error == nil && calls.takeAccepted() { accepted += 1 }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(agents: agents, tasks: tasks, seconds: seconds, accepted: accepted, peakMemoryMiB: ScaleBench.peakMemoryMiB())
    }

    /// VmHWM from /proc/self/status (peak resident set), in MiB.
    static func peakMemoryMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let kb = Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "") ?? 0
        return kb / 1024
    }
}

/// The world of the scale run: agents verify with the reference verifier against one root key; they
/// have idle plans, so nothing else is asked of the world.
struct ScaleWorld: AgentWorld {
    var verifier: ChainedVerifier
    var rootKey: Ed25519.PublicKey
    var now: Int64
    var tools: ToolServer
    var calls: ScaleCalls

    func verify(token: String?, receiver: Agent, scope: String?) async -> Outcome {
        let report = verifier.verify(.init(token: token, rootKey: rootKey, audience: receiver.identity, requiredScope: scope, now: now))
        guard let e = report.error else { return .accepted }
        return .rejected(e.code.rawValue, step: e.step?.rawValue, message: e.message)
    }
    func card(named name: String) async -> AgentCard? { nil }
    func publishedKey(of identity: String) async -> Ed25519.PublicKey? { nil }
    func delegate(_ order: DelegationOrder) async -> IssueResult { .refused(.failed("the scale run does not delegate through agents")) }
    func send(_ task: A2ATaskRequest, from sender: String, to: String) async -> A2ATaskResponse {
        .failed(id: task.id, A2AError(rpcCode: -32004, message: "the scale run has no peers"))
    }
    func callTool(_ call: ToolInvocation) async -> ToolAnswer {
        calls.rootKey = rootKey
        // The caller as the tool server knows it: its identity.
        let caller = "aip:web:scale.example/\(call.caller)"
        let result = await tools.call(ToolCallRequest(tool: call.tool, token: call.token, caller: caller, arguments: call.arguments))
        return ToolAnswer(outcome: result.outcome, output: result.output, chargedCents: result.chargedCents, remainingCents: result.remainingCents)
    }
    func heldToken(_ name: String) async -> String? { nil }
    func keep(_ token: String, as name: String) async {}
    func record(_ event: AgentEvent) async { calls.record(event.outcome.verdict == .accept) }
    func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }
}

/// The task in flight (the scale run is sequential): its root key, for the tool server, and whether
/// its tool call was accepted.
final class ScaleCalls: Sendable {
    private let last = Mutex(false)
    private let root = Mutex<Ed25519.PublicKey?>(nil)
    func record(_ accepted: Bool) { last.withLock { $0 = accepted } }
    func takeAccepted() -> Bool {
        last.withLock { value in
            defer { value = false }; return value
        }
    }
    var rootKey: Ed25519.PublicKey? {
        get { root.withLock { $0 } }
        set { root.withLock { $0 = newValue } }
    }
}

/// The scale run's tool server authorizer: the token verified for the tool with the caller as its
/// holder (against the task's root key, carried in the ledger's first hop), budgets read from the chain.
struct ScaleToolAuthorizer: ToolCallAuthorizer {
    var verifier: ChainedVerifier
    var now: Int64
    var calls: ScaleCalls

    func authorize(_ call: ToolCallRequest, tool: ToolSpec) async -> ToolAuthorization {
        guard let text = call.token, let rootKey = calls.rootKey else {
            return .refused(ToolRefusal(code: AIPErrorCode.tokenMalformed.rawValue, message: "no readable token"))
        }
        let report = verifier.verify(.init(token: text, rootKey: rootKey, audience: call.caller, requiredScope: tool.scope, now: now))
        if let e = report.error { return .refused(ToolRefusal(code: e.code.rawValue, step: e.step?.rawValue, message: e.message)) }
        // The same ledger hops as a workflow's tool server, read the same way.
        let hops = AIPChainedDriver().readChain(text).budgetHops
        return .allowed(
            hops: hops, budgetRefusal: ToolRefusal(code: AIPErrorCode.budgetExceeded.rawValue, step: WorkflowStepName.ledger, message: "over budget"))
    }
}
