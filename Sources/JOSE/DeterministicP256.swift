import Crypto

/// ECDSA over P-256 with SHA-256 and the nonce of RFC 6979 §3.2: HMAC-DRBG seeded with the
/// private key and the message's hash, so that one key and one message always give one
/// signature. Baton's runs and its exported test vectors are then byte-identical from run to
/// run, ES256 tokens included; the signatures are ordinary ECDSA signatures that any verifier
/// accepts.
///
/// swift-crypto computes the nonce point `k·G` (as the public key of the scalar `k`) and
/// verifies the result; the arithmetic modulo the group order `n` is ``P256Scalar``'s.
enum DeterministicP256 {
    /// The raw `r ‖ s` signature (64 bytes) of `message` under `key`.
    static func sign(_ message: [UInt8], with key: P256.Signing.PrivateKey) throws -> [UInt8] {
        let digest = Array(Crypto.SHA256.hash(data: message))
        let d = P256Scalar(bigEndian: Array(key.rawRepresentation))
        // bits2octets(h1): the hash as an integer, reduced modulo n (qlen = hlen = 256).
        let z = P256Scalar(bigEndian: digest).reducedOnce
        var nonces = NonceGenerator(key: d.bigEndianBytes, hash: z.bigEndianBytes)
        while true {
            let k = nonces.next()
            guard !k.isZero, k.isBelowOrder, let nonceKey = try? P256.Signing.PrivateKey(rawRepresentation: k.bigEndianBytes) else { continue }
            // r = x(k·G) mod n.
            let point = Array(nonceKey.publicKey.rawRepresentation)
            let r = P256Scalar(bigEndian: Array(point[0..<32])).reducedOnce
            guard !r.isZero else { continue }
            // s = k⁻¹ (z + r·d) mod n.
            let s = k.inverse.times(z.plus(r.times(d)))
            guard !s.isZero else { continue }
            let signature = r.bigEndianBytes + s.bigEndianBytes
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
                key.publicKey.isValidSignature(parsed, for: message)
            else { throw JOSEError.signingFailed("P-256: the deterministic signature does not verify") }
            return signature
        }
    }

    /// The HMAC-DRBG of RFC 6979 §3.2 (steps b–h) for a 256-bit order and SHA-256.
    struct NonceGenerator {
        private var k = [UInt8](repeating: 0, count: 32)
        private var v = [UInt8](repeating: 1, count: 32)
        private var started = false

        init(key: [UInt8], hash: [UInt8]) {
            k = mac(v + [0] + key + hash)
            v = mac(v)
            k = mac(v + [1] + key + hash)
            v = mac(v)
        }

        /// The next candidate nonce (step h); the caller skips candidates outside [1, n-1].
        mutating func next() -> P256Scalar {
            if started {
                k = mac(v + [0])
                v = mac(v)
            }
            started = true
            v = mac(v)
            return P256Scalar(bigEndian: v)
        }

        private func mac(_ data: [UInt8]) -> [UInt8] { HMACSHA256.mac(data, secret: k) }
    }
}

/// An integer below 2²⁵⁶ as four 64-bit limbs (least significant first), with the arithmetic
/// modulo the order `n` of P-256 that signing needs: Montgomery multiplication (CIOS), and
/// reductions that select by mask rather than branch on the values. Written for Baton's test
/// keys: it makes no claim of constant time at the machine level.
struct P256Scalar: Equatable {
    var limbs: [UInt64]

    /// n = FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551.
    static let order: [UInt64] = [0xF3B9_CAC2_FC63_2551, 0xBCE6_FAAD_A717_9E84, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_0000_0000]
    /// -n⁻¹ mod 2⁶⁴, by Newton's iteration (each step doubles the correct low bits).
    static let montgomeryFactor: UInt64 = {
        var inverse: UInt64 = 1
        for _ in 0..<6 { inverse = inverse &* (2 &- order[0] &* inverse) }
        return 0 &- inverse
    }()
    /// R² mod n with R = 2²⁵⁶: R mod n (= 2²⁵⁶ − n) doubled 256 times.
    static let montgomerySquare: P256Scalar = {
        var x = P256Scalar(limbs: subtract([0, 0, 0, 0], order).difference)
        for _ in 0..<256 { x = x.plus(x) }
        return x
    }()

    init(limbs: [UInt64]) { self.limbs = limbs }

