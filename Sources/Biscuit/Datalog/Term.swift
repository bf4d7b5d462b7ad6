/// A Datalog value or variable, as it appears in facts, rules and expressions.
///
/// Strings are compared, hashed and ordered by their UTF-8 bytes (as the
/// Rust reference does), never by Swift's Unicode canonical equivalence: two
/// strings that render alike but differ in bytes are different terms.
public enum Term: Sendable {
    /// A variable, `$name` in the text syntax (rules only).
    case variable(String)
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A string.
    case string(String)
    /// Seconds since the Unix epoch.
    case date(UInt64)
    /// A byte string, `hex:…` in the text syntax.
    case bytes([UInt8])
    /// A Boolean.
    case bool(Bool)
    /// A set of terms (no variables, no nested sets).
    case set(TermSet)
    /// `null` (Datalog 3.3).
    case null
    /// An array (Datalog 3.3).
    case array([Term])
    /// A map (Datalog 3.3).
    case map(TermMap)

    /// Rank of each case in the reference implementation's ordering of terms.
    var rank: Int {
        switch self {
        case .variable: return 0
        case .integer: return 1
        case .string: return 2
        case .date: return 3
        case .bytes: return 4
        case .bool: return 5
        case .set: return 6
        case .null: return 7
        case .array: return 8
        case .map: return 9
        }
    }

    /// True when the term contains no variable (facts may only hold ground terms).
    public var isGround: Bool {
        switch self {
        case .variable: return false
        case let .set(s): return s.elements.allSatisfy(\.isGround)
        case let .array(a): return a.allSatisfy(\.isGround)
        case let .map(m): return m.entries.allSatisfy { $0.value.isGround }
        default: return true
        }
    }

    /// The name `.type()` returns for this term.
    public var typeName: String {
        switch self {
        case .variable: return "variable"
        case .integer: return "integer"
        case .string: return "string"
        case .date: return "date"
        case .bytes: return "bytes"
        case .bool: return "bool"
        case .set: return "set"
        case .null: return "null"
        case .array: return "array"
        case .map: return "map"
        }
    }
}

extension Term: Hashable {
    /// Equal case and value; strings compare by UTF-8 bytes.
    public static func == (lhs: Term, rhs: Term) -> Bool {
        switch (lhs, rhs) {
        case let (.variable(a), .variable(b)): return a.utf8.elementsEqual(b.utf8)
        case let (.integer(a), .integer(b)): return a == b
        case let (.string(a), .string(b)): return a.utf8.elementsEqual(b.utf8)
        case let (.date(a), .date(b)): return a == b
        case let (.bytes(a), .bytes(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.set(a), .set(b)): return a == b
        case (.null, .null): return true
        case let (.array(a), .array(b)): return a == b
        case let (.map(a), .map(b)): return a == b
        default: return false
        }
    }

    /// Hashes the case's value; strings by UTF-8 bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rank)
        switch self {
        case let .variable(s), let .string(s): hasher.combineUTF8(s)
        case let .integer(i): hasher.combine(i)
        case let .date(d): hasher.combine(d)
        case let .bytes(b): hasher.combine(b)
        case let .bool(b): hasher.combine(b)
        case let .set(s): hasher.combine(s)
        case .null: break
        case let .array(a): hasher.combine(a)
        case let .map(m): hasher.combine(m)
        }
    }
}

extension Term: Comparable {
    /// The reference ordering: by case rank, then by value (strings and
    /// bytes lexicographically by byte, collections element-wise).
    public static func < (lhs: Term, rhs: Term) -> Bool {
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        switch (lhs, rhs) {
        case let (.variable(a), .variable(b)), let (.string(a), .string(b)):
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        case let (.integer(a), .integer(b)): return a < b
        case let (.date(a), .date(b)): return a < b
        case let (.bytes(a), .bytes(b)): return a.lexicographicallyPrecedes(b)
        case let (.bool(a), .bool(b)): return !a && b
        case let (.set(a), .set(b)): return a.elements.lexicographicallyPrecedes(b.elements)
        case let (.array(a), .array(b)): return a.lexicographicallyPrecedes(b)
        case let (.map(a), .map(b)): return a < b
        default: return false
        }
    }
}

