import BatonModel

/// The findings of a run grouped by the OWASP Top 10 for Agentic Applications and by CWE, so that
/// a security team reads them in its own vocabulary. Only findings whose scenario names a category
/// count; categories are sorted by id, scenarios within one by id.
public struct TaxonomyGroups: Sendable {
    /// One category and the findings in it.
    public struct Group: Sendable {
        /// `ASI03` or `CWE-347`.
        public var id: String
        public var name: String
        /// Scenarios whose attack was accepted.
        public var accepted: [String]
        /// Scenarios with another finding (refused with the wrong code or at the wrong step, …).
        public var other: [String]
    }

    public var owasp: [Group]
    public var cwe: [Group]
    public var isEmpty: Bool { owasp.isEmpty && cwe.isEmpty }

    public init(_ findings: Findings) {
        var byRisk: [AgenticRisk: Group] = [:]
        var byCWE: [CWE: Group] = [:]
        for item in findings.items {
            let r = item.result
            let accepted = item.kind == .acceptedAttack
            if let risk = r.owasp {
                var g = byRisk[risk] ?? Group(id: risk.rawValue, name: risk.name, accepted: [], other: [])
                if accepted { g.accepted.append(r.scenarioId) } else { g.other.append(r.scenarioId) }
                byRisk[risk] = g
            }
            if let cwe = r.cwe {
                var g = byCWE[cwe] ?? Group(id: cwe.id, name: cwe.name, accepted: [], other: [])
                if accepted { g.accepted.append(r.scenarioId) } else { g.other.append(r.scenarioId) }
                byCWE[cwe] = g
            }
        }
        func sorted(_ g: Group) -> Group { Group(id: g.id, name: g.name, accepted: g.accepted.sorted(), other: g.other.sorted()) }
        owasp = byRisk.keys.sorted().map { sorted(byRisk[$0]!) }
        cwe = byCWE.keys.sorted().map { sorted(byCWE[$0]!) }
    }

    /// The Markdown section: one table per taxonomy; empty when no finding names a category.
    public func markdown(maxExamples: Int = 3) -> String {
        guard !isEmpty else { return "" }
        var out = "## Findings by security taxonomy\n\n"
        for (title, groups) in [("OWASP Top 10 for Agentic Applications (2026)", owasp), ("CWE", cwe)] where !groups.isEmpty {
            out += "| \(title) | accepted attacks | other findings | examples |\n|---|---:|---:|---|\n"
            for g in groups {
                let all = g.accepted + g.other
                let examples =
                    all.prefix(maxExamples).map { "`\(MarkdownReport.cell($0))`" }.joined(separator: ", ") + (all.count > maxExamples ? ", …" : "")
                out += "| \(g.id) \(MarkdownReport.cell(g.name)) | \(g.accepted.count) | \(g.other.count) | \(examples) |\n"
            }
            out += "\n"
        }
        return out
    }
}
