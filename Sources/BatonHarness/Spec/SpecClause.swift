import BatonModel

/// One normative clause of a specification Baton judges: what it requires, how strongly, where
/// it is written, and the token profiles whose implementations it binds.
public struct SpecClause: Hashable, Sendable {
    public var id: SpecClauseID
    /// What the clause requires, in one line.
    public var title: String
    public var level: RequirementLevel
    /// Where the document says it (`§5`, `§4.3 item 8`).
    public var section: String
    /// The profiles it applies to (the document's unless the clause names its own).
    public var profiles: [TokenProfile]

    public init(id: SpecClauseID, title: String, level: RequirementLevel, section: String, profiles: [TokenProfile]) {
        self.id = id
        self.title = title
        self.level = level
        self.section = section
        self.profiles = profiles
    }
}
