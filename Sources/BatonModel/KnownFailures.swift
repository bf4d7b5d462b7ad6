import Foundation

/// A per-implementation list of scenario ids expected to fail: one id per line,
/// optionally followed by `# reason`; blank lines and `#` lines are comments.
public struct KnownFailures: Hashable, Sendable {
    public private(set) var reasons: [String: String] = [:]

    public init(entries: [String: String] = [:]) { reasons = entries }

    public init(text: String) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "#", maxSplits: 1)
            let id = parts[0].trimmingCharacters(in: .whitespaces)
            let reason = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            reasons[id] = reason
        }
    }

    public func contains(_ id: String) -> Bool { reasons[id] != nil }

    /// The file text for these entries, sorted by id.
    public func render(header: String) -> String {
        var out = header.split(separator: "\n").map { "# \($0)" }.joined(separator: "\n") + "\n"
        for (id, reason) in reasons.sorted(by: { $0.key < $1.key }) {
            out += reason.isEmpty ? "\(id)\n" : "\(id)  # \(reason)\n"
        }
        return out
    }

    /// Applies the list: a listed failure becomes an expected failure; a listed pass is an unexpected pass.
    public func apply(to result: CaseResult) -> CaseResult {
        guard let reason = reasons[result.scenarioId] else { return result }
        var r = result
        switch result.status {
        case .failed, .error:
            r.status = .expectedFailure
            r.message = "known failure (\(reason.isEmpty ? "listed" : reason)): \(result.message)"
        case .passed:
            r.status = .unexpectedPass
            r.message = "listed as a known failure (\(reason)) but passed: remove it from the list (--update-known-failures)"
        default:
            break
        }
        return r
    }

    /// The list a run implies: every case that failed, keeping existing reasons.
    public func updated(with results: [CaseResult]) -> KnownFailures {
        var entries: [String: String] = [:]
        for r in results where r.status == .failed || r.status == .expectedFailure || r.status == .error {
            entries[r.scenarioId] = reasons[r.scenarioId] ?? (r.judgement?.rawValue ?? r.status.rawValue)
        }
        return KnownFailures(entries: entries)
    }
}
