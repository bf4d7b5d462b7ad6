/// Errors from key handling and encodings. Each case has a stable code.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key had the wrong number of bytes for its algorithm.
    case invalidKeyLength(expected: Int, actual: Int)
    /// A signature had the wrong number of bytes.
    case invalidSignatureLength(expected: Int, actual: Int)
    /// Text that should have been hexadecimal was not.
    case invalidHex(String)
    /// Text that should have been URL-safe base64 was not.
    case invalidBase64(String)
    /// The algorithm is recognised but not implemented by this backend.
    case unsupportedAlgorithm(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .invalidKeyLength: return "invalid_key_length"
        case .invalidSignatureLength: return "invalid_signature_length"
        case .invalidHex: return "invalid_hex"
        case .invalidBase64: return "invalid_base64"
        case .unsupportedAlgorithm: return "unsupported_algorithm"
        }
    }

    public var description: String {
        switch self {
        case let .invalidKeyLength(e, a): return "invalid key length: expected \(e) bytes, got \(a)"
        case let .invalidSignatureLength(e, a): return "invalid signature length: expected \(e) bytes, got \(a)"
        case let .invalidHex(why): return "invalid hex: \(why)"
        case let .invalidBase64(why): return "invalid base64: \(why)"
        case let .unsupportedAlgorithm(name): return "unsupported algorithm: \(name)"
        }
    }
}
