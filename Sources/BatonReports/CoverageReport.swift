import BatonHarness
import BatonModel
import Foundation

/// `baton coverage` in text, Markdown or JSON: every clause of the catalogue (of one profile, or of
/// all) with the scenarios that test it, the clauses none tests, and the figures by level, by
/// document and by profile. Deterministic: catalogue order, sorted scenarios and keys.
public enum CoverageReport {
    /// The figure `covered/total (MUST a/b, SHOULD c/d, MAY e/f)`.
    public static func figure(_ t: SpecCoverage.Tally) -> String {
        "\(t.covered)/\(t.total) (" + RequirementLevel.allCases.map { "\($0.rawValue) \(t.figure($0))" }.joined(separator: ", ") + ")"
    }

    /// Plain text for a terminal: one line per clause, `[x]` when a scenario tests it.
    public static func text(_ coverage: SpecCoverage, byProfile: [(TokenProfile, SpecCoverage.Tally)]) -> String {
        var out = "Specification coverage\(coverage.profile.map { " of the \($0) profile" } ?? ""): \(figure(coverage.tally)) clauses tested\n"
        for (document, rows) in coverage.documents {
            out += "\n\(document.id) — \(document.title)\n  version: \(document.version)\n  tested: \(figure(SpecCoverage.Tally(rows)))\n"
            for row in rows {
                let c = row.clause
                out += "  [\(row.isCovered ? "x" : " ")] \(c.id) \(c.level.rawValue) \(c.section): \(c.title)\n"
                out += row.isCovered ? "        \(row.scenarios.joined(separator: ", "))\n" : "        untested\n"
            }
        }
        if !byProfile.isEmpty {
            out += "\nBy profile (clauses that apply to it, tested by its scenarios):\n"
            for (profile, tally) in byProfile { out += "  \(profile.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(figure(tally))\n" }
        }
        let untested = coverage.untested
        out += "\nUntested: \(untested.count) clause(s)" + (untested.isEmpty ? "\n" : ": \(untested.map(\.id.description).joined(separator: ", "))\n")
        return out
    }

    /// Markdown: the figures, then one table per document.
    public static func markdown(_ coverage: SpecCoverage, byProfile: [(TokenProfile, SpecCoverage.Tally)]) -> String {
        var out = "# Specification coverage\(coverage.profile.map { " (profile `\($0)`)" } ?? "")\n\n"
        out += levelTable(coverage.tally, tested: "tested")
        if !byProfile.isEmpty {
            out += "\n| profile | tested | MUST | SHOULD | MAY |\n|---|---:|---:|---:|---:|\n"
            for (profile, t) in byProfile {
                out += "| `\(profile.rawValue)` | \(t.covered)/\(t.total) | \(t.figure(.must)) | \(t.figure(.should)) | \(t.figure(.may)) |\n"
            }
        }
        for (document, rows) in coverage.documents {
            out += "\n## \(cell(document.id)): \(cell(document.title))\n\n\(cell(document.version)) — \(cell(document.source))"
            out += " — tested \(figure(SpecCoverage.Tally(rows)))\n"
            if let note = document.note { out += "\n\(cell(note))\n" }
            out += "\n| clause | level | section | requires | scenarios |\n|---|---|---|---|---|\n"
            for row in rows {
                let c = row.clause
                let tests = row.isCovered ? row.scenarios.map { "`\($0)`" }.joined(separator: ", ") : "**untested**"
                out += "| `\(c.id)` | \(c.level.rawValue) | \(cell(c.section)) | \(cell(c.title)) | \(tests) |\n"
            }
        }
        return out
    }

    /// JSON with sorted keys.
    public static func json(_ coverage: SpecCoverage, byProfile: [(TokenProfile, SpecCoverage.Tally)]) throws -> String {
        var doc: [String: Any] = [
            "tally": tally(coverage.tally),
            "documents": coverage.documents.map { document, rows -> [String: Any] in
                var d: [String: Any] = [
                    "id": document.id, "title": document.title, "version": document.version, "source": document.source,
                    "tally": tally(SpecCoverage.Tally(rows)),
                    "clauses": rows.map { row -> [String: Any] in
                        [
                            "id": row.clause.id.description, "title": row.clause.title, "level": row.clause.level.rawValue,
                            "section": row.clause.section, "profiles": row.clause.profiles.map(\.rawValue), "scenarios": row.scenarios,
                        ]
                    },
                ]
                if let note = document.note { d["note"] = note }
                return d
            },
            "untested": coverage.untested.map(\.id.description),
        ]
        if let profile = coverage.profile { doc["profile"] = profile.rawValue }
        if !byProfile.isEmpty { doc["profiles"] = byProfile.map { ["profile": $0.0.rawValue, "tally": tally($0.1)] as [String: Any] } }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The short section of a run's Markdown report: how many clauses the run's scenarios test, and
    /// how many of those were exercised against this implementation (not skipped). Empty without a
    /// catalogue.
    public static func runSection(_ report: RunReport, catalogue: SpecCatalogue?) -> String {
        guard let catalogue else { return "" }
        func tests(_ results: [CaseResult]) -> [SpecCoverage.Test] {
            results.map { SpecCoverage.Test(scenario: $0.scenarioId, profile: nil, clauses: $0.spec.compactMap(SpecClauseID.init)) }
        }
        let all = SpecCoverage(catalogue: catalogue, tests: tests(report.results)).tally
        let here = SpecCoverage(catalogue: catalogue, tests: tests(report.results.filter { $0.status != .skipped && $0.status != .error })).tally
        var out = "## Specification coverage\n\n"
        out += "Clauses of Baton's catalogue (\(catalogue.documents.count) documents) named by the scenarios of this run, and by those "
        out += "run against this implementation (`baton coverage` lists every clause):\n\n"
        out += "| level | clauses | tested by these scenarios | run here |\n|---|---:|---:|---:|\n"
        for level in RequirementLevel.allCases {
            let total = all.byLevel[level]?.total ?? 0
            out += "| \(level.rawValue) | \(total) | \(all.byLevel[level]?.covered ?? 0) | \(here.byLevel[level]?.covered ?? 0) |\n"
        }
        out += "| all | \(all.total) | \(all.covered) | \(here.covered) |\n\n"
        return out
    }

    static func levelTable(_ t: SpecCoverage.Tally, tested: String) -> String {
        var out = "| level | clauses | \(tested) |\n|---|---:|---:|\n"
        for level in RequirementLevel.allCases {
            out += "| \(level.rawValue) | \(t.byLevel[level]?.total ?? 0) | \(t.byLevel[level]?.covered ?? 0) |\n"
        }
        return out + "| all | \(t.total) | \(t.covered) |\n"
    }

    static func tally(_ t: SpecCoverage.Tally) -> [String: Any] {
        var levels: [String: Any] = [:]
        for level in RequirementLevel.allCases {
            levels[level.rawValue] = ["covered": t.byLevel[level]?.covered ?? 0, "total": t.byLevel[level]?.total ?? 0]
        }
        return ["covered": t.covered, "total": t.total, "byLevel": levels]
    }

    static func cell(_ s: String) -> String { MarkdownReport.cell(s) }
}
