import AIP
import BatonAgents
import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation

/// Simulation at scale: many agents on one in-memory bus, each task a fresh
/// 3-hop chain (orchestrator → researcher → writer) sent as an A2A task and
/// verified by the receiver. Reports wall time, tasks per second and peak memory.
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
        let agentsByIndex = names.indices.map { Agent(name: names[$0], identity: ids[$0], key: keys[$0]) }
        for t in 0..<tasks {
            let o = t % agents, r = (t &* 7 &+ 1) % agents, w = (t &* 13 &+ 2) % agents
            let t0 = try issuer.createAuthority(
                .init(
                    issuer: ids[o], issuerKey: keys[o], scopes: ["research:read", "write:draft"],
                    principal: "user:\(t % 97)", budgetCents: 500, now: now, nextKey: keys[r]))
            let t1 = try issuer.delegate(
                t0,
                .init(
                    delegator: ids[o], delegate: ids[r], scopes: ["write:draft"], context: "task \(t)",
                    budgetCents: 200, now: now, nextKey: keys[w]))
            let t2 = try issuer.delegate(
                t1,
                .init(
                    delegator: ids[r], delegate: ids[w], scopes: ["write:draft"], context: "draft \(t)",
                    budgetCents: 100, now: now, nextKey: keys[(w + 1) % agents]))
            let world = ScaleWorld(verifier: verifier, rootKey: keys[o].publicKey, now: now + 5)
            let response = await AgentBus.deliver(
                A2ATaskRequest(id: "\(t)", taskId: "task-\(t)", text: "draft", token: t2.base64(), skill: "write:draft"),
                to: agentsByIndex[w], named: names[w], world: world)
            if response.error == nil { accepted += 1 }
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
    func callTool(_ call: ToolInvocation) async -> ToolAnswer { ToolAnswer(outcome: .failed("the scale run has no tools")) }
    func heldToken(_ name: String) async -> String? { nil }
    func keep(_ token: String, as name: String) async {}
    func record(_ event: AgentEvent) async {}
    func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }
}
