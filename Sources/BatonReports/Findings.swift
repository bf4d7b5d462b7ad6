import BatonModel

/// What a run found, worst first, for the headline and the first section of the Markdown and
/// HTML reports. Known failures are findings too: an implementation that accepts attacks never
/// reads PASS, whether or not its known-failure list expects it to.
public struct Findings: Sendable {
    /// One class of finding, in the order reports list them.
    public enum Kind: Int, CaseIterable, Sendable, Comparable {
        case acceptedAttack, rejectedLegitimate, unsupportedMandatoryCheck, wrongStep, wrongCode, auditMismatch, implementationError
        case staleKnownFailure, scenarioError

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }

        /// `N accepted attacks` and its kin, for the headline.
        public func count(_ n: Int) -> String {
            switch self {
            case .acceptedAttack: return n == 1 ? "1 accepted attack" : "\(n) accepted attacks"
            case .rejectedLegitimate: return n == 1 ? "1 legitimate token rejected" : "\(n) legitimate tokens rejected"
            case .unsupportedMandatoryCheck: return n == 1 ? "1 unsupported mandatory check" : "\(n) unsupported mandatory checks"
            case .wrongStep: return n == 1 ? "1 refusal at the wrong step" : "\(n) refusals at the wrong step"
            case .wrongCode: return n == 1 ? "1 wrong code" : "\(n) wrong codes"
            case .auditMismatch: return n == 1 ? "1 wrong audit record" : "\(n) wrong audit records"
            case .implementationError: return n == 1 ? "1 implementation error" : "\(n) implementation errors"
            case .staleKnownFailure: return n == 1 ? "1 stale known-failure entry" : "\(n) stale known-failure entries"
            case .scenarioError: return n == 1 ? "1 scenario error" : "\(n) scenario errors"
            }
        }

        /// The label of one finding of this kind.
        public var label: String {
            switch self {
            case .acceptedAttack: return "accepted an attack"
            case .rejectedLegitimate: return "rejected a legitimate token"
            case .unsupportedMandatoryCheck: return "cannot be set up for a mandatory check"
            case .wrongStep: return "refused by another step than the one that must stop it"
            case .wrongCode: return "rejected for the wrong reason"
            case .auditMismatch: return "the audit record does not say what it must"
            case .implementationError: return "implementation error"
            case .staleKnownFailure: return "unexpected pass (stale known-failure entry)"
            case .scenarioError: return "scenario error"
            }
        }
    }

    /// One finding: the case, its kind, and whether the known-failure list expects it.
    public struct Item: Sendable {
        public var result: CaseResult
        public var kind: Kind
        public var known: Bool
    }

    /// Every finding, worst kind first, then new before known, then by scenario id.
    public var items: [Item]
    /// The cases not run, grouped by the reason given, most frequent first.
    public var notCovered: [(reason: String, scenarios: [String])]
    public var summary: RunSummary
    public var interrupted: Bool

    public init(_ report: RunReport) {
        summary = report.summary
        interrupted = report.interrupted
        var items: [Item] = []
        for r in report.results {
            let kind: Kind?
            switch r.status {
            case .unexpectedPass: kind = .staleKnownFailure
            case .error: kind = .scenarioError
            case .failed, .expectedFailure:
                switch r.judgement {
                case .acceptedAttack?: kind = .acceptedAttack
                case .rejectedLegitimate?: kind = .rejectedLegitimate
                case .unsupportedMandatoryCheck?: kind = .unsupportedMandatoryCheck
                case .wrongStep?: kind = .wrongStep
                case .wrongCode?: kind = .wrongCode
                case .auditMismatch?: kind = .auditMismatch
                case .implementationError?: kind = .implementationError
                default: kind = r.status == .failed ? .scenarioError : nil
                }
            case .passed, .skipped: kind = nil
            }
            if let kind { items.append(Item(result: r, kind: kind, known: r.status == .expectedFailure)) }
        }
        self.items = items.sorted {
            ($0.kind, $0.known ? 1 : 0, $0.result.scenarioId) < ($1.kind, $1.known ? 1 : 0, $1.result.scenarioId)
        }
        var reasons: [String: [String]] = [:]
        for r in report.results where r.status == .skipped { reasons[r.message, default: []].append(r.scenarioId) }
        notCovered = reasons.map { ($0.key, $0.value.sorted()) }.sorted { ($1.scenarios.count, $0.reason) < ($0.scenarios.count, $1.reason) }
    }

    /// `PASS`, `VULNERABLE` (attacks accepted), `NONCONFORMANT` (other findings, all known),
    /// `FAIL` (the run does not meet its known-failure list) or `UNTESTED` (nothing ran to a
    /// verdict): the worst thing first.
    public var verdict: String {
        if items.contains(where: { $0.kind == .acceptedAttack }) { return "VULNERABLE" }
        if !summary.succeeded || interrupted { return "FAIL" }
        if !items.isEmpty { return "NONCONFORMANT" }
        if summary.passed == 0 { return "UNTESTED" }
        return "PASS"
    }

    /// One sentence under the verdict: counts per kind (with how many are known), what the exit
    /// code says, and how much was not covered.
    public var headline: String {
        var parts: [String] = []
        for kind in Kind.allCases {
            let of = items.filter { $0.kind == kind }
            guard !of.isEmpty else { continue }
            let known = of.filter(\.known).count
            parts.append(kind.count(of.count) + (known == 0 ? "" : known == of.count ? " (known)" : " (\(known) known)"))
        }
        var text = parts.isEmpty ? "no findings" : parts.joined(separator: ", ")
        if summary.succeeded && !interrupted {
            text += items.isEmpty ? "" : " — conforms to its known-failure list"
        } else {
            text += " — does not conform to its known-failure list"
        }
        let skipped = summary.skipped
        text += "; \(summary.passed) of \(summary.total) passed" + (skipped == 0 ? "" : ", \(skipped) not covered")
        return text
    }
}
