import BatonAudit
import BatonModel

/// `audit`: asserts on the last audit record (absent fields are not checked).
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

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> AuditStep {
        try f.rejectUnknownKeys(["decision", "code", "principal", "caller", "receiver", "root", "hops"])
        let a = AuditStep(
            decision: try f["decision"].optionalString(), code: try f["code"].optionalString(),
            principal: try f["principal"].optionalString(), caller: try f["caller"].optionalString(),
            receiver: try f["receiver"].optionalString(), root: try f["root"].optionalString(), hops: try f["hops"].optionalInt())
        for (key, value) in [("caller", a.caller), ("receiver", a.receiver), ("root", a.root)] {
            if let v = value { try context.agent(v, f[key]) }
        }
        return a
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        guard let last = run.state.audit.records.last else { throw ForgeFailure("\(run.label): no call has been recorded yet") }
        let problems = check(against: last, identity: run.state.identity)
        guard problems.isEmpty else {
            let failure = "\(run.label): audit record \(last.sequence): \(problems.joined(separator: "; "))"
            run.state.auditFailures.append(failure)
            run.log(failure)
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
        return problems
    }
}