    /// From 32 big-endian bytes.
    init(bigEndian bytes: [UInt8]) {
        precondition(bytes.count == 32, "a P-256 scalar is 32 bytes")
        limbs = (0..<4).map { i in
            bytes[(24 - 8 * i)..<(32 - 8 * i)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }

    var bigEndianBytes: [UInt8] {
        (0..<4).reversed().flatMap { i in (0..<8).reversed().map { UInt8(truncatingIfNeeded: limbs[i] >> (8 * UInt64($0))) } }
    }

    var isZero: Bool { limbs.reduce(0, |) == 0 }

    /// Whether the value is below n (public comparisons only: nonce candidates).
    var isBelowOrder: Bool { Self.subtract(limbs, Self.order).borrow == 1 }

    /// The value minus n when it is at least n: values below 2²⁵⁶ < 2n are then reduced.
    var reducedOnce: P256Scalar { Self.select(limbs, overflow: 0) }

    /// (self + other) mod n, both below n.
    func plus(_ other: P256Scalar) -> P256Scalar {
        var sum = [UInt64](repeating: 0, count: 4)
        var carry: UInt64 = 0
        for i in 0..<4 { (sum[i], carry) = Self.add(limbs[i], other.limbs[i], carry) }
        return Self.select(sum, overflow: carry)
    }

    /// (self · other) mod n, both below n.
    func times(_ other: P256Scalar) -> P256Scalar { montgomery(other).montgomery(Self.montgomerySquare) }

    /// self⁻¹ mod n (self nonzero, below n), as self^(n−2) by Fermat; the exponent is public.
    var inverse: P256Scalar {
        let base = montgomery(P256Scalar.montgomerySquare)  // self·R mod n
        var result = P256Scalar(limbs: [1, 0, 0, 0]).montgomery(P256Scalar.montgomerySquare)  // R mod n
        let exponent = Self.subtract(Self.order, [2, 0, 0, 0]).difference
        for bit in (0..<256).reversed() {
            result = result.montgomery(result)
            if exponent[bit / 64] >> UInt64(bit % 64) & 1 == 1 { result = result.montgomery(base) }
        }
        return result.montgomery(P256Scalar(limbs: [1, 0, 0, 0]))
    }

    /// self · other · R⁻¹ mod n (CIOS), both below n.
    func montgomery(_ other: P256Scalar) -> P256Scalar {
        var t = [UInt64](repeating: 0, count: 6)
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 { (t[j], carry) = Self.multiplyAdd(limbs[j], other.limbs[i], t[j], carry) }
            var top: UInt64
            (t[4], top) = Self.add(t[4], carry, 0)
            t[5] = top
            let m = t[0] &* Self.montgomeryFactor
            (_, carry) = Self.multiplyAdd(m, Self.order[0], t[0], 0)
            for j in 1..<4 { (t[j - 1], carry) = Self.multiplyAdd(m, Self.order[j], t[j], carry) }
            (t[3], top) = Self.add(t[4], carry, 0)
            t[4] = t[5] &+ top
        }
        return Self.select(Array(t[0..<4]), overflow: t[4])
    }

    /// value (plus overflow·2²⁵⁶) reduced by one subtraction of n when it is at least n.
    private static func select(_ value: [UInt64], overflow: UInt64) -> P256Scalar {
        let (difference, borrow) = subtract(value, order)
        // Keep the difference when the value overflowed 2²⁵⁶ or did not borrow.
        let keepDifference = 0 &- ((overflow | (borrow ^ 1)) & 1)
        return P256Scalar(limbs: (0..<4).map { (difference[$0] & keepDifference) | (value[$0] & ~keepDifference) })
    }

    private static func add(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (s1, c1) = a.addingReportingOverflow(b)
        let (s2, c2) = s1.addingReportingOverflow(carry)
        return (s2, (c1 ? 1 : 0) + (c2 ? 1 : 0))
    }

    private static func subtract(_ a: [UInt64], _ b: [UInt64]) -> (difference: [UInt64], borrow: UInt64) {
        var result = [UInt64](repeating: 0, count: 4)
        var borrow: UInt64 = 0
        for i in 0..<4 {
            let (d1, b1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, b2) = d1.subtractingReportingOverflow(borrow)
            result[i] = d2
            borrow = (b1 ? 1 : 0) + (b2 ? 1 : 0)
        }
        return (result, borrow)
    }

    /// a·b + c + carry as (low, high): at most (2⁶⁴−1)² + 2(2⁶⁴−1) = 2¹²⁸ − 1, so it never overflows.
    private static func multiplyAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (high, low) = a.multipliedFullWidth(by: b)
        let (l1, o1) = low.addingReportingOverflow(c)
        let (l2, o2) = l1.addingReportingOverflow(carry)
        return (l2, high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0))
    }
}
