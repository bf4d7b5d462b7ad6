import BatonModel

/// Which clauses of the catalogue the scenarios test: for every clause (of one profile, or of all),
/// the scenarios that name it, and the tallies by document and by level. A pure function of the
/// catalogue and the scenarios; clauses keep the catalogue's order, scenarios are sorted.
public struct SpecCoverage: Sendable {
    /// What one scenario tests.
    public struct Test: Hashable, Sendable {
        public var scenario: String
        /// Its profile; nil when unknown (then it counts only without a profile filter).
        public var profile: TokenProfile?
        public var clauses: [SpecClauseID]

        public init(scenario: String, profile: TokenProfile?, clauses: [SpecClauseID]) {
            self.scenario = scenario
            self.profile = profile
            self.clauses = clauses
        }
    }

    /// One clause and the scenarios that test it.
    public struct Row: Hashable, Sendable {
        public var clause: SpecClause
        public var scenarios: [String]
        public var isCovered: Bool { !scenarios.isEmpty }
    }

    /// Covered and total clauses, overall and by level.
    public struct Tally: Hashable, Sendable {
        public var covered = 0
        public var total = 0
        public var byLevel: [RequirementLevel: (covered: Int, total: Int)] = [:]

        public init(_ rows: [Row]) {
            for row in rows {
                total += 1
                if row.isCovered { covered += 1 }
                let old = byLevel[row.clause.level] ?? (0, 0)
                byLevel[row.clause.level] = (old.covered + (row.isCovered ? 1 : 0), old.total + 1)
            }
        }

        /// `covered/total` of a level (`0/0` when the level has no clause).
        public func figure(_ level: RequirementLevel) -> String {
            let t = byLevel[level] ?? (0, 0)
            return "\(t.covered)/\(t.total)"
        }

        public static func == (a: Tally, b: Tally) -> Bool {
            a.covered == b.covered && a.total == b.total
                && RequirementLevel.allCases.allSatisfy { a.figure($0) == b.figure($0) }
        }

        public func hash(into h: inout Hasher) {
            h.combine(covered)
            h.combine(total)
            for level in RequirementLevel.allCases { h.combine(figure(level)) }
        }
    }

    /// The profile the coverage is restricted to; nil: every profile.
    public var profile: TokenProfile?
    /// The documents with at least one clause of the profile, in catalogue order, each with its rows.
    public var documents: [(document: SpecDocument, rows: [Row])]

    /// Coverage of every clause that applies to `profile` (every clause when nil) by the tests of
    /// that profile.
    public init(catalogue: SpecCatalogue, tests: [Test], profile: TokenProfile? = nil) {
        self.profile = profile
        var testing: [SpecClauseID: Set<String>] = [:]
        for test in tests where profile == nil || test.profile == profile {
            for id in test.clauses { testing[id, default: []].insert(test.scenario) }
        }
        documents = catalogue.documents.compactMap { document in
            let rows = document.clauses
                .filter { profile == nil || $0.profiles.contains(profile!) }
                .map { Row(clause: $0, scenarios: (testing[$0.id] ?? []).sorted()) }
            return rows.isEmpty ? nil : (document, rows)
        }
    }

    /// Every row, document by document.
    public var rows: [Row] { documents.flatMap(\.rows) }
    /// The clauses no scenario tests.
    public var untested: [SpecClause] { rows.filter { !$0.isCovered }.map(\.clause) }
    /// The tally over every row.
    public var tally: Tally { Tally(rows) }
}
