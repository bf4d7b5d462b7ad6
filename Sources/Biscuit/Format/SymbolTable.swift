/// Biscuit's symbol interning: strings (and variable names) are stored once per
/// token and referred to by index. Indices below 1024 name the fixed default
/// symbols; index 1024 + i names the i-th symbol added by the token's blocks.
///
/// Symbols are compared by their UTF-8 bytes, so two strings that Swift would
/// consider canonically equivalent still get distinct indices.
public struct SymbolTable: Sendable {
    /// The fixed symbols every table starts with, in index order.
    public static let defaultSymbols: [String] = [
        "read", "write", "resource", "operation", "right", "time", "role", "owner", "tenant",
        "namespace", "user", "team", "service", "admin", "email", "group", "member", "ip_address",
        "client", "client_ip", "domain", "path", "version", "cluster", "node", "hostname", "nonce",
        "query",
    ]
    /// The first index of non-default symbols.
    public static let offset: UInt64 = 1024

    private static let defaultIndex: [UTF8Key: UInt64] = {
        var index: [UTF8Key: UInt64] = [:]
        for (i, s) in defaultSymbols.enumerated() { index[UTF8Key(s)] = UInt64(i) }
        return index
    }()

    /// Symbols beyond the defaults, in index order.
    public private(set) var symbols: [String] = []
    /// Hash index of `symbols`, built once the table outgrows a linear search
    /// (tokens usually define a few dozen symbols).
    private var index: [UTF8Key: UInt64]?
    private static let linearLimit = 32
    /// Bit `n` is set when some default symbol is `n` bytes long.
    private static let defaultLengths: UInt64 = defaultSymbols.reduce(0) { $0 | (1 << UInt64($1.utf8.count)) }

    /// A table holding only the default symbols.
    public init() {}

    /// A table holding the given non-default symbols. Fails if a symbol is a
    /// default symbol or appears twice.
    public init(symbols: [String]) throws(BiscuitError) {
        try append(contentsOf: symbols)
    }

    /// Adds a block's symbol list; it must be disjoint from the defaults and from what is already there.
    public mutating func append(contentsOf list: [String]) throws(BiscuitError) {
        symbols.reserveCapacity(symbols.count + list.count)
        for s in list {
            if SymbolTable.defaultPosition(of: s) != nil || position(of: s) != nil {
                throw .format(.symbolTableOverlap(s))
            }
            add(s)
        }
    }

    /// The index of a symbol, adding it if new.
    public mutating func insert(_ s: String) -> UInt64 {
        if let i = SymbolTable.defaultPosition(of: s) ?? position(of: s) { return i }
        return add(s)
    }

    private static func defaultPosition(of s: String) -> UInt64? {
        let n = s.utf8.count
        guard n < 64, defaultLengths & (1 << UInt64(n)) != 0 else { return nil }
        return defaultIndex[UTF8Key(s)]
    }

    private func position(of s: String) -> UInt64? {
        if let index { return index[UTF8Key(s)] }
        for (i, t) in symbols.enumerated() where utf8Equal(t, s) { return SymbolTable.offset + UInt64(i) }
        return nil
    }

    @discardableResult
    private mutating func add(_ s: String) -> UInt64 {
        let i = SymbolTable.offset + UInt64(symbols.count)
        symbols.append(s)
        if index != nil {
            index?[UTF8Key(s)] = i
        } else if symbols.count > SymbolTable.linearLimit {
            var built: [UTF8Key: UInt64] = [:]
            built.reserveCapacity(symbols.count * 2)
            for (j, t) in symbols.enumerated() { built[UTF8Key(t)] = SymbolTable.offset + UInt64(j) }
            index = built
        }
        return i
    }

    /// The string at an index.
    public func symbol(at i: UInt64) throws(BiscuitError) -> String {
        if i < SymbolTable.offset {
            guard i < UInt64(SymbolTable.defaultSymbols.count) else { throw .format(.unknownSymbol(i)) }
            return SymbolTable.defaultSymbols[Int(i)]
        }
        let j = i - SymbolTable.offset
        guard j < UInt64(symbols.count) else { throw .format(.unknownSymbol(i)) }
        return symbols[Int(j)]
    }

    /// Symbols added since the table had `count` non-default symbols.
    public func symbols(since count: Int) -> [String] { Array(symbols[count...]) }
}

/// A table of public keys referred to by index from `trusting` scopes.
public struct PublicKeyTable: Sendable {
    /// The keys, in index order.
    public private(set) var keys: [BiscuitPublicKey] = []

    /// An empty table.
    public init() {}

    /// Adds a block's key list; keys must be new.
    public mutating func append(contentsOf list: [BiscuitPublicKey]) throws(BiscuitError) {
        for k in list {
            if keys.contains(k) { throw .format(.publicKeyTableOverlap) }
            keys.append(k)
        }
    }

    /// The index of `key`, adding it if it is new.
    public mutating func insert(_ key: BiscuitPublicKey) -> Int64 {
        if let i = keys.firstIndex(of: key) { return Int64(i) }
        keys.append(key)
        return Int64(keys.count - 1)
    }

    /// The key at index `i`; throws ``FormatError/unknownPublicKey(_:)`` if there is none.
    public func key(at i: Int64) throws(BiscuitError) -> BiscuitPublicKey {
        guard i >= 0, i < Int64(keys.count) else { throw .format(.unknownPublicKey(i)) }
        return keys[Int(i)]
    }
}
