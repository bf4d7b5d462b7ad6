import BatonAudit
import BatonModel

/// `audit`: asserts on the last audit record, or with `tool:` the last record of a call to that tool
/// (and `by:` placed by that caller), answering "who authorized this?": the person at the root,
/// the root agent and every hop between (`chain:`, the delegates in order). Absent fields are not checked.
public struct AuditStep: ScenarioStepKind, Hashable {
    public static let keyword = "audit"

    public var decision: String?
    public var code: String?
    public var principal: String?
    public var caller: String?
    public var receiver: String?
    /// The agent at the root of the recorded chain.
    public var root: String?
    public var hops: Int?
    /// Selects the last record of a call to this tool (its scope), instead of the last record.
    public var tool: String?
    /// Selects the last record of a task sent to this agent, instead of the last record.
    public var taskTo: String?
    /// With `tool` or `task_to`: only calls by this caller.
    public var by: String?
    /// The delegates of the recorded chain, in order.
    public var chain: [String]?
    /// The purpose (context) of the chain's last hop.
    public var purpose: String?

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> AuditStep {
        try f.rejectUnknownKeys(["decision", "code", "principal", "caller", "receiver", "root", "hops", "tool", "task_to", "by", "chain", "purpose"])
        let a = AuditStep(
            decision: try f["decision"].optionalString(), code: try f["code"].optionalString(),
            principal: try f["principal"].optionalString(), caller: try f["caller"].optionalString(),
            receiver: try f["receiver"].optionalString(), root: try f["root"].optionalString(), hops: try f["hops"].optionalInt(),
            tool: try f["tool"].optionalString(), taskTo: try f["task_to"].optionalString(), by: try f["by"].optionalString(),
            chain: f["chain"].exists ? try f["chain"].strings() : nil,
            purpose: try f["purpose"].optionalString())
        for (key, value) in [("caller", a.caller), ("receiver", a.receiver), ("root", a.root), ("by", a.by), ("task_to", a.taskTo)] {
            if let v = value { try context.agent(v, f[key]) }
        }
        for (i, name) in (a.chain ?? []).enumerated() { try context.agent(name, try f["chain"].items()[i]) }
        if a.by != nil && a.tool == nil && a.taskTo == nil {
            throw f["by"].error("by selects among calls of a tool or tasks to an agent: give tool or task_to")
        }
        if a.tool != nil && a.taskTo != nil { throw f.error("select by tool or by task_to, not both") }
        return a
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let records = run.state.audit.records
        let caller = by.map(run.state.identity)
        let selected: AuditRecord?
        let wanted: String
        if let tool {
            let scope = run.scenario.tools.tool(named: tool)?.scope ?? tool
            selected = records.last { $0.isToolCall && $0.scope == scope && (caller == nil || $0.caller == caller) }
            wanted = "no call of \(tool)\(by.map { " by \($0)" } ?? "")"
        } else if let taskTo {
            let receiver = run.state.identity(taskTo)
            selected = records.last { $0.receiver == receiver && (caller == nil || $0.caller == caller) }
            wanted = "no task to \(taskTo)\(by.map { " from \($0)" } ?? "")"
        } else {
            guard let last = records.last else { throw ForgeFailure("\(run.label): no call has been recorded yet") }
            selected = last
            wanted = ""
        }
        guard let last = selected else {
            run.assertionFailed("\(run.label): \(wanted) has been recorded")
            return nil
        }
        let problems = check(against: last, identity: run.state.identity)
        guard problems.isEmpty else {
            run.assertionFailed("\(run.label): audit record \(last.sequence): \(problems.joined(separator: "; "))")
            return nil
        }
        run.log(
            "\(run.label): audit record \(last.sequence) says \(last.decision) \(last.code ?? "") for \(last.scope), on behalf of \(last.principal ?? "nobody"): as expected"
        )
        return nil
    }

    /// What differs between this assertion and a record.
    func check(against r: AuditRecord, identity: (String) -> String) -> [String] {
        var problems: [String] = []
        func compare(_ name: String, _ expected: String?, _ actual: String?) {
            if let expected, expected != actual { problems.append("\(name) is \(actual ?? "absent"), expected \(expected)") }
        }
        compare("decision", decision, r.decision)
        compare("code", code, r.code)
        compare("principal", principal, r.principal)
        compare("caller", caller.map(identity), r.caller)
        compare("receiver", receiver.map(identity), r.receiver)
        compare("root", root.map(identity), r.issuer)
        if let hops, hops != r.chain.count { problems.append("the chain has \(r.chain.count) hop(s), expected \(hops)") }
        if let purpose, purpose != r.chain.last?.context {
            problems.append("the last hop's purpose is \(r.chain.last?.context.map { "\"\($0)\"" } ?? "absent"), expected \"\(purpose)\"")
        }
        if let chain, chain.map(identity) != r.chain.map(\.delegate) {
            problems.append("the chain runs through \(r.chain.map(\.delegate)), expected \(chain.map(identity))")
        }
        return problems
    }
}
