/// A JWS in compact serialization (RFC 7515 §7.1): `header.payload.signature`.
///
/// Parsing is strict and does not verify anything; use ``JWSVerifier`` for that.
/// The exact signing input bytes are kept, so verification never depends on
/// re-serializing the parsed JSON.
public struct JWS: Sendable, Equatable {
    /// Limits applied while parsing.
    public struct ParseOptions: Sendable, Equatable {
        /// Maximum token length in bytes.
        public var maxTokenSize: Int
        /// Maximum JSON nesting depth in header and payload.
        public var maxDepth: Int
        /// When true (the default) the payload must be a JSON object; when false any
        /// payload bytes are accepted and ``JWS/claims`` is empty unless it was an object.
        public var requireJSONPayload: Bool

        /// Options with the given limits; the defaults are those of ``default``.
        public init(maxTokenSize: Int = 64 * 1024, maxDepth: Int = JSONParser.defaultMaxDepth, requireJSONPayload: Bool = true) {
            self.maxTokenSize = maxTokenSize
            self.maxDepth = maxDepth
            self.requireJSONPayload = requireJSONPayload
        }

        /// 64 KiB, depth 64, JSON object payload.
        public static let `default` = ParseOptions()
    }

    /// The decoded protected header.
    public let header: JSONObject
    /// The decoded payload bytes.
    public let payload: [UInt8]
    /// The payload as a JSON object (empty if the payload is not JSON and that was allowed).
    public let claims: JSONObject
    /// Whether the payload parsed as a JSON object.
    public let payloadIsJSONObject: Bool
    /// The decoded signature bytes (empty for `a.b.`).
    public let signature: [UInt8]
    /// The three encoded segments as they appeared.
    public let encodedHeader: String
    /// The encoded payload segment, as it appeared.
    public let encodedPayload: String
    /// The encoded signature segment, as it appeared.
    public let encodedSignature: String

    /// The exact ASCII bytes that were signed: `encodedHeader '.' encodedPayload`.
    public var signingInput: [UInt8] { Array(encodedHeader.utf8) + [UInt8(ascii: ".")] + Array(encodedPayload.utf8) }

    /// The compact serialization.
    public var compact: String { "\(encodedHeader).\(encodedPayload).\(encodedSignature)" }

    /// The raw `alg` header value, if it is a string.
    public var algorithmName: String? { header["alg"]?.stringValue }
    /// The `kid` header value, if it is a string.
    public var keyID: String? { header["kid"]?.stringValue }
    /// The `typ` header value, if it is a string.
    public var type: String? { header["typ"]?.stringValue }

    private init(
        encodedHeader: String, encodedPayload: String, encodedSignature: String,
        header: JSONObject, payload: [UInt8], claims: JSONObject, payloadIsJSONObject: Bool, signature: [UInt8]
    ) {
        self.encodedHeader = encodedHeader
        self.encodedPayload = encodedPayload
        self.encodedSignature = encodedSignature
        self.header = header
        self.payload = payload
        self.claims = claims
        self.payloadIsJSONObject = payloadIsJSONObject
        self.signature = signature
    }

    // MARK: Parsing

