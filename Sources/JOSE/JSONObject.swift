/// A JSON object that remembers the order in which members were inserted.
///
/// Member names are unique (the strict parser rejects duplicates). Equality and
/// hashing ignore member order, since the canonical serializer sorts names anyway.
/// Note that Swift `String` equality is Unicode canonical equivalence, so two names
/// that differ only in normalization count as the same member (and are reported as
/// duplicates by the parser).
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// Member names in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    /// An empty object.
    public init() {}

    /// Builds an object from ordered pairs; a later duplicate name replaces the earlier value.
    public init(_ pairs: [(String, JSONValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    /// Builds an object from a dictionary literal, keeping the order of the literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }

    /// Number of members.
    public var count: Int { keys.count }
    /// Whether the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// Reads, replaces, appends or (with `nil`) removes a member.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Whether a member with this name exists.
    public func contains(_ key: String) -> Bool { storage[key] != nil }

    /// Inserts a member, reporting whether the name was new (used by the parser).
    @discardableResult
    mutating func insertNew(_ key: String, _ value: JSONValue) -> Bool {
        guard storage[key] == nil else { return false }
        storage[key] = value
        keys.append(key)
        return true
    }

    /// Members in insertion order.
    public var entries: [(key: String, value: JSONValue)] {
        keys.compactMap { k in storage[k].map { (k, $0) } }
    }

    /// Iterates over the members in insertion order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> {
        entries.makeIterator()
    }

    /// Whether both objects have the same members with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }
    /// Hashes the members without regard to their order.
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }

    // MARK: Typed accessors

    /// The member as a string, `nil` if absent; throws if present with another type.
    public func string(_ key: String) throws -> String? {
        guard let v = storage[key] else { return nil }
        guard case let .string(s) = v else { throw JOSEError.invalidClaim(name: key, reason: "expected a string") }
        return s
    }

    /// The member as an exact integer, `nil` if absent; throws if present with another type.
    public func int(_ key: String) throws -> Int64? {
        guard let v = storage[key] else { return nil }
        guard case let .int(i) = v else { throw JOSEError.invalidClaim(name: key, reason: "expected an integer") }
        return i
    }

    /// The member as an object, `nil` if absent; throws if present with another type.
    public func object(_ key: String) throws -> JSONObject? {
        guard let v = storage[key] else { return nil }
        guard case let .object(o) = v else { throw JOSEError.invalidClaim(name: key, reason: "expected an object") }
        return o
    }

    /// The member as an array of strings, `nil` if absent; throws if present with another type.
    public func stringArray(_ key: String) throws -> [String]? {
        guard let v = storage[key] else { return nil }
        guard case let .array(items) = v else { throw JOSEError.invalidClaim(name: key, reason: "expected an array of strings") }
        return try items.map {
            guard case let .string(s) = $0 else { throw JOSEError.invalidClaim(name: key, reason: "expected an array of strings") }
            return s
        }
    }
}
