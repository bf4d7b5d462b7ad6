import BatonCrypto

/// An AIP identifier (draft-prakash-aip-01 core §2): `aip:web:<domain>/<path>` or
/// `aip:key:ed25519:z<base58btc of the 32-byte key>`.
public enum AIPIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// `aip:web:<domain>/<path>`: resolved through a published identity document.
    case web(domain: String, path: String)
    /// `aip:key:ed25519:z…`: the key itself.
    case key(Ed25519.PublicKey)

    /// Parses and validates against the ABNF; nil for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("aip:web:") {
            let rest = text.dropFirst("aip:web:".count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            let domain = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            guard !domain.isEmpty, domain.unicodeScalars.allSatisfy(AIPIdentifier.isDomainCharacter) else { return nil }
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(AIPIdentifier.isSegmentCharacter) }) else {
                return nil
            }
            self = .web(domain: String(domain), path: String(path))
        } else if text.hasPrefix("aip:key:ed25519:z") {
            let encoded = String(text.dropFirst("aip:key:ed25519:z".count))
            guard let bytes = Base58.decode(encoded), let key = try? Ed25519.PublicKey(bytes: bytes) else { return nil }
            // Reject non-canonical encodings (leading zero digits that round-trip differently).
            guard Base58.encode(bytes) == encoded else { return nil }
            self = .key(key)
        } else {
            return nil
        }
    }

    /// The identifier in its canonical text form.
    public var description: String {
        switch self {
        case let .web(domain, path): return "aip:web:\(domain)/\(path)"
        case let .key(key): return "aip:key:ed25519:z\(Base58.encode(key.bytes))"
        }
    }

    /// Where an `aip:web:` identity document is served.
    public var documentURL: String? {
        guard case let .web(domain, path) = self else { return nil }
        return "https://\(domain)/.well-known/aip/\(path).json"
    }

    private static func isDomainCharacter(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == ".")
    }

    private static func isSegmentCharacter(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_")
    }
}
