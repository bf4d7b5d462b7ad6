/// Checks on the protected header that do not depend on the key, applied by ``JWSVerifier``
/// before any signature check.
public struct JWSHeaderPolicy: Sendable, Equatable {
    /// Header parameters that carry or point to key material. A verifier never uses them,
    /// and by default refuses tokens that contain them (``JOSEError/untrustedHeaderKey(_:)``).
    public static let keyCarryingHeaders = ["jwk", "jku", "x5u", "x5c"]

    /// Registered header names, which RFC 7515 §4.1.11 forbids in `crit`.
    public static let registeredHeaders: Set<String> = [
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
    ]

    /// Expected `typ` (e.g. `aip+jwt`), compared case-insensitively with an optional
    /// `application/` prefix ignored on both sides (RFC 7515 §4.1.9). `nil`: not checked.
    public var expectedType: String?
    /// Extension parameters this application understands and may appear in `crit`.
    /// `b64` (RFC 7797) is never supported, even if listed.
    public var understoodCriticalHeaders: Set<String>
    /// Refuse tokens whose header has `jwk`, `jku`, `x5u` or `x5c` (default true).
    public var rejectKeyCarryingHeaders: Bool

    /// A policy; by default no `typ` check, no understood critical extensions, key-carrying headers refused.
    public init(expectedType: String? = nil, understoodCriticalHeaders: Set<String> = [], rejectKeyCarryingHeaders: Bool = true) {
        self.expectedType = expectedType
        self.understoodCriticalHeaders = understoodCriticalHeaders
        self.rejectKeyCarryingHeaders = rejectKeyCarryingHeaders
    }

    /// Applies the policy to a header.
    public func check(_ header: JSONObject) throws {
        if rejectKeyCarryingHeaders {
            for name in Self.keyCarryingHeaders where header.contains(name) {
                throw JOSEError.untrustedHeaderKey(name)
            }
        }
        if let crit = header["crit"] {
            guard case let .array(items) = crit, !items.isEmpty else {
                throw JOSEError.unsupportedCriticalHeader("crit must be a non-empty array")
            }
            for item in items {
                guard case let .string(name) = item else { throw JOSEError.unsupportedCriticalHeader("crit entry is not a string") }
                guard !Self.registeredHeaders.contains(name), name != "b64",
                    understoodCriticalHeaders.contains(name), header.contains(name)
                else { throw JOSEError.unsupportedCriticalHeader(name) }
            }
        }
        if let expectedType {
            let actual: String?
            switch header["typ"] {
            case nil: actual = nil
            case let .string(s)?: actual = s
            case let other?: throw JOSEError.invalidHeader(name: "typ", reason: "expected a string, found \(other.typeName)")
            }
            guard let actual, Self.normalizeType(actual) == Self.normalizeType(expectedType) else {
                throw JOSEError.typeMismatch(expected: expectedType, actual: actual)
            }
        }
    }

    static func normalizeType(_ t: String) -> String {
        let lower = t.lowercased()
        return lower.hasPrefix("application/") ? String(lower.dropFirst("application/".count)) : lower
    }
}
