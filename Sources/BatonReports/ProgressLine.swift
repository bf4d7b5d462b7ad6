import BatonModel

/// The live line `baton run` keeps at the bottom of a terminal: how far the run is, how it is going,
/// which scenario runs, and, when a request takes a while, how long it has been waiting. A pure
/// function of the run's state and the time, so it is tested without a terminal.
public enum ProgressLine {
    /// What the line shows.
    public struct State: Hashable, Sendable {
        public var total: Int
        public var done = 0
        public var passed = 0
        /// Cases that fail the run (failures, errors, known failures that passed).
        public var failed = 0
        /// Failures listed as known.
        public var knownFailures = 0
        public var skipped = 0
        /// Accepted attacks, known or not.
        public var acceptedAttacks = 0
        /// The scenario running now; nil between scenarios.
        public var current: String?
        /// When the request in flight was sent (seconds on a monotonic clock); nil when none is.
        public var requestSentAt: Double?

        public init(total: Int) { self.total = total }

        /// Counts a finished case.
        public mutating func record(_ result: CaseResult) {
            done += 1
            switch result.status {
            case .passed: passed += 1
            case .failed, .error, .unexpectedPass: failed += 1
            case .expectedFailure: knownFailures += 1
            case .skipped: skipped += 1
            }
            if (result.status == .failed || result.status == .expectedFailure) && result.judgement == .acceptedAttack { acceptedAttacks += 1 }
            current = nil
            requestSentAt = nil
        }
    }

    /// A request is shown once it has waited this long (seconds): the reference never does.
    public static let slowRequest = 1.0

    /// The line for `state` at time `now` (same clock as `requestSentAt`), cut to `width` columns less
    /// one, so that a terminal never wraps it. No colour, no control characters.
    public static func render(_ state: State, now: Double, width: Int) -> String {
        let digits = String(state.total).count
        let done = String(repeating: " ", count: max(0, digits - String(state.done).count)) + String(state.done)
        var parts = ["\(state.passed) passed", "\(state.failed) failed"]
        if state.knownFailures > 0 { parts.append("\(state.knownFailures) known") }
        if state.skipped > 0 { parts.append("\(state.skipped) skipped") }
        parts.append("\(state.acceptedAttacks) accepted attack\(state.acceptedAttacks == 1 ? "" : "s")")
        let line = "[\(done)/\(state.total)] " + parts.joined(separator: " · ")
        guard let current = state.current else { return cut(line, to: width - 1) }
        var waited = ""
        if let sent = state.requestSentAt, now - sent >= slowRequest {
            let tenths = Int(((now - sent) * 10).rounded(.down))
            waited = " (request \(tenths / 10).\(tenths % 10) s)"
        }
        // The scenario's id gives way first (its start is cut), so that the time waited stays in view.
        let room = width - 1 - line.count - 3 - waited.count
        guard room >= 12 else { return cut(line + " · " + current + waited, to: width - 1) }
        let name = current.count > room ? "…" + current.suffix(room - 1) : current
        return line + " · " + name + waited
    }

    /// `text` cut to `columns` characters, the last one an ellipsis when cut.
    static func cut(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        guard text.count > columns else { return text }
        return String(text.prefix(columns - 1)) + "…"
    }
}
