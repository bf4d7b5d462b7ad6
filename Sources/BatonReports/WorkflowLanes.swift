import BatonModel

/// A workflow's actions as the reports show them: consecutive identical actions (same kind,
/// agent, target and scenario line, such as the thirty calls of a budget drain) collapsed into one
/// step, each step split into runs of identical outcomes.
struct WorkflowSteps {
    /// Consecutive entries with one outcome: `×25 ✓`, `×5 ✗ aip_budget_exceeded at LEDGER`.
    struct Run {
        var entries: [WorkflowEntry]
        var outcome: Outcome { entries[0].outcome }
        var refused: Bool { outcome.verdict == .reject }

        /// `✓`, `✗ CODE at STEP` or `⚠ error`, with `×N ` before it when the run holds several.
        var label: String {
            let count = entries.count > 1 ? "×\(entries.count) " : ""
            switch outcome.verdict {
            case .accept: return count + "✓"
            case .reject: return count + "✗ " + WorkflowSteps.refusal(outcome)
            case .error: return count + "⚠ error"
            }
        }
    }

    /// One mark on the time line.
    struct Step {
        /// Position of the first entry in the workflow, from 1.
        var first: Int
        var entries: [WorkflowEntry]
        var runs: [Run]
        var kind: String { entries[0].kind }
        var agent: String { entries[0].agent }
        var target: String { entries[0].target }
        var line: Int { entries[0].line }
        var isCall: Bool { kind == "call" }
        var last: Int { first + entries.count - 1 }
        var anyRefused: Bool { runs.contains(where: \.refused) }
        var allRefused: Bool { runs.allSatisfy(\.refused) }
        var failures: [WorkflowEntry] { entries.filter { !$0.judgement.passes } }

        /// What was done: the tool called, or `delegates` / `forwards`.
        var name: String {
            switch kind {
            case "call": return target
            case "delegate": return "delegates"
            case "forward": return "forwards"
            default: return kind
            }
        }

        /// The budget after the last accepted call of the step: `−20¢, 130¢ left`; nil when no
        /// accepted call was charged.
        var budget: String? {
            let charged = entries.filter { $0.kind == "call" && $0.outcome.verdict == .accept && $0.chargedCents != nil }
            guard let last = charged.last, let price = last.chargedCents else { return nil }
            let prices = charged.compactMap(\.chargedCents)
            let cost: String
            if prices.count == 1 {
                cost = "−\(price)¢"
            } else if prices.allSatisfy({ $0 == price }) {
                cost = "−\(price)¢ each"
            } else {
                cost = "−\(prices.reduce(0, +))¢ in all"
            }
            return cost + ", " + (last.remainingCents.map { "\($0)¢ left" } ?? "no ceiling")
        }

        /// The text next to the mark, one string per line: what was done with its first run, the
        /// other runs, the budget left, and the failures.
        var labelLines: [String] {
            var lines = ["\(name) \(runs[0].label)"]
            lines += runs.dropFirst().map(\.label)
            if let budget { lines.append(budget) }
            if let failure = failures.first {
                let count = failures.count > 1 ? " ×\(failures.count)" : ""
                lines.append("FAIL\(count): \(failure.judgement.rawValue)")
                lines.append("expected \(failure.expectation.description)")
            }
            return lines
        }

        /// `files.read ×25 ✓, ×5 ✗ aip_budget_exceeded at LEDGER` on one line.
        var summary: String { "\(name) " + runs.map(\.label).joined(separator: ", ") }
    }

    var steps: [Step]
    /// The lanes, top to bottom: agents in order of first appearance. The tool server's lane is
    /// drawn below them and is not in this list.
    var agents: [String]

    init(_ entries: [WorkflowEntry]) {
        var steps: [Step] = []
        for (i, entry) in entries.enumerated() {
            if var step = steps.last, step.kind == entry.kind, step.agent == entry.agent, step.target == entry.target,
                step.line == entry.line
            {
                step.entries.append(entry)
                if var run = step.runs.last, Self.sameOutcome(run.entries[0], entry) {
                    run.entries.append(entry)
                    step.runs[step.runs.count - 1] = run
                } else {
                    step.runs.append(Run(entries: [entry]))
                }
                steps[steps.count - 1] = step
            } else {
                steps.append(Step(first: i + 1, entries: [entry], runs: [Run(entries: [entry])]))
            }
        }
        self.steps = steps
        var agents: [String] = []
        for entry in entries {
            if !agents.contains(entry.agent) { agents.append(entry.agent) }
            if entry.kind != "call", !agents.contains(entry.target) { agents.append(entry.target) }
        }
        self.agents = agents
    }

    static func sameOutcome(_ a: WorkflowEntry, _ b: WorkflowEntry) -> Bool {
        a.outcome.verdict == b.outcome.verdict && a.outcome.code == b.outcome.code && a.outcome.step == b.outcome.step
            && a.judgement == b.judgement
    }

    /// `CODE at STEP` of a refusal.
    static func refusal(_ o: Outcome) -> String { (o.code ?? "no code") + (o.step.map { " at \($0)" } ?? "") }
}
