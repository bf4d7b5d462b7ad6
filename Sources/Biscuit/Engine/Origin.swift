/// Where a fact or rule comes from: a token block (0 is the authority block)
/// or the authorizer.
public struct Origin: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The block index, or `Int.max` for the authorizer.
    public let index: Int

    /// The authorizer's origin.
    public static let authorizer = Origin(index: .max)

    /// The origin of token block `index` (0 is the authority block). Negative
    /// indices are clamped to 0.
    public static func block(_ index: Int) -> Origin { Origin(index: max(0, index)) }

    private init(index: Int) { self.index = index }

    /// Whether this is the authorizer's origin.
    public var isAuthorizer: Bool { index == .max }

    /// Orders by block index; the authorizer comes last.
    public static func < (lhs: Origin, rhs: Origin) -> Bool { lhs.index < rhs.index }

    /// `authorizer` or the block index, as the reference prints origins.
    public var description: String { isAuthorizer ? "authorizer" : String(index) }
}

/// A set of origins, as a compact bitset: blocks 0...62 and the authorizer
/// live in one machine word, further blocks in an overflow array that stays
/// empty (and unallocated) for ordinary tokens.
public struct OriginSet: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bit 63: the authorizer; bits 0...62: blocks 0...62.
    private var low: UInt64
    /// Word `i` holds blocks `63 + 64*i ...`; never has trailing zero words.
    private var high: [UInt64]

    private static let authorizerBit: UInt64 = 1 << 63

    /// The empty set.
    public init() { low = 0; high = [] }

    /// A set holding the given origins.
    public init<S: Sequence>(_ origins: S) where S.Element == Origin {
        self.init()
        for o in origins { insert(o) }
    }

    /// A set holding one origin.
    public init(_ origin: Origin) {
        self.init()
        insert(origin)
    }

    /// Whether the set holds no origin.
    public var isEmpty: Bool { low == 0 && high.isEmpty }

    /// The number of origins in the set.
    public var count: Int { low.nonzeroBitCount + high.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Adds an origin.
    public mutating func insert(_ origin: Origin) {
        if origin.isAuthorizer { low |= Self.authorizerBit; return }
        let i = origin.index
        if i < 63 { low |= 1 << UInt64(i); return }
        let word = (i - 63) / 64, bit = (i - 63) % 64
        if high.count <= word { high.append(contentsOf: repeatElement(0, count: word + 1 - high.count)) }
        high[word] |= 1 << UInt64(bit)
    }

    /// Inserts blocks `range` (clamped to non-negative indices).
    public mutating func insertBlocks(_ range: ClosedRange<Int>) {
        guard range.upperBound >= 0 else { return }
        let lo = max(0, range.lowerBound)
        // Fast path for the first word.
        let lowTop = min(range.upperBound, 62)
        if lo <= lowTop {
            let width = UInt64(lowTop - lo + 1)
            let mask: UInt64 = width >= 64 ? ~0 : ((1 << width) - 1)
            low |= (mask << UInt64(lo)) & ~Self.authorizerBit
        }
        if range.upperBound >= 63 {
            for i in max(lo, 63)...range.upperBound { insert(.block(i)) }
        }
    }

    /// Whether the set holds `origin`.
    public func contains(_ origin: Origin) -> Bool {
        if origin.isAuthorizer { return low & Self.authorizerBit != 0 }
        let i = origin.index
        if i < 63 { return low & (1 << UInt64(i)) != 0 }
        let word = (i - 63) / 64, bit = (i - 63) % 64
        return word < high.count && high[word] & (1 << UInt64(bit)) != 0
    }

    /// The origins of both sets.
    public func union(_ other: OriginSet) -> OriginSet {
        if high.isEmpty && other.high.isEmpty {
            var r = OriginSet()
            r.low = low | other.low
            return r
        }
        var r = self
        r.formUnion(other)
        return r
    }

    /// Adds the origins of `other`.
    public mutating func formUnion(_ other: OriginSet) {
        low |= other.low
        if other.high.isEmpty { return }
        if high.count < other.high.count {
            high.append(contentsOf: repeatElement(0, count: other.high.count - high.count))
        }
        for (i, w) in other.high.enumerated() { high[i] |= w }
    }

    /// True when every origin of `self` is in `other`.
    @inline(__always)
    public func isSubset(of other: OriginSet) -> Bool {
        if low & ~other.low != 0 { return false }
        if high.isEmpty { return true }
        if high.count > other.high.count { return false }
        for (i, w) in high.enumerated() where w & ~other.high[i] != 0 { return false }
        return true
    }

    /// The origins in ascending order (blocks, then the authorizer).
    public var origins: [Origin] {
        var result: [Origin] = []
        var w = low & ~Self.authorizerBit
        while w != 0 {
            let b = w.trailingZeroBitCount
            result.append(.block(b))
            w &= w - 1
        }
        for (i, word) in high.enumerated() {
            var w = word
            while w != 0 {
                let b = w.trailingZeroBitCount
                result.append(.block(63 + 64 * i + b))
                w &= w - 1
            }
        }
        if low & Self.authorizerBit != 0 { result.append(.authorizer) }
        return result
    }

    /// Lexicographic order over the ascending origins (the reference's `BTreeSet` order).
    public static func < (lhs: OriginSet, rhs: OriginSet) -> Bool {
        lhs.origins.lexicographicallyPrecedes(rhs.origins)
    }

    /// Comma-separated origins, e.g. `0, 1, authorizer`.
    public var description: String { origins.map(\.description).joined(separator: ", ") }
}
