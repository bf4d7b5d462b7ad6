import Foundation

/// A per-implementation list of scenario ids expected to fail: one id per line, optionally followed
/// by `[expires YYYY-MM-DD, owner NAME]` and `# reason`; blank lines and `#` lines are comments.
///
/// An entry whose expiry date has passed no longer excuses its failure: the case fails the run
/// again, so that a known failure is looked at when it was promised to be, not forgotten.
public struct KnownFailures: Hashable, Sendable {
    /// One listed scenario.
    public struct Entry: Hashable, Sendable {
        public var reason: String
        /// The last day (`YYYY-MM-DD`, UTC) the entry excuses a failure; nil: no expiry.
        public var expires: String?
        /// Who answers for the entry.
        public var owner: String?

        public init(reason: String, expires: String? = nil, owner: String? = nil) {
            self.reason = reason
            self.expires = expires
            self.owner = owner
        }
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Today (`YYYY-MM-DD`, UTC) for expiry; nil: entries never expire (tests, tools that only read).
    public var today: String?
    /// Problems found while reading the list (a malformed date or bracket), with their line numbers.
    public private(set) var problems: [String] = []

    /// The reasons by scenario id.
    public var reasons: [String: String] { entries.mapValues(\.reason) }

    public init(entries: [String: String] = [:]) { self.entries = entries.mapValues { Entry(reason: $0) } }

    public init(text: String, today: String? = nil) {
        self.today = today
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "#", maxSplits: 1)
            var head = parts[0].trimmingCharacters(in: .whitespaces)
            let reason = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            var entry = Entry(reason: reason)
            if let open = head.firstIndex(of: "["), head.hasSuffix("]") {
                let inside = head[head.index(after: open)..<head.index(before: head.endIndex)]
                head = head[..<open].trimmingCharacters(in: .whitespaces)
                for field in inside.split(separator: ",") {
                    let kv = field.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
                    switch (kv.first, kv.count) {
                    case ("expires"?, 2) where Self.isDate(kv[1]): entry.expires = kv[1]
                    case ("owner"?, 2): entry.owner = kv[1]
                    default:
                        problems.append(
                            "line \(number + 1): '\(field.trimmingCharacters(in: .whitespaces))' is not 'expires YYYY-MM-DD' or 'owner NAME'")
                    }
                }
            }
            entries[head] = entry
        }
    }

    /// Whether `text` is a `YYYY-MM-DD` date.
    static func isDate(_ text: String) -> Bool {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        return p.count == 3 && p[0].count == 4 && p[1].count == 2 && p[2].count == 2 && p.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    /// Today's date in UTC, as entries write it.
    public static func date(_ instant: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: instant)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    public func contains(_ id: String) -> Bool { entries[id] != nil }

    /// Whether the entry of `id` has expired (its date is before today).
    public func isExpired(_ id: String) -> Bool {
        guard let today, let expires = entries[id]?.expires else { return false }
        return expires < today
    }

    /// Entries that expire within `days` of today (not yet expired), as `id (expires D, owner O)`, sorted.
    public func expiringSoon(within days: Int = 30) -> [String] {
        guard let today, let now = Self.parse(today) else { return [] }
        let limit = Self.date(now.addingTimeInterval(Double(days) * 86_400))
        return entries.filter { _, e in e.expires.map { $0 >= today && $0 <= limit } ?? false }.sorted { $0.key < $1.key }.map { id, e in
            "\(id) (expires \(e.expires ?? ""), owner \(e.owner ?? "none"))"
        }
    }

    static func parse(_ day: String) -> Date? {
        let p = day.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return Calendar(identifier: .gregorian).date(
            from: DateComponents(timeZone: TimeZone(identifier: "UTC"), year: p[0], month: p[1], day: p[2]))
    }

    /// The file text for these entries, sorted by id.
    public func render(header: String) -> String {
        var out = header.split(separator: "\n").map { "# \($0)" }.joined(separator: "\n") + "\n"
        for (id, e) in entries.sorted(by: { $0.key < $1.key }) {
            var meta: [String] = []
            if let expires = e.expires { meta.append("expires \(expires)") }
            if let owner = e.owner { meta.append("owner \(owner)") }
            let bracket = meta.isEmpty ? "" : "  [\(meta.joined(separator: ", "))]"
            out += e.reason.isEmpty ? "\(id)\(bracket)\n" : "\(id)\(bracket)  # \(e.reason)\n"
        }
        return out
    }

    /// Applies the list: a listed failure becomes an expected failure (unless its entry has expired);
    /// a listed pass is an unexpected pass.
    public func apply(to result: CaseResult) -> CaseResult {
        guard let entry = entries[result.scenarioId] else { return result }
        let reason = entry.reason
        var r = result
        switch result.status {
        case .failed, .error:
            if isExpired(result.scenarioId) {
                r.message =
                    "known failure expired on \(entry.expires ?? "") (owner \(entry.owner ?? "none")): fix it or renew the entry: \(result.message)"
            } else {
                r.status = .expectedFailure
                r.message = "known failure (\(reason.isEmpty ? "listed" : reason)): \(result.message)"
            }
        case .passed:
            r.status = .unexpectedPass
            r.message = "listed as a known failure (\(reason)) but passed: remove it from the list (--update-known-failures)"
        default:
            break
        }
        return r
    }

    /// The list a run implies: every case that failed, keeping existing reasons, owners and dates.
    public func updated(with results: [CaseResult]) -> KnownFailures {
        var out = KnownFailures()
        for r in results where r.status == .failed || r.status == .expectedFailure || r.status == .error {
            out.entries[r.scenarioId] = entries[r.scenarioId] ?? Entry(reason: r.judgement?.rawValue ?? r.status.rawValue)
        }
        return out
    }
}
