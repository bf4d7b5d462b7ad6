/// Keys travel as hex strings wherever they are encoded (the testee protocol, reports): a public
/// key as its 32 bytes, a private key as its 32-byte seed.
extension Ed25519.PublicKey: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(hex: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 32-byte Ed25519 public key in hex: \(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension Ed25519.PrivateKey: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(hex: text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 32-byte Ed25519 seed in hex: \(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Bytes that travel as a hex string (revocation ids, a token service's secret).
public struct HexBytes: Hashable, Sendable, Codable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { bytes = try Hex.decode(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not hex: \(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Hex.encode(bytes))
    }

    public var description: String { Hex.encode(bytes) }
}
