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

    public var implementations: [String]
    public var rows: [Row]
    public var compared: Int

    public init(_ reports: [RunReport]) {
        implementations = reports.map(\.implementation)
        let byId = reports.map { Dictionary($0.results.map { ($0.scenarioId, $0) }, uniquingKeysWith: { a, _ in a }) }
        let ids = Set(reports.flatMap { $0.results.map(\.scenarioId) }).sorted()
        var rows: [Row] = []
        var compared = 0
        for id in ids {
            let results = byId.map { $0[id] }
            guard results.allSatisfy({ $0 != nil && $0!.status != .skipped && $0!.outcome != nil }) else { continue }
            compared += 1
            let cells = results.map { DifferentialReport.cell($0!) }
            if Set(cells).count > 1 { rows.append(Row(scenarioId: id, cells: cells)) }
        }
        self.rows = rows
        self.compared = compared
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
