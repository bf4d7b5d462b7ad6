/// A predicate name compared and hashed by its UTF-8 bytes.
struct EngineName: Hashable {
    let value: String

    init(_ value: String) { self.value = value }

    static func == (lhs: EngineName, rhs: EngineName) -> Bool { lhs.value.utf8.elementsEqual(rhs.value.utf8) }

    func hash(into hasher: inout Hasher) { hasher.combineUTF8(value) }
}

/// One stored fact: its terms and the set of origins that produced it.
struct EngineFactRow: Hashable {
    var origins: OriginSet
    var terms: [Term]
}

/// The facts of one predicate name, in insertion order, without duplicates.
struct EngineRelation {
    var rows: [EngineFactRow] = []
    var index: Set<EngineFactRow> = []

    @discardableResult
    mutating func insert(_ row: EngineFactRow) -> Bool {
        guard index.insert(row).inserted else { return false }
        rows.append(row)
        return true
    }
}

/// Facts indexed by predicate name. A fact produced by different origin sets
/// is stored (and counted) once per origin set, as the reference does.
struct EngineFactStore {
    var relations: [EngineName: EngineRelation] = [:]
    /// Names in first-insertion order (deterministic listing).
    var names: [EngineName] = []
    private(set) var count = 0

    @discardableResult
    mutating func insert(_ name: EngineName, _ row: EngineFactRow) -> Bool {
        if relations[name] == nil {
            relations[name] = EngineRelation()
            names.append(name)
        }
        guard relations[name, default: EngineRelation()].insert(row) else { return false }
        count += 1
        return true
    }

    func contains(_ name: EngineName, _ row: EngineFactRow) -> Bool {
        relations[name]?.index.contains(row) ?? false
    }

    mutating func merge(_ other: EngineFactStore) {
        for name in other.names {
            guard let rel = other.relations[name] else { continue }
            for row in rel.rows { insert(name, row) }
        }
    }
}
