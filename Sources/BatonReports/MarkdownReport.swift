import Foundation
import BatonModel

/// A Markdown summary sized for a CI job summary: the totals, then only what
/// needs attention (accepted attacks first), then a per-topic table.
public enum MarkdownReport {
    public static func render(_ report: RunReport, maxListed: Int = 50) -> String {
        let s = report.summary
        var out = "# Baton conformance: \(report.implementation)\n\n"
        if report.interrupted { out += "> **Interrupted**: this report holds only the cases that finished.\n\n" }
        out += "**\(s.succeeded ? "PASS" : "FAIL")** — \(s.line)\n\n"
        out += "| passed | failed | skipped | expected failures | unexpected passes | errors | accepted attacks | wrong codes |\n"
        out += "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        out += "| \(s.passed) | \(s.failed) | \(s.skipped) | \(s.expectedFailures) | \(s.unexpectedPasses) | \(s.errors) | \(s.acceptedAttacks) | \(s.wrongCodes) |\n\n"

        let attention = report.results.filter { $0.status == .failed || $0.status == .unexpectedPass || $0.status == .error }
            .sorted { rank($0) < rank($1) || (rank($0) == rank($1) && $0.scenarioId < $1.scenarioId) }
        if !attention.isEmpty {
            out += "## Needs attention\n\n| scenario | result | expected | actual |\n|---|---|---|---|\n"
            for r in attention.prefix(maxListed) {
                out += "| `\(cell(r.scenarioId))` | \(label(r)) | \(cell(r.expectation?.description ?? "—")) | \(cell(actual(r))) |\n"
            }
            if attention.count > maxListed { out += "\n…and \(attention.count - maxListed) more (see the JSON report).\n" }
            out += "\n"
        }

        var topics: [String: (pass: Int, total: Int)] = [:]
        for r in report.results {
            let topic = r.scenarioId.split(separator: "/").first.map(String.init) ?? r.scenarioId
            topics[topic, default: (0, 0)].total += 1
            if r.status.isAcceptable { topics[topic, default: (0, 0)].pass += 1 }
        }
        out += "## By topic\n\n| topic | ok | total |\n|---|---:|---:|\n"
        for (topic, c) in topics.sorted(by: { $0.key < $1.key }) {
            out += "| \(cell(topic)) | \(c.pass) | \(c.total) |\n"
        }
        return out
    }

    static func rank(_ r: CaseResult) -> Int {
        switch r.judgement {
        case .acceptedAttack?: return 0
        case .rejectedLegitimate?: return 1
        case .wrongCode?, .wrongStep?: return 2
        default: return r.status == .error ? 3 : 4
        }
    }

    static func label(_ r: CaseResult) -> String {
        switch r.status {
        case .unexpectedPass: return "unexpected pass (stale known-failure entry)"
        case .error: return "scenario error"
        default:
            switch r.judgement {
            case .acceptedAttack?: return "**accepted an attack**"
            case .rejectedLegitimate?: return "rejected a legitimate token"
            case .wrongCode?: return "rejected for the wrong reason"
            case .wrongStep?: return "refused by another step than the one that must stop it"
            case .implementationError?: return "implementation error"
            default: return "failed"
            }
        }
    }

    static func actual(_ r: CaseResult) -> String {
        guard let o = r.outcome else { return r.message }
        switch o.verdict {
        case .accept: return "accept"
        case .reject: return "reject with \(o.code ?? "no code")"
        case .error: return "error: \(o.message ?? "")"
        }
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
