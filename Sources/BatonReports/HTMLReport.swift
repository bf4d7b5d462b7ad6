import BatonAudit
import BatonModel
import Foundation

/// One self-contained HTML file (no scripts, fonts or images from the network):
/// the summary, every scenario with expected vs actual, its steps, each recorded
/// call drawn as a chain (agents, scopes per hop, the decision and the step that
/// refused), the lanes of a workflow's agents, and the audit records.
public enum HTMLReport {
    public static func render(_ report: RunReport) -> String {
        let s = report.summary
        let findings = Findings(report)
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Baton — \(esc(report.implementation))</title>
            <style>
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1f24;background:#fafbfc}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
            .verdict{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
            .PASS{background:#1a7f37}.FAIL{background:#cf222e}.VULNERABLE{background:#a40e26}.NONCONFORMANT{background:#9a6700}.UNTESTED{background:#57606a}
            table{border-collapse:collapse;margin:8px 0} td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left}
            th{background:#f0f3f6} .num{text-align:right}
            details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:6px 10px}
            summary{cursor:pointer} .tag{font-size:11px;background:#eef1f4;border-radius:8px;padding:1px 6px;margin-left:4px;color:#57606a}
            .st{font-weight:700;font-family:ui-monospace,monospace;margin-right:6px}
            .passed{color:#1a7f37}.failed{color:#cf222e}.skipped{color:#9a6700}.expected_failure{color:#8250df}.unexpected_pass{color:#cf222e}.error{color:#cf222e}
            .vuln{background:#ffebe9}
            pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px;border-radius:4px}
            .chain{display:flex;align-items:center;flex-wrap:wrap;margin:8px 0;gap:0}
            .agent{border:2px solid #57606a;border-radius:8px;padding:4px 10px;background:#fff;font-weight:600}
            .agent.ok{border-color:#1a7f37;background:#dafbe1}.agent.no{border-color:#cf222e;background:#ffebe9}
            .arrow{display:flex;flex-direction:column;align-items:center;margin:0 6px;font-size:11px;color:#57606a;min-width:90px}
            .arrow .line{width:100%;border-top:2px solid #8c959f;position:relative;margin:3px 0}
            .arrow .line:after{content:"";position:absolute;right:-2px;top:-6px;border-left:8px solid #8c959f;border-top:5px solid transparent;border-bottom:5px solid transparent}
            .who{font-size:12px;color:#57606a}
            .arrow.forged{color:#cf222e} .arrow.forged .line{border-top:2px dashed #cf222e} .arrow.forged .line:after{border-left-color:#cf222e}
            .forgery{font-size:12px;color:#cf222e;margin:2px 0}
            \(laneStyle)
            </style></head><body>
            <h1>Baton conformance report: \(esc(report.implementation)) \(esc(report.implementationVersion ?? ""))</h1>
            <p><span class="verdict \(findings.verdict)">\(findings.verdict)</span>
            &nbsp;\(esc(findings.headline))\(report.interrupted ? " — <b>interrupted: partial report</b>" : "")</p>
            <table><tr><th>passed</th><th>failed</th><th>known failures</th><th>unexpected passes</th><th>errors</th><th>skipped</th><th>accepted attacks</th><th>wrong codes</th><th>wrong steps</th></tr>
            <tr><td class="num">\(s.passed)</td><td class="num">\(s.failed)</td><td class="num">\(s.expectedFailures)</td><td class="num">\(s.unexpectedPasses)</td><td class="num">\(s.errors)</td><td class="num">\(s.skipped)</td><td class="num">\(s.acceptedAttacks)</td><td class="num">\(s.wrongCodes)</td><td class="num">\(s.wrongSteps)</td></tr></table>

            """
        html += findingsSection(findings)
        html += taxonomySection(TaxonomyGroups(findings))
        let groups = Dictionary(grouping: report.results) { $0.scenarioId.split(separator: "/").first.map(String.init) ?? $0.scenarioId }
        for topic in groups.keys.sorted() {
            html += "<h2>\(esc(topic))</h2>\n"
            for r in groups[topic]! { html += section(r) }
        }
        html += "</body></html>\n"
        return html
    }

    /// The findings, worst first (known ones marked), then what was not covered and why.
    static func findingsSection(_ findings: Findings) -> String {
        var out = ""
        if !findings.items.isEmpty {
            out += "<h2>Findings</h2>\n<table><tr><th>scenario</th><th>finding</th><th>known</th><th>expected</th><th>actual</th></tr>\n"
            for item in findings.items {
                let r = item.result
                out +=
                    "<tr\(item.kind == .acceptedAttack ? " class=\"vuln\"" : "")><td><a href=\"#\(anchor(r.scenarioId))\">\(esc(r.scenarioId))</a></td>"
                out += "<td>\(esc(item.kind.label))</td><td>\(item.known ? "known" : "<b>new</b>")</td>"
                out += "<td>\(esc(r.expectation?.description ?? "—"))</td><td>\(esc(actual(r)))</td></tr>\n"
            }
            out += "</table>\n"
        }
        if !findings.notCovered.isEmpty {
            out += "<h2>Not covered</h2>\n<table><tr><th>scenarios</th><th>reason</th></tr>\n"
            for group in findings.notCovered {
                out += "<tr><td class=\"num\">\(group.scenarios.count)</td><td>\(esc(group.reason))</td></tr>\n"
            }
            out += "</table>\n"
        }
        return out
    }

    /// The findings grouped by OWASP category and by CWE; empty when none names one.
    static func taxonomySection(_ groups: TaxonomyGroups) -> String {
        guard !groups.isEmpty else { return "" }
        var out = "<h2>Findings by security taxonomy</h2>\n"
        for (title, list) in [("OWASP Top 10 for Agentic Applications (2026)", groups.owasp), ("CWE", groups.cwe)] where !list.isEmpty {
            out += "<table><tr><th>\(esc(title))</th><th>accepted attacks</th><th>other findings</th><th>scenarios</th></tr>\n"
            for g in list {
                let links = (g.accepted + g.other).map { "<a href=\"#\(anchor($0))\">\(esc($0))</a>" }.joined(separator: ", ")
                out +=
                    "<tr><td>\(esc(g.id)) \(esc(g.name))</td><td class=\"num\">\(g.accepted.count)</td><td class=\"num\">\(g.other.count)</td><td>\(links)</td></tr>\n"
            }
            out += "</table>\n"
        }
        return out
    }

    /// The id of a scenario's section, for links from the findings.
    static func anchor(_ id: String) -> String {
        "case-" + id.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    static func section(_ r: CaseResult) -> String {
        let vuln = r.judgement == .acceptedAttack
        var out =
            "<details id=\"\(anchor(r.scenarioId))\"\(r.status == .failed || r.status == .error || r.status == .unexpectedPass ? " open" : "") class=\"\(vuln ? "vuln" : "")\"><summary><span class=\"st \(r.status.rawValue)\">\(r.status.rawValue.uppercased())</span>"
        out += "<b>\(esc(r.scenarioId))</b> — \(esc(r.title))"
        for t in r.tags { out += "<span class=\"tag\">\(esc(t))</span>" }
        out += "</summary>\n"
        if !r.spec.isEmpty { out += "<div class=\"who\">tests: \(esc(r.spec.joined(separator: ", ")))</div>" }
        if r.owasp != nil || r.cwe != nil {
            let names = [r.owasp?.description, r.cwe.map { "\($0.id) \($0.name)" }].compactMap { $0 }
            out += "<div class=\"who\">weakness: \(esc(names.joined(separator: "; ")))</div>"
        }
        out += "<table><tr><th>expected</th><td>\(esc(r.expectation?.description ?? "—"))</td></tr>"
        out += "<tr><th>actual</th><td>\(esc(actual(r)))</td></tr><tr><th>result</th><td>\(esc(r.message))</td></tr></table>\n"
        out += lanes(r)
        for record in r.audit { out += chain(record, forged: r.forgedCalls.first { $0.record == record.sequence }) }
        if !r.trace.isEmpty { out += "<pre>\(esc(r.trace.joined(separator: "\n")))</pre>\n" }
        if !r.audit.isEmpty {
            out += "<table><tr><th>#</th><th>caller → receiver</th><th>scope</th><th>decision</th><th>on behalf of</th><th>hash</th></tr>"
            for a in r.audit {
                out +=
                    "<tr><td>\(a.sequence)</td><td>\(esc(short(a.caller))) → \(esc(short(a.receiver)))</td><td>\(esc(a.scope))</td><td>\(esc(a.decision))\(a.code.map { " (\(esc($0)))" } ?? "")</td><td>\(esc(a.principal ?? "—"))</td><td><code>\(a.hash.prefix(12))…</code></td></tr>"
            }
            out += "</table>\n"
        }
        return out + "</details>\n"
    }

    /// The recorded chain drawn as boxes and arrows: issuer, each delegate, with the scopes on each hop;
    /// the receiver is green when it accepted, red (with the step and code) when it refused. When the
    /// call carried a forged token, the hops the attacker made are drawn red and dashed, and the
    /// forging step is named under the chain.
    static func chain(_ a: AuditRecord, forged: ForgedCall? = nil) -> String {
        var out = "<div class=\"chain\">"
        var agents = [a.issuer ?? "?"] + a.chain.map(\.delegate)
        if agents.last != a.receiver { agents.append(a.receiver) }
        for (i, agent) in agents.enumerated() {
            if i > 0 {
                let hop = i - 1
                let isHop = hop < a.chain.count
                let scopes = isHop ? a.chain[hop].scopes.joined(separator: ", ") : "presented to"
                let why = isHop ? (a.chain[hop].context ?? "") : ""
                let forgedHop = isHop && forged?.isForged(hop: hop) == true
                out +=
                    "<div class=\"arrow\(forgedHop ? " forged" : "")\"><span>\(esc(scopes))</span><div class=\"line\"></div>"
                    + "<span>\(forgedHop ? "<b>forged</b> · " : "")\(esc(why))</span></div>"
            }
            let isReceiver = i == agents.count - 1
            let cls = isReceiver ? (a.decision == "accept" ? " ok" : " no") : ""
            let refusal = a.decision == "accept" ? "" : (a.step.map { " at \(esc($0))" } ?? "") + (a.code.map { ": \(esc($0))" } ?? "")
            let badge = isReceiver ? "<br><span class=\"who\">\(esc(a.decision))\(refusal) for \(esc(a.scope))</span>" : ""
            out += "<div class=\"agent\(cls)\">\(esc(short(agent)))\(badge)</div>"
        }
        out += "</div>"
        if let forged {
            let whole = forged.honestHops.map { $0 >= a.chain.count } ?? false
            out +=
                "<div class=\"forgery\">⚠ forged token <code>\(esc(forged.token))</code>"
                + (whole ? " (altered as a whole, not by adding hops)" : "") + ", \(esc(forged.attack))</div>"
        }
        out += "<div class=\"who\">on behalf of \(esc(a.principal ?? "no principal")) · called by \(esc(short(a.caller)))</div>\n"
        return out
    }

    static func actual(_ r: CaseResult) -> String {
        guard let o = r.outcome else { return "—" }
        switch o.verdict {
        case .accept: return "accept"
        case .reject: return "reject with \(o.code ?? "no code")" + (o.step.map { " at \($0)" } ?? "")
        case .error: return "error: \(o.message ?? "")"
        }
    }

    static func short(_ id: String) -> String { AgentName.short(id) }

    /// HTML text and attribute escaping (the same rules as the XML reports).
    static func esc(_ s: String) -> String { JUnitReport.escape(s) }
}