extension Hasher {
    /// Hashes a string by its UTF-8 bytes.
    mutating func combineUTF8(_ s: String) {
        var s = s
        s.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// An ordered set of terms without duplicates (ordered as the reference prints them).
public struct TermSet: Hashable, Sendable {
    /// Sorted, duplicate-free elements.
    public private(set) var elements: [Term]

    /// A set of the given terms, sorted, duplicates removed.
    public init<S: Sequence>(_ terms: S) where S.Element == Term {
        var sorted = terms.sorted()
        var i = 1
        while i < sorted.count {
            if sorted[i] == sorted[i - 1] { sorted.remove(at: i) } else { i += 1 }
        }
        elements = sorted
    }

    /// The number of elements.
    public var count: Int { elements.count }
    /// Whether the set is empty.
    public var isEmpty: Bool { elements.isEmpty }

    /// Whether `term` is an element.
    public func contains(_ term: Term) -> Bool {
        // Binary search over the sorted elements.
        var lo = 0, hi = elements.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if elements[mid] == term { return true }
            if elements[mid] < term { lo = mid + 1 } else { hi = mid }
        }
        return false
    }

    /// Whether every element of `other` is in this set.
    public func isSuperset(of other: TermSet) -> Bool { other.elements.allSatisfy(contains) }
    /// The elements in both sets.
    public func intersection(_ other: TermSet) -> TermSet { TermSet(elements.filter(other.contains)) }
    /// The elements in either set.
    public func union(_ other: TermSet) -> TermSet { TermSet(elements + other.elements) }
}

/// A map key: an integer or a string.
public enum MapKey: Hashable, Comparable, Sendable {
    /// An integer key.
    case integer(Int64)
    /// A string key.
    case string(String)

    /// Equal case and value; strings compare by UTF-8 bytes.
    public static func == (lhs: MapKey, rhs: MapKey) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(a), .integer(b)): return a == b
        case let (.string(a), .string(b)): return a.utf8.elementsEqual(b.utf8)
        default: return false
        }
    }

    /// Hashes the case and value; strings by UTF-8 bytes.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case let .integer(i): hasher.combine(0); hasher.combine(i)
        case let .string(s): hasher.combine(1); hasher.combineUTF8(s)
        }
    }

    /// Integers before strings; strings by UTF-8 bytes.
    public static func < (lhs: MapKey, rhs: MapKey) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(a), .integer(b)): return a < b
        case let (.string(a), .string(b)): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.integer, .string): return true
        case (.string, .integer): return false
        }
    }

    /// The key as a term.
    public var term: Term {
        switch self {
        case let .integer(i): return .integer(i)
        case let .string(s): return .string(s)
        }
    }
}

/// A map from keys to terms, ordered by key; a later entry for a key replaces an earlier one.
public struct TermMap: Hashable, Comparable, Sendable {
    /// One key–value pair.
    public struct Entry: Hashable, Sendable {
        /// The key.
        public var key: MapKey
        /// The value.
        public var value: Term
        /// A pair.
        public init(key: MapKey, value: Term) { self.key = key; self.value = value }
    }

    /// Entries sorted by key, one per key.
    public private(set) var entries: [Entry]

    /// A map of the given pairs, sorted by key; a later duplicate key wins.
    public init<S: Sequence>(_ pairs: S) where S.Element == (MapKey, Term) {
        var byKey: [MapKey: Term] = [:]
        for (k, v) in pairs { byKey[k] = v }
        entries = byKey.map { Entry(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The value for `key`, if present.
    public subscript(key: MapKey) -> Term? {
        entries.first(where: { $0.key == key })?.value
    }

    /// Element-wise by sorted entries, as the reference orders maps.
    public static func < (lhs: TermMap, rhs: TermMap) -> Bool {
        for (a, b) in zip(lhs.entries, rhs.entries) {
            if a.key != b.key { return a.key < b.key }
            if a.value != b.value { return a.value < b.value }
        }
        return lhs.entries.count < rhs.entries.count
    }
}
