import BatonCrypto
import Foundation

/// An append-only, hash-chained, signed audit log, written as JSON Lines.
public struct AuditLog: Sendable {
    public private(set) var records: [AuditRecord] = []
    public let auditorKey: Ed25519.PrivateKey

    public init(auditorKey: Ed25519.PrivateKey = .derived(from: "baton-auditor")) {
        self.auditorKey = auditorKey
    }

    /// Seals a record: sets its sequence and previous hash, hashes and signs it, appends it.
    @discardableResult
    public mutating func append(_ record: AuditRecord) -> AuditRecord {
        var r = record
        r.sequence = records.count
        r.previousHash = records.last?.hash ?? AuditRecord.genesis
        r.hash = r.computedHash()
        r.signature = Hex.encode(auditorKey.signature(for: Array(r.hash.utf8)))
        records.append(r)
        return r
    }

    /// JSON Lines: one record per line, keys sorted.
    public func jsonLines() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return records.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) + "\n" }.joined()
    }
}
