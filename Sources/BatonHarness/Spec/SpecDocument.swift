import BatonModel

/// A specification Baton judges, pinned to the version its clauses were read from.
public struct SpecDocument: Hashable, Sendable {
    /// Its id, the first part of every clause id (`aip-verification`).
    public var id: String
    public var title: String
    /// The version read (`0.2.0-draft (2026-08-19)`, `RFC 8693 (January 2020)`).
    public var version: String
    /// Where that version is published.
    public var source: String
    /// How the clauses were read, where it matters (a fact sheet rather than a normative text …).
    public var note: String?
    /// The profiles its clauses apply to unless a clause names its own.
    public var profiles: [TokenProfile]
    /// Its clauses, in the document's order.
    public var clauses: [SpecClause]

    public init(
        id: String, title: String, version: String, source: String, note: String? = nil, profiles: [TokenProfile], clauses: [SpecClause]
    ) {
        self.id = id
        self.title = title
        self.version = version
        self.source = source
        self.note = note
        self.profiles = profiles
        self.clauses = clauses
    }
}
