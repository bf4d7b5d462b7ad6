import AIP
import JOSE

/// The claims of an AIP compact token (draft-prakash-aip-01, aip-tokens §3): a one-hop
/// grant from `iss` to `sub`.
///
/// Decoding is strict and fails with an ``AIPError``: every claim must have its exact JSON
/// type (no coercion of `"2"`, `1.0` or `true` into integers), identifiers must be AIP
/// identifiers, `scope` must be a non-empty array of non-empty strings, `max_depth` an
/// integer ≥ 0 and `budget_usd` a finite number ≥ 0. A negative budget is
/// `aip_budget_exceeded` (as a negative ceiling is in the chained profile); every other
/// defect is `aip_token_malformed`. Unknown claims are ignored.
public struct CompactClaims: Hashable, Sendable {
    /// Claim names, as they appear on the wire.
    public enum Name {
        public static let iss = "iss"
        public static let sub = "sub"
        public static let scope = "scope"
        public static let budgetUSD = "budget_usd"
        public static let maxDepth = "max_depth"
        public static let iat = "iat"
        public static let exp = "exp"
        public static let nbf = "nbf"
    }

    /// The issuer's AIP identifier.
    public var iss: String
    /// The holder's AIP identifier: the agent the token is granted to.
    public var sub: String
    /// Granted scopes (at least one), e.g. `tool:search`, `tool:*`.
    public var scope: [String]
    /// Per-token spending ceiling in US dollars; `nil`: no ceiling stated.
    public var budgetUSD: Double?
    /// Further delegation depth allowed to the holder; `0`: the holder must not delegate.
    public var maxDepth: Int64
    /// Issued at, seconds since the epoch.
    public var iat: Int64
    /// Expires at, seconds since the epoch.
    public var exp: Int64

    public init(iss: String, sub: String, scope: [String], budgetUSD: Double? = nil, maxDepth: Int64 = 0, iat: Int64, exp: Int64) {
        self.iss = iss
        self.sub = sub
        self.scope = scope
        self.budgetUSD = budgetUSD
        self.maxDepth = maxDepth
        self.iat = iat
        self.exp = exp
    }

    // MARK: Encoding

    /// The claims as a JSON object; `budget_usd` is omitted when `nil`.
    public var jsonObject: JSONObject {
        var o = JSONObject()
        o[Name.iss] = .string(iss)
        o[Name.sub] = .string(sub)
        o[Name.scope] = .array(scope.map { .string($0) })
        if let budgetUSD { o[Name.budgetUSD] = .double(budgetUSD) }
        o[Name.maxDepth] = .int(maxDepth)
        o[Name.iat] = .int(iat)
        o[Name.exp] = .int(exp)
        return o
    }

    // MARK: Decoding

    /// Decodes the claims of a JWT strictly (see the type's documentation).
    public init(_ claims: JWTClaims) throws(AIPError) {
        try self.init(json: claims.object)
    }

    /// Decodes a claims object strictly, checking claims in this order: `iss`, `sub`,
    /// `scope`, `max_depth`, `budget_usd`, `iat`, `exp`. The first defect is reported.
    ///
    /// `budget_usd: null` counts as absent: the reference Python package writes it for
    /// tokens without a budget.
    public init(json o: JSONObject) throws(AIPError) {
        try self.init(json: o, reading: .strict)
    }

    /// How claims are read: strictly, or with one rule loosened (the flawed-verifier gallery only).
    enum Reading: Sendable {
        /// Exact JSON types and valid values (the reference).
        case strict
        /// Coerces types as a permissive decoder would: numeric strings, fractions and booleans
        /// as integers, a space-separated string as a scope list, a numeric string as a budget.
        /// Values are still checked.
        case coerceTypes
        /// Exact JSON types, but no value is checked: identifiers, empty scopes, negative numbers pass.
        case skipValues
    }

    /// Decodes a claims object under `reading` (``Reading/strict`` is ``init(json:)``).
    init(json o: JSONObject, reading: Reading) throws(AIPError) {
        let iss = try Self.identifier(o, Name.iss, reading)
        let sub = try Self.identifier(o, Name.sub, reading)
        let scope = try Self.scopes(o, reading)
        let maxDepth = try Self.requiredInteger(o, Name.maxDepth, reading)
        guard maxDepth >= 0 || reading == .skipValues else {
            throw Self.malformed("claim \"max_depth\" must not be negative (\(maxDepth))")
        }
        let budget = try Self.budget(o, reading)
        let iat = try Self.requiredInteger(o, Name.iat, reading)
        let exp = try Self.requiredInteger(o, Name.exp, reading)
        self.init(iss: iss, sub: sub, scope: scope, budgetUSD: budget, maxDepth: maxDepth, iat: iat, exp: exp)
    }

    /// The optional `nbf` claim (not an AIP claim, but honoured when present): an integer or absent.
    public static func notBefore(in o: JSONObject) throws(AIPError) -> Int64? {
        try notBefore(in: o, reading: .strict)
    }

    /// The optional `nbf` claim under `reading`.
    static func notBefore(in o: JSONObject, reading: Reading) throws(AIPError) -> Int64? {
        guard o.contains(Name.nbf) else { return nil }
        return try requiredInteger(o, Name.nbf, reading)
    }

