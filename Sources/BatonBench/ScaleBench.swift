import AIP
import BatonCrypto
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
        var bus = AgentBus()
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
            let rootKey = keys[o].publicKey
            let receiver = SimulatedAgent(name: names[w], domain: "scale.example") { task, agent in
                let report = verifier.verify(
                    .init(
                        token: task.token, rootKey: rootKey, audience: agent.identity,
                        requiredScope: "write:draft", now: now + 5))
                if let e = report.error { return .failure(A2AError(aipCode: e.code.rawValue, status: e.code.httpStatus, message: e.message)) }
                return .success("ok")
            }
            bus.register(receiver)
            let response = await bus.send(
                A2ATaskRequest(id: "\(t)", taskId: "task-\(t)", text: "draft", token: t2.base64()),
                from: names[r], to: names[w], at: now)
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
