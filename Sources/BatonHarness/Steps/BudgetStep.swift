import BatonModel
import BatonTools

/// `budget`: what the tool server's ledger says is left along a token's chain (the lowest
/// ceiling minus what its hops spent), and optionally what was spent under it.
public struct BudgetStep: ScenarioStepKind, Hashable {
    public static let keyword = "budget"

    public var token: String
    public var leftCents: Int64?
    public var spentCents: Int64?

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> BudgetStep {
        try f.rejectUnknownKeys(["token", "left_cents", "spent_cents"])
        let s = BudgetStep(
            token: try f["token"].string(), leftCents: try f["left_cents"].optionalInt().map(Int64.init),
            spentCents: try f["spent_cents"].optionalInt().map(Int64.init))
        try context.token(s.token, f["token"])
        guard s.leftCents != nil || s.spentCents != nil else { throw f.error("give left_cents, spent_cents or both") }
        return s
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        guard let text = run.state.tokens[token] else {
            // An agent never made it (an implementation refused or broke earlier): an assertion that fails.
            run.assertionFailed("\(run.label): budget of \(token): the token was never made")
            return nil
        }
        let hops = run.driver.readChain(text).budgetHops
        let ledger = run.state.tools?.server.ledger ?? BudgetLedger()
        let left = ledger.remaining(along: hops)
        let spent = hops.last.map { ledger.spent($0.key) } ?? 0
        var problems: [String] = []
        if let leftCents, left != leftCents { problems.append("\(left.map { "\($0) cents" } ?? "no ceiling") left, expected \(leftCents)") }
        if let spentCents, spent != spentCents { problems.append("\(spent) cents spent under it, expected \(spentCents)") }
        if problems.isEmpty {
            run.log("\(run.label): \(token) has \(left.map { "\($0) cents" } ?? "no ceiling") left, \(spent) spent: as expected")
        } else {
            run.assertionFailed("\(run.label): budget of \(token): \(problems.joined(separator: "; "))")
        }
        return nil
    }
}