    /// Checks the values (not the types) every compact token must satisfy: AIP identifiers,
    /// a non-empty scope list without empty entries, `max_depth` ≥ 0, a finite budget ≥ 0.
    /// Does not compare `exp` with `iat` or with any clock.
    public func validateValues() throws(AIPError) {
        guard AIPIdentifier(iss) != nil else { throw Self.malformed("claim \"iss\" '\(iss)' is not an AIP identifier") }
        guard AIPIdentifier(sub) != nil else { throw Self.malformed("claim \"sub\" '\(sub)' is not an AIP identifier") }
        guard !scope.isEmpty else { throw Self.malformed("claim \"scope\" must list at least one scope") }
        if let i = scope.firstIndex(where: \.isEmpty) { throw Self.malformed("claim \"scope\" entry \(i) is empty") }
        guard maxDepth >= 0 else { throw Self.malformed("claim \"max_depth\" must not be negative (\(maxDepth))") }
        if let b = budgetUSD {
            guard b.isFinite else { throw Self.malformed("claim \"budget_usd\" must be a finite number") }
            guard b >= 0 else { throw AIPError(.budgetExceeded, step: .v4, "claim \"budget_usd\" must not be negative (\(b))") }
        }
    }

    /// The granted scopes as a ``ScopeSet``: with `patterns` (the Standard profile, as the
    /// chained issuer writes by default) `p*` is a prefix and `*` any scope; otherwise exact names.
    public func scopeSet(patterns: Bool = true) -> ScopeSet { ScopeSet(scopes: scope, patterns: patterns) }

    // MARK: Helpers

    static func malformed(_ message: String) -> AIPError { AIPError(.tokenMalformed, step: .v4, message) }

    private static func describe(_ v: JSONValue) -> String {
        switch v {
        case let .double(d): return "the non-integer number \(d)"
        case .int: return "an integer"
        case .null: return "null"
        default: return "a \(v.typeName)"
        }
    }

    private static func identifier(_ o: JSONObject, _ name: String, _ reading: Reading) throws(AIPError) -> String {
        guard let v = o[name] else { throw malformed("claim \"\(name)\" is missing") }
        guard case let .string(s) = v else { throw malformed("claim \"\(name)\" must be a string, found \(describe(v))") }
        guard AIPIdentifier(s) != nil || reading == .skipValues else {
            throw malformed("claim \"\(name)\" '\(s)' is not an AIP identifier")
        }
        return s
    }

    private static func scopes(_ o: JSONObject, _ reading: Reading) throws(AIPError) -> [String] {
        guard let v = o[Name.scope] else { throw malformed("claim \"scope\" is missing") }
        let items: [JSONValue]
        switch v {
        case let .array(a): items = a
        case let .string(s) where reading == .coerceTypes: items = s.split(separator: " ").map { .string(String($0)) }
        default: throw malformed("claim \"scope\" must be an array of strings, found \(describe(v))")
        }
        guard !items.isEmpty || reading == .skipValues else { throw malformed("claim \"scope\" must list at least one scope") }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else {
                throw malformed("claim \"scope\" entry \(i) must be a string, found \(describe(item))")
            }
            guard !s.isEmpty || reading == .skipValues else { throw malformed("claim \"scope\" entry \(i) is empty") }
            out.append(s)
        }
        return out
    }

    static func requiredInteger(_ o: JSONObject, _ name: String, _ reading: Reading = .strict) throws(AIPError) -> Int64 {
        guard let v = o[name] else { throw malformed("claim \"\(name)\" is missing") }
        if case let .int(i) = v { return i }
        if reading == .coerceTypes, let i = coercedInteger(v) { return i }
        throw malformed("claim \"\(name)\" must be an integer, found \(describe(v))")
    }

    /// What a permissive decoder makes of a non-integer: a numeric string or a finite
    /// number truncated toward zero, a boolean as 0 or 1.
    private static func coercedInteger(_ v: JSONValue) -> Int64? {
        let number: Double
        switch v {
        case let .double(d): number = d
        case let .string(s):
            if let i = Int64(s.trimmingSpaces) { return i }
            guard let d = Double(s.trimmingSpaces) else { return nil }
            number = d
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
        guard number.isFinite, number > -9.2e18, number < 9.2e18 else { return nil }
        return Int64(number.rounded(.towardZero))
    }

    private static func budget(_ o: JSONObject, _ reading: Reading) throws(AIPError) -> Double? {
        let value: Double
        switch o[Name.budgetUSD] {
        case nil, .null?: return nil
        case let .int(i)?: value = Double(i)
        case let .double(d)?: value = d
        case let other?:
            guard reading == .coerceTypes, case let .string(s) = other, let d = Double(s.trimmingSpaces) else {
                throw malformed("claim \"budget_usd\" must be a number, found \(describe(other))")
            }
            value = d
        }
        guard reading != .skipValues else { return value }
        guard value.isFinite else { throw malformed("claim \"budget_usd\" must be a finite number") }
        guard value >= 0 else { throw AIPError(.budgetExceeded, step: .v4, "claim \"budget_usd\" must not be negative (\(value))") }
        return value
    }
}

extension String {
    /// The string without leading and trailing spaces (as lenient number parsers skip them).
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
