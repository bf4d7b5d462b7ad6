import AIP

/// Which scenarios catch which verifier flaw: every variant of the flawed-verifier
/// gallery is run against the catalog; a scenario "kills" a flaw when it fails there.
public struct KillMatrix: Sendable {
    public struct Row: Hashable, Sendable {
        /// The flaw's name (`flawed:NAME`).
        public var flaw: String
        /// What the flaw removes (the gallery's summary).
        public var summary: String = ""
        /// Scenarios that fail against the flawed verifier, with how.
        public var killedBy: [(id: String, judgement: String)]
        public static func == (a: Row, b: Row) -> Bool { a.flaw == b.flaw && a.killedBy.map(\.id) == b.killedBy.map(\.id) }
        public func hash(into h: inout Hasher) { h.combine(flaw); h.combine(killedBy.map(\.id)) }
    }

    public var rows: [Row]

    /// Flaws no scenario catches: each is a hole in the suite.
    public var survivors: [String] { rows.filter { $0.killedBy.isEmpty }.map(\.flaw) }

    public static func compute(_ catalog: ScenarioLoader.Catalog, seed: String = "baton") -> KillMatrix {
        KillMatrix(rows: ReferenceImplementation.gallery.map { flaw in
            let runner = ScenarioRunner(implementation: flaw.implementation, seed: seed)
            let killed = catalog.scenarios.compactMap { s -> (String, String)? in
                let r = runner.run(s)
                return r.status == .failed ? (s.id, r.judgement?.rawValue ?? "failed") : nil
            }
            return Row(flaw: flaw.name, summary: flaw.summary, killedBy: killed)
        })
    }

    /// A Markdown table for the reports.
    public func markdown() -> String {
        var out = "# Kill matrix: which scenarios catch which verifier flaw\n\n| flaw | what it removes | caught by | scenarios |\n|---|---|---:|---|\n"
        for row in rows {
            let names = row.killedBy.prefix(6).map { "`\($0.id)` (\($0.judgement))" }.joined(separator: ", ")
            let more = row.killedBy.count > 6 ? ", … \(row.killedBy.count - 6) more" : ""
            out += "| `\(row.flaw)` | \(row.summary) | \(row.killedBy.count) | \(row.killedBy.isEmpty ? "**none: the suite misses this flaw**" : names + more) |\n"
        }
        return out
    }
}
