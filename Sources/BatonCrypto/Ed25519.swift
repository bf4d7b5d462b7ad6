import CSodium

/// Ed25519 keys and signatures (RFC 8032) over libsodium.
public enum Ed25519 {
    public static let publicKeyLength = 32
    public static let seedLength = 32
    public static let signatureLength = 64

    /// A public verification key.
    public struct PublicKey: Hashable, Sendable {
        /// The 32 raw key bytes.
        public let bytes: [UInt8]

        public init(bytes: [UInt8]) throws {
            guard bytes.count == Ed25519.publicKeyLength else {
                throw CryptoError.invalidKeyLength(expected: Ed25519.publicKeyLength, actual: bytes.count)
            }
            self.bytes = bytes
        }

        public init(hex: String) throws {
            try self.init(bytes: Hex.decode(hex))
        }

        public var hex: String { Hex.encode(bytes) }

        /// Verifies a detached signature. Returns false for any malformed signature.
        public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
            Sodium.ensureReady()
            guard signature.count == Ed25519.signatureLength else { return false }
            return signature.withUnsafeBufferPointer { sig in
                message.withUnsafeBufferPointer { msg in
                    bytes.withUnsafeBufferPointer { pk in
                        crypto_sign_verify_detached(
                            sig.baseAddress!, msg.baseAddress, UInt64(msg.count), pk.baseAddress!) == 0
                    }
                }
            }
        }
    }

    /// A signing key, held as its 32-byte seed (the form Biscuit serialises).
    public struct PrivateKey: Hashable, Sendable {
        /// The 32-byte seed.
        public let seed: [UInt8]
        /// The matching public key.
        public let publicKey: PublicKey
        /// libsodium's 64-byte expanded secret key (seed ‖ public key).
        private let expanded: [UInt8]

        /// Derives the key pair from a 32-byte seed.
        public init(seed: [UInt8]) throws {
            guard seed.count == Ed25519.seedLength else {
                throw CryptoError.invalidKeyLength(expected: Ed25519.seedLength, actual: seed.count)
            }
            Sodium.ensureReady()
            var pk = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
            var sk = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
            _ = crypto_sign_seed_keypair(&pk, &sk, seed)
            self.seed = seed
            self.expanded = sk
            self.publicKey = try PublicKey(bytes: pk)
        }

        public init(hex: String) throws {
            try self.init(seed: Hex.decode(hex))
        }

        /// A fresh key from the operating system's randomness.
        public static func random() -> PrivateKey {
            // A 32-byte seed is always a valid key.
            try! PrivateKey(seed: SecureRandom.bytes(Ed25519.seedLength))
        }

        /// A reproducible key derived from a label: SHA-256("baton-ed25519:" + label).
        /// Used for seeded fixtures so that every run is byte-identical.
        public static func derived(from label: String) -> PrivateKey {
            try! PrivateKey(seed: SHA256.hash(Array("baton-ed25519:\(label)".utf8)))
        }

        public var hex: String { Hex.encode(seed) }

        /// Signs a message, returning the 64-byte detached signature.
        public func signature(for message: [UInt8]) -> [UInt8] {
            var sig = [UInt8](repeating: 0, count: Ed25519.signatureLength)
            message.withUnsafeBufferPointer { msg in
                _ = crypto_sign_detached(&sig, nil, msg.baseAddress, UInt64(msg.count), expanded)
            }
            return sig
        }

        public static func == (lhs: PrivateKey, rhs: PrivateKey) -> Bool { lhs.seed == rhs.seed }
        public func hash(into hasher: inout Hasher) { hasher.combine(seed) }
    }
}
