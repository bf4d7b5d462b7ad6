import BatonHarness
import BatonModel
import Foundation

/// A Markdown summary sized for a CI job summary: the verdict and what it rests on, the
/// findings (accepted attacks first, known ones included), what was not covered and why, then a
/// per-topic table in which skips never count as passes.
public enum MarkdownReport {
    /// The report; `catalogue` (Baton's, by default) gives the section on specification coverage.
    public static func render(
        _ report: RunReport, maxListed: Int = 50, catalogue: SpecCatalogue? = try? SpecCatalogue.standard.get()
    ) -> String {
        let findings = Findings(report)
        let s = report.summary
        var out = "# Baton conformance: \(report.implementation)\n\n"
        if report.interrupted { out += "> **Interrupted**: this report holds only the cases that finished.\n\n" }
        out += "**\(findings.verdict)** — \(findings.headline)\n\n"
        out += "| passed | failed | known failures | unexpected passes | errors | skipped | accepted attacks | unsupported mandatory checks "
        out += "| wrong codes | wrong steps |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        out += "| \(s.passed) | \(s.failed) | \(s.expectedFailures) | \(s.unexpectedPasses) | \(s.errors) | \(s.skipped) | \(s.acceptedAttacks) "
        out += "| \(s.unsupportedMandatoryChecks) | \(s.wrongCodes) | \(s.wrongSteps) |\n\n"
        if let manifest = report.manifest { out += "Run: \(cell(manifest.summary))\n\n" }

        if !findings.items.isEmpty {
            out += "## Findings\n\n| scenario | finding | known | expected | actual |\n|---|---|---|---|---|\n"
            for item in findings.items.prefix(maxListed) {
                let r = item.result
                let label = item.kind == .acceptedAttack ? "**\(item.kind.label)**" : item.kind.label
                out +=
                    "| `\(cell(r.scenarioId))` | \(label) | \(item.known ? "known" : "**new**") | \(cell(r.expectation?.description ?? "—")) | \(cell(actual(r))) |\n"
            }
            if findings.items.count > maxListed { out += "\n…and \(findings.items.count - maxListed) more (see the JSON report).\n" }
            out += "\n"
        }

        out += TaxonomyGroups(findings).markdown()

        if let soon = report.expiringKnownFailures, !soon.isEmpty {
            out += "## Known failures expiring within 30 days\n\n"
            for line in soon { out += "- \(cell(line))\n" }
            out += "\n"
        }

        if !findings.notCovered.isEmpty {
            out += "## Not covered\n\n| scenarios | reason | examples |\n|---:|---|---|\n"
            for group in findings.notCovered {
                let examples = group.scenarios.prefix(3).map { "`\(cell($0))`" }.joined(separator: ", ") + (group.scenarios.count > 3 ? ", …" : "")
                out += "| \(group.scenarios.count) | \(cell(group.reason)) | \(examples) |\n"
            }
            out += "\n"
        }

        out += workflowRefusals(report, maxListed: maxListed)
        out += CoverageReport.runSection(report, catalogue: catalogue)

        struct Counts { var passed = 0, failed = 0, known = 0, unsupported = 0, skipped = 0, total = 0 }
        var topics: [String: Counts] = [:]
        for r in report.results {
            let topic = r.scenarioId.split(separator: "/").first.map(String.init) ?? r.scenarioId
            topics[topic, default: Counts()].total += 1
            if r.judgement == .unsupportedMandatoryCheck && (r.status == .failed || r.status == .expectedFailure) {
                topics[topic, default: Counts()].unsupported += 1
                continue
            }
            switch r.status {
            case .passed: topics[topic, default: Counts()].passed += 1
            case .failed, .unexpectedPass, .error: topics[topic, default: Counts()].failed += 1
            case .expectedFailure: topics[topic, default: Counts()].known += 1
            case .skipped: topics[topic, default: Counts()].skipped += 1
            }
        }
        out += "## By topic\n\n| topic | passed | failed | known failures | unsupported mandatory checks | skipped | total |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|\n"
        for (topic, c) in topics.sorted(by: { $0.key < $1.key }) {
            out += "| \(cell(topic)) | \(c.passed) | \(c.failed) | \(c.known) | \(c.unsupported) | \(c.skipped) | \(c.total) |\n"
        }
        return out
    }

    /// The calls, delegations and forwards the workflows' agents had refused (identical ones in a
    /// row on one line), with whether the scenario expected that refusal, and those it expected
    /// refused that were not; empty when there are none.
    static func workflowRefusals(_ report: RunReport, maxListed: Int) -> String {
        var rows: [String] = []
        for r in report.results {
            guard let entries = r.workflow, !entries.isEmpty else { continue }
            for step in WorkflowSteps(entries).steps {
                for run in step.runs where run.refused || run.entries[0].expectation.verdict == .reject {
                    let e = run.entries[0]
                    let action = e.kind == "call" ? "tool call" : e.kind == "delegate" ? "delegation" : e.kind
                    let times = run.entries.count > 1 ? " ×\(run.entries.count)" : ""
                    let expected: String
                    switch e.judgement {
                    case .met: expected = "yes"
                    case .metWithOtherCode: expected = "yes (other code)"
                    default: expected = "**no**: expected \(e.expectation.description) (\(e.judgement.rawValue))"
                    }
                    let code = run.refused ? "`\(cell(e.outcome.code ?? "no code"))`" : "not refused: \(cell(e.outcome.summary))"
                    rows.append(
                        "| `\(cell(r.scenarioId))` | \(e.line) | \(cell(e.agent)) → \(cell(e.target)) | \(action)\(times) | \(code) "
                            + "| \(cell(e.outcome.step ?? "—")) | \(cell(expected)) |\n")
                }
            }
        }
        guard !rows.isEmpty else { return "" }
        var out = "## Workflow refusals\n\n| scenario | line | agent → target | action | code | step | expected |\n|---|---:|---|---|---|---|---|\n"
        out += rows.prefix(maxListed).joined()
        if rows.count > maxListed { out += "\n…and \(rows.count - maxListed) more (see the JSON report).\n" }
        return out + "\n"
    }

    static func actual(_ r: CaseResult) -> String {
        guard let o = r.outcome else { return r.message }
        return o.summary
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
