/// A predicate name compared and hashed by its UTF-8 bytes.
struct EngineName: Hashable {
    let value: String

    init(_ value: String) { self.value = value }

    static func == (lhs: EngineName, rhs: EngineName) -> Bool { utf8Equal(lhs.value, rhs.value) }

    func hash(into hasher: inout Hasher) { hasher.combineUTF8(value) }
}

/// One stored fact: its terms and the set of origins that produced it.
struct EngineFactRow: Hashable {
    var origins: OriginSet
    var terms: [Term]
}

/// The facts of one predicate name, in insertion order, without duplicates.
///
/// Small relations (the usual case for authorization) are searched linearly;
/// a hash index is built once a relation outgrows ``linearLimit`` rows.
struct EngineRelation {
    static let linearLimit = 16

    private(set) var rows: [EngineFactRow] = []
    private var index: Set<EngineFactRow>?

    @discardableResult
    mutating func insert(_ row: EngineFactRow) -> Bool {
        if index != nil {
            guard index?.insert(row).inserted == true else { return false }
        } else {
            if rows.contains(row) { return false }
            if rows.count >= EngineRelation.linearLimit {
                var built = Set(rows)
                built.insert(row)
                index = built
            }
        }
        rows.append(row)
        return true
    }

    func contains(_ row: EngineFactRow) -> Bool {
        if let index { return index.contains(row) }
        return rows.contains(row)
    }
}

/// Facts indexed by predicate name. A fact produced by different origin sets
/// is stored (and counted) once per origin set, as the reference does.
struct EngineFactStore {
    /// Relations in first-insertion order of their names.
    private var storage: [EngineRelation] = []
    /// Names in first-insertion order (deterministic listing); `names[i]` owns `storage[i]`.
    private(set) var names: [EngineName] = []
    /// Position of each name in `names`, built once there are too many names for a linear search.
    private var positions: [EngineName: Int]?
    private static let linearLimit = 16
    private(set) var count = 0

    private func position(of name: EngineName) -> Int? {
        if let positions { return positions[name] }
        return names.firstIndex(of: name)
    }

    /// The facts named `name`, if any was inserted.
    func relation(_ name: EngineName) -> EngineRelation? {
        guard let i = position(of: name) else { return nil }
        return storage[i]
    }

    @discardableResult
    mutating func insert(_ name: EngineName, _ row: EngineFactRow) -> Bool {
        let i: Int
        if let known = position(of: name) {
            i = known
        } else {
            i = storage.count
            names.append(name)
            storage.append(EngineRelation())
            if positions != nil {
                positions?[name] = i
            } else if names.count > EngineFactStore.linearLimit {
                var built: [EngineName: Int] = [:]
                for (j, n) in names.enumerated() { built[n] = j }
                positions = built
            }
        }
        guard storage[i].insert(row) else { return false }
        count += 1
        return true
    }

    func contains(_ name: EngineName, _ row: EngineFactRow) -> Bool {
        relation(name)?.contains(row) ?? false
    }

    mutating func merge(_ other: EngineFactStore) {
        for (name, rel) in zip(other.names, other.storage) {
            for row in rel.rows { insert(name, row) }
        }
    }
}