    /// Parses a compact JWS strictly: size cap, exactly three segments, unpadded base64url,
    /// header (and by default payload) a strict JSON object without duplicate members.
    public static func parse(_ token: String, options: ParseOptions = .default) throws -> JWS {
        let size = token.utf8.count
        guard size <= options.maxTokenSize else { throw JOSEError.tokenTooLarge(size: size, limit: options.maxTokenSize) }
        guard size > 0 else { throw JOSEError.malformedToken("empty token") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            let hint = parts.count == 5 ? " (JWE is not supported)" : ""
            throw JOSEError.malformedToken("expected 3 dot-separated parts, found \(parts.count)\(hint)")
        }
        guard !parts[0].isEmpty else { throw JOSEError.malformedToken("empty header") }
        let headerBytes = try StrictBase64URL.decode(parts[0], what: "header")
        let payloadBytes = try StrictBase64URL.decode(parts[1], what: "payload")
        let signature = try StrictBase64URL.decode(parts[2], what: "signature")

        let header: JSONObject
        switch try parseJSON(headerBytes, what: "header", maxDepth: options.maxDepth) {
        case let .object(obj): header = obj
        default: throw JOSEError.malformedToken("header is not a JSON object")
        }

        var claims = JSONObject()
        var isObject = false
        if options.requireJSONPayload {
            guard case let .object(obj) = try parseJSON(payloadBytes, what: "payload", maxDepth: options.maxDepth) else {
                throw JOSEError.malformedToken("payload is not a JSON object")
            }
            claims = obj
            isObject = true
        } else if case let .object(obj)? = try? JSONParser.parse(payloadBytes, maxDepth: options.maxDepth) {
            claims = obj
            isObject = true
        }
        return JWS(
            encodedHeader: String(parts[0]), encodedPayload: String(parts[1]), encodedSignature: String(parts[2]),
            header: header, payload: payloadBytes, claims: claims, payloadIsJSONObject: isObject, signature: signature)
    }

    private static func parseJSON(_ bytes: [UInt8], what: String, maxDepth: Int) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes, maxDepth: maxDepth)
        } catch let JOSEError.invalidJSON(why) {
            throw JOSEError.invalidJSON("\(what): \(why)")
        }
    }

    // MARK: Producing

    /// Signs `claims` with `key`. The header's `alg` is set to the key's algorithm; if the
    /// header already has an `alg` it must equal it. JSON is emitted with sorted keys and no
    /// whitespace, so the same inputs give byte-identical tokens for deterministic algorithms.
    public static func sign(header: JSONObject = [:], claims: JSONObject, key: JWSSigningKey) throws -> JWS {
        try sign(header: header, payload: claims.serialized(), key: key)
    }

    /// Signs arbitrary payload bytes (e.g. the RFC 8037 example). See ``sign(header:claims:key:)``.
    public static func sign(header: JSONObject = [:], payload: [UInt8], key: JWSSigningKey) throws -> JWS {
        var header = header
        let alg = key.algorithm.rawValue
        if let existing = header["alg"] {
            guard existing == .string(alg) else {
                throw JOSEError.invalidHeader(name: "alg", reason: "header says \(existing.canonicalString) but key signs \(alg)")
            }
        } else {
            header["alg"] = .string(alg)
        }
        return try forge(headerBytes: header.serialized(), payload: payload, key: key)
    }

    /// Attack-range helper: signs with `key` whatever header is given, without checking that
    /// `alg` matches (e.g. `{"alg":"nOnE"}` with ``JWSSigningKey/unsecured``).
    public static func forge(header: JSONObject, claims: JSONObject, key: JWSSigningKey) throws -> JWS {
        try forge(headerBytes: header.serialized(), payload: claims.serialized(), key: key)
    }

    /// Attack-range helper: signs raw header JSON bytes (which may be invalid or contain
    /// duplicate members) and raw payload bytes with `key`. The returned value's `header` and
    /// `claims` are best effort (empty when the bytes do not parse); use ``compact``.
    public static func forge(headerBytes: [UInt8], payload: [UInt8], key: JWSSigningKey) throws -> JWS {
        let h = StrictBase64URL.encode(headerBytes)
        let p = StrictBase64URL.encode(payload)
        let signature = try key.sign(Array("\(h).\(p)".utf8))
        let header = (try? JSONParser.parseObject(headerBytes)) ?? JSONObject()
        let claims = try? JSONParser.parseObject(payload)
        return JWS(
            encodedHeader: h, encodedPayload: p, encodedSignature: StrictBase64URL.encode(signature),
            header: header, payload: payload, claims: claims ?? JSONObject(), payloadIsJSONObject: claims != nil,
            signature: signature)
    }
}
