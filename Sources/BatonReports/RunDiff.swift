import BatonModel

/// What changed between two runs of one implementation (`baton diff BEFORE AFTER`): scenario by
/// scenario, and in the manifests. A regression is a case that is newly an accepted attack, or that
/// fails (or errs) now and did not before; the diff's exit status says whether there is one.
public struct RunDiff: Hashable, Sendable {
    /// One scenario's results in both runs (nil where the run did not have the scenario).
    public struct Entry: Hashable, Sendable {
        public var scenarioId: String
        public var before: CaseResult?
        public var after: CaseResult?
    }

    /// Where a scenario's change is listed, in the order the reports list them.
    public enum Kind: String, CaseIterable, Sendable {
        /// An attack the implementation now accepts (it did not, or the case was not run).
        case acceptedAttack = "accepted_attack"
        /// Fails or errs now; passed, or was skipped, before.
        case newFailure = "new_failure"
        /// Passes now; failed or erred before.
        case fixed
        /// Same standing, but another verdict, code, step or judgement.
        case changed
        /// Judged before, skipped now (coverage lost).
        case nowSkipped = "now_skipped"
        /// Skipped before, passes now.
        case nowRun = "now_run"
        /// A scenario only the second run has.
        case added
        /// A scenario only the first run has.
        case removed

        /// Whether an entry of this kind makes the diff a regression.
        public var isRegression: Bool { self == .acceptedAttack || self == .newFailure }

        public var title: String {
            switch self {
            case .acceptedAttack: return "Newly accepted attacks"
            case .newFailure: return "New failures"
            case .fixed: return "Fixed"
            case .changed: return "Changed codes, steps or judgements"
            case .nowSkipped: return "Now skipped"
            case .nowRun: return "Now run"
            case .added: return "Scenarios added"
            case .removed: return "Scenarios removed"
            }
        }
    }

    /// One field of the manifests that differs.
    public struct ManifestChange: Hashable, Sendable {
        public var field: String
        public var before: String
        public var after: String
    }

    public var before: RunReport
    public var after: RunReport
    /// The entries of each kind, in scenario order.
    public var entries: [Kind: [Entry]]
    public var manifestChanges: [ManifestChange]

    /// Compares `before` with `after`, matching results by scenario id.
    public init(before: RunReport, after: RunReport) {
        self.before = before
        self.after = after
        let old = Dictionary(before.results.map { ($0.scenarioId, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.results.map { ($0.scenarioId, $0) }, uniquingKeysWith: { first, _ in first })
        var entries: [Kind: [Entry]] = [:]
        for id in Set(old.keys).union(new.keys).sorted() {
            let entry = Entry(scenarioId: id, before: old[id], after: new[id])
            if let kind = Self.kind(before: old[id], after: new[id]) { entries[kind, default: []].append(entry) }
        }
        self.entries = entries
        self.manifestChanges = Self.manifestChanges(before, after)
    }

    /// The entries of one kind.
    public subscript(kind: Kind) -> [Entry] { entries[kind] ?? [] }

    /// How many entries are regressions.
    public var regressions: Int { Kind.allCases.filter(\.isRegression).reduce(0) { $0 + self[$1].count } }

    /// True when some case regressed (the diff's exit status is then 1).
    public var isRegression: Bool { regressions > 0 }

    /// True when neither a result nor the manifest changed.
    public var isEmpty: Bool { entries.isEmpty && manifestChanges.isEmpty }

    /// The implementation a report is of (its manifest's name, or the report's).
    public static func implementation(of report: RunReport) -> String { report.manifest?.implementation ?? report.implementation }

    /// How a result stands, whatever the known-failure list says of it.
    enum Standing: Equatable {
        case pass, fail, error, skip

        init(_ r: CaseResult) {
            switch r.status {
            case .passed, .unexpectedPass: self = .pass
            case .failed, .expectedFailure: self = .fail
            case .error: self = .error
            case .skipped: self = .skip
            }
        }

        var isFailing: Bool { self == .fail || self == .error }
    }

    static func isAcceptedAttack(_ r: CaseResult) -> Bool { Standing(r) == .fail && r.judgement == .acceptedAttack }

    static func kind(before: CaseResult?, after: CaseResult?) -> Kind? {
        guard let after else { return before == nil ? nil : .removed }
        guard let before else { return .added }
        if isAcceptedAttack(after) && !isAcceptedAttack(before) { return .acceptedAttack }
        let (was, now) = (Standing(before), Standing(after))
        switch (was, now) {
        case (.skip, .skip): return nil
        case (_, .skip): return .nowSkipped
        case (.skip, .pass): return .nowRun
        case (.pass, .fail), (.pass, .error), (.skip, .fail), (.skip, .error): return .newFailure
        case (.fail, .pass), (.error, .pass): return .fixed
        default:
            let same =
                was == now && before.judgement == after.judgement && before.outcome?.verdict == after.outcome?.verdict
                && before.outcome?.code == after.outcome?.code && before.outcome?.step == after.outcome?.step
            return same ? nil : .changed
        }
    }

    static func manifestChanges(_ before: RunReport, _ after: RunReport) -> [ManifestChange] {
        guard let a = before.manifest, let b = after.manifest else {
            if before.manifest == nil && after.manifest == nil {
                return before.toolVersion == after.toolVersion
                    ? [] : [ManifestChange(field: "baton_version", before: before.toolVersion, after: after.toolVersion)]
            }
            return [
                ManifestChange(
                    field: "manifest", before: before.manifest == nil ? "none (a report made before manifests)" : "present",
                    after: after.manifest == nil ? "none (a report made before manifests)" : "present")
            ]
        }
        let list: ([String]) -> String = { $0.isEmpty ? "none" : $0.joined(separator: ", ") }
        let fields: [(String, String, String)] = [
            ("baton_version", a.batonVersion, b.batonVersion),
            ("scenarios_sha256", "\(a.scenariosSHA256) (\(a.scenarioFiles) files)", "\(b.scenariosSHA256) (\(b.scenarioFiles) files)"),
            ("implementation", a.implementation, b.implementation),
            ("implementation_version", a.implementationVersion, b.implementationVersion),
            ("roles", list(a.roles.map(\.rawValue)), list(b.roles.map(\.rawValue))),
            ("options", list(a.options.map(\.rawValue)), list(b.options.map(\.rawValue))),
            ("seed", a.seed, b.seed),
            ("filters", list(a.filters), list(b.filters)),
            ("shard", a.shard ?? "none", b.shard ?? "none"),
        ]
        return fields.filter { $0.1 != $0.2 }.map { ManifestChange(field: $0.0, before: $0.1, after: $0.2) }
    }
}
