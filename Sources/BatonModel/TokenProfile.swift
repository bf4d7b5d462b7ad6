/// A token profile: one design of delegation tokens that Baton judges (`aip-chained`,
/// `aip-compact`, `token-exchange` …). Each profile is run by one driver
/// (`BatonHarness.ProfileDriver`); the profile's folder declares its constant:
///
///     extension TokenProfile { public static let aipChained = TokenProfile("aip-chained") }
///
/// An open set of typed names rather than an enum, so that a new profile is one folder and
/// one registration line, not an edit of every switch. On the wire (testee protocol,
/// reports) it is the bare name.
public struct TokenProfile: StringName {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { rawValue = name }

}

/// An optional capability an implementation declares in its handshake. Unknown names that a
/// testee declares are kept (and ignored), so a newer testee still talks to an older Baton.
public struct ImplementationOption: StringName {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Honours the `now` of every request (scenarios that move the clock need it).
    public static let clock = ImplementationOption(rawValue: "clock")
    /// Signs and checks delegation blocks with the delegator's key (a Baton extension of AIP).
    public static let signedDelegation = ImplementationOption(rawValue: "signed_delegation")
    /// Resolves identities through the identity documents a request carries.
    public static let registry = ImplementationOption(rawValue: "registry")
    /// Consults the revocation status a request carries.
    public static let revocation = ImplementationOption(rawValue: "revocation")

}

/// Baton's version, reported in handshakes and reports.
public enum BatonVersion {
    public static let current = "0.1.0"
}

/// A typed name from an open set (profiles, options): compared, printed and encoded as its bare
/// string (the standard library's `Codable` for string raw values).
public protocol StringName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible where RawValue == String {}

extension StringName {
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
