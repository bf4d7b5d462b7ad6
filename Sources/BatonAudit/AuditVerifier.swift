import BatonCrypto
import Foundation

/// Checks an audit log: every line parses, every hash matches its record, every
/// signature is the auditor's, sequences run 0, 1, 2 … and each record names its
/// predecessor's hash. It reports the first record that breaks, and how.
public enum AuditVerifier {
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case unreadable(line: Int, reason: String)
        case edited(line: Int, sequence: Int)
        case badSignature(line: Int, sequence: Int)
        case outOfSequence(line: Int, expected: Int, found: Int)
        case brokenLink(line: Int, sequence: Int)

        public var description: String {
            switch self {
            case let .unreadable(line, reason): return "line \(line): not an audit record (\(reason))"
            case let .edited(line, seq): return "line \(line): record \(seq) was edited (its hash does not match its content)"
            case let .badSignature(line, seq): return "line \(line): record \(seq) is not signed by the auditor"
            case let .outOfSequence(line, expected, found):
                return found > expected
                    ? "line \(line): records \(expected)…\(found - 1) were dropped (found \(found), expected \(expected))"
                    : "line \(line): record \(found) is out of order (expected \(expected))"
            case let .brokenLink(line, seq): return "line \(line): record \(seq) does not follow the record before it (previous hash differs)"
            }
        }
    }

    /// Parses JSON Lines into records, or the first unreadable line.
    public static func parse(_ text: String) -> Result<[AuditRecord], Problem> {
        var records: [AuditRecord] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do { records.append(try JSONDecoder().decode(AuditRecord.self, from: Data(line.utf8))) } catch {
                return .failure(.unreadable(line: i + 1, reason: "\(error)".prefix(120).description))
            }
        }
        return .success(records)
    }

    /// Verifies a log's text; nil when intact.
    public static func verify(_ text: String, auditor: Ed25519.PublicKey) -> Problem? {
        switch parse(text) {
        case let .failure(p): return p
        case let .success(records): return verify(records, auditor: auditor)
        }
    }

    public static func verify(_ records: [AuditRecord], auditor: Ed25519.PublicKey) -> Problem? {
        var previous = AuditRecord.genesis
        for (i, r) in records.enumerated() {
            let line = i + 1
            guard r.computedHash() == r.hash else { return .edited(line: line, sequence: r.sequence) }
            guard let sig = try? Hex.decode(r.signature), auditor.isValidSignature(sig, for: Array(r.hash.utf8)) else {
                return .badSignature(line: line, sequence: r.sequence)
            }
            guard r.sequence == i else { return .outOfSequence(line: line, expected: i, found: r.sequence) }
            guard r.previousHash == previous else { return .brokenLink(line: line, sequence: r.sequence) }
            previous = r.hash
        }
        return nil
    }

    /// "Who authorized this?": the records where `agent` received a call using `action`,
    /// with the chain back to the person at the root.
    /// The records of `agent` performing `action`: receiving a task for it, or calling a tool with it
    /// (a record whose receiver is a tool server, `mcp://…`).
    public static func who(_ records: [AuditRecord], agent: String, action: String) -> [AuditRecord] {
        func named(_ id: String) -> Bool { id == agent || id.hasSuffix("/\(agent)") }
        return records.filter { r in
            r.scope == action && (named(r.receiver) || (r.isToolCall && named(r.caller)))
        }
    }

    /// Excessive agency: per session and caller, the tools an agent was granted by its own chain (the
    /// last hop's scopes, where the caller is that hop's delegate) against the tools it used in accepted calls. Callers that used
    /// every tool they were granted are left out; the broadest grants come first.
    public static func excessiveAgency(_ records: [AuditRecord]) -> [AgencyFinding] {
        var grants: [String: (session: String, caller: String, granted: Set<String>, used: Set<String>)] = [:]
        // Only calls with the caller's own chain count: a token of someone else's grants the caller nothing.
        for r in records where r.isToolCall && r.chain.last?.delegate == r.caller {
            let key = "\(r.session)\u{0}\(r.caller)"
            var entry = grants[key] ?? (r.session, r.caller, [], [])
            entry.granted.formUnion(r.chain.last?.scopes ?? [])
            if r.decision == "accept" { entry.used.insert(r.scope) }
            grants[key] = entry
        }
        return grants.values.compactMap { g in
            let unused = g.granted.subtracting(g.used)
            guard !unused.isEmpty else { return nil }
            return AgencyFinding(session: g.session, caller: g.caller, granted: g.granted.sorted(), used: g.used.sorted(), unused: unused.sorted())
        }.sorted { a, b in
            if a.unused.count != b.unused.count { return a.unused.count > b.unused.count }
            return (a.session, a.caller) < (b.session, b.caller)
        }
    }
}

/// An agent granted more tools than it used (`baton audit excessive-agency`).
public struct AgencyFinding: Hashable, Sendable {
    public var session: String
    public var caller: String
    public var granted: [String]
    public var used: [String]
    public var unused: [String]
}
