import BatonModel
import Foundation

/// A Markdown summary sized for a CI job summary: the verdict and what it rests on, the
/// findings (accepted attacks first, known ones included), what was not covered and why, then a
/// per-topic table in which skips never count as passes.
public enum MarkdownReport {
    public static func render(_ report: RunReport, maxListed: Int = 50) -> String {
        let findings = Findings(report)
        let s = report.summary
        var out = "# Baton conformance: \(report.implementation)\n\n"
        if report.interrupted { out += "> **Interrupted**: this report holds only the cases that finished.\n\n" }
        out += "**\(findings.verdict)** — \(findings.headline)\n\n"
        out += "| passed | failed | known failures | unexpected passes | errors | skipped | accepted attacks | unsupported mandatory checks "
        out += "| wrong codes | wrong steps |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        out += "| \(s.passed) | \(s.failed) | \(s.expectedFailures) | \(s.unexpectedPasses) | \(s.errors) | \(s.skipped) | \(s.acceptedAttacks) "
        out += "| \(s.unsupportedMandatoryChecks) | \(s.wrongCodes) | \(s.wrongSteps) |\n\n"

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

    static func actual(_ r: CaseResult) -> String {
        guard let o = r.outcome else { return r.message }
        return o.summary
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
