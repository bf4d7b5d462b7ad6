import BatonModel
import Foundation

/// Where several implementations disagree on the same scenarios: a different
/// verdict, or a different refusal code. Cases skipped by any side are left out.
public struct DifferentialReport: Sendable {
    public struct Row: Sendable {
        public var scenarioId: String
        /// One cell per implementation, in run order.
        public var cells: [String]
    }

    /// One scenario of the full table: what it expects and what each implementation did.
    public struct TableRow: Sendable {
        public var scenarioId: String
        /// The scenario's final expectation (as the first implementation that judged it recorded it).
        public var expected: String
        /// One cell per implementation: `skip`, `accept`, `reject CODE` or `error`, followed by ` ✗` when
        /// the implementation failed the scenario (a known failure included).
        public var cells: [String]
        /// Two or more implementations ran the scenario and their verdicts or codes differ.
        public var disagrees: Bool
    }

    public var implementations: [String]
    public var rows: [Row]
    public var compared: Int
    /// Every scenario any implementation was given, in id order, skipped ones included.
    public var table: [TableRow]
    /// Per implementation, why scenarios were skipped (the reason without its step prefix) and how often.
    public var skipReasons: [[(reason: String, count: Int)]]

    public init(_ reports: [RunReport]) {
        implementations = reports.map(\.implementation)
        let byId = reports.map { Dictionary($0.results.map { ($0.scenarioId, $0) }, uniquingKeysWith: { a, _ in a }) }
        let ids = Set(reports.flatMap { $0.results.map(\.scenarioId) }).sorted()
        var rows: [Row] = []
        var table: [TableRow] = []
        var compared = 0
        for id in ids {
            let results = byId.map { $0[id] }
            let ran = results.compactMap { r in r.flatMap { $0.status != .skipped && $0.outcome != nil ? DifferentialReport.cell($0) : nil } }
            table.append(
                TableRow(
                    scenarioId: id, expected: results.lazy.compactMap { $0?.expectation?.description }.first ?? "",
                    cells: results.map { r in r.map(DifferentialReport.tableCell) ?? "—" }, disagrees: ran.count > 1 && Set(ran).count > 1))
            guard results.allSatisfy({ $0 != nil && $0!.status != .skipped && $0!.outcome != nil }) else { continue }
            compared += 1
            let cells = results.map { DifferentialReport.cell($0!) }
            if Set(cells).count > 1 { rows.append(Row(scenarioId: id, cells: cells)) }
        }
        self.rows = rows
        self.compared = compared
        self.table = table
        skipReasons = reports.map { report in
            var counts: [String: Int] = [:]
            for r in report.results where r.status == .skipped { counts[DifferentialReport.skipReason(r.message), default: 0] += 1 }
            return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (reason: $0.key, count: $0.value) }
        }
    }

    static func tableCell(_ r: CaseResult) -> String {
        guard r.status != .skipped else { return "skip" }
        let verdict = r.outcome == nil ? r.status.rawValue : cell(r)
        switch r.status {
        case .failed, .expectedFailure, .error: return verdict + " ✗"
        default: return verdict
        }
    }

    /// A skip message without the `step N (line L): ` it may start with.
    public static func skipReason(_ message: String) -> String {
        guard message.hasPrefix("step "), let colon = message.range(of: "): ") else { return message }
        return String(message[colon.upperBound...])
    }

    /// The full table in Markdown: every scenario, every implementation, skips included; `≠` marks
    /// a disagreement between implementations that ran the scenario; then why each skipped.
    public func tableMarkdown(title: String) -> String {
        let escape = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "# \(title)\n\n"
        out +=
            "\(table.count) scenario(s); \(table.filter(\.disagrees).count) disagreement(s) (`≠`) between implementations that ran the same scenario. "
            + "A cell is the verdict of the scenario's final (or first failing) checkpoint; `✗` marks a failed scenario (known failures included), "
            + "`skip` one the implementation could not be given.\n\n"
        out += "| scenario | expected | " + implementations.map(escape).joined(separator: " | ") + " | ≠ |\n"
        out += "|---|---|" + implementations.map { _ in "---|" }.joined() + "---|\n"
        for row in table {
            out +=
                "| `\(row.scenarioId)` | \(escape(row.expected)) | " + row.cells.map(escape).joined(separator: " | ")
                + " | \(row.disagrees ? "≠" : "") |\n"
        }
        out += "\n## Why scenarios were skipped\n"
        for (name, reasons) in zip(implementations, skipReasons) {
            out += "\n**\(name)**:" + (reasons.isEmpty ? " none skipped.\n" : "\n\n")
            for r in reasons { out += "- \(r.count) × \(r.reason)\n" }
        }
        return out
    }

    static func cell(_ r: CaseResult) -> String {
        guard let o = r.outcome else { return r.status.rawValue }
        switch o.verdict {
        case .accept: return "accept"
        case .reject: return "reject \(o.code ?? "?")"
        case .error: return "error"
        }
    }

    public func consoleLines() -> [String] {
        var out = ["differential: \(rows.count) disagreement(s) in \(compared) scenario(s) run by all of \(implementations.joined(separator: ", "))"]
        let width = max(rows.map(\.scenarioId.count).max() ?? 0, 8)
        for row in rows {
            out.append(
                "  " + row.scenarioId.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + row.cells.map { $0.padding(toLength: 32, withPad: " ", startingAt: 0) }.joined(separator: " | "))
        }
        return out
    }

    public func markdown() -> String {
        var out = "# Differential run\n\n\(rows.count) disagreement(s) in \(compared) scenario(s) that every implementation ran.\n\n"
        out +=
            "| scenario | " + implementations.joined(separator: " | ") + " |\n|---|" + implementations.map { _ in "---" }.joined(separator: "|")
            + "|\n"
        for row in rows { out += "| `\(row.scenarioId)` | " + row.cells.joined(separator: " | ") + " |\n" }
        return out
    }
}
