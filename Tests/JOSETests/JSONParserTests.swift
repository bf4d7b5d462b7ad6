import Testing

@testable import JOSE

@Suite("JOSE JSON")
struct JSONParserTests {
    @Test func parsesAllValueKindsAndKeepsIntegersExact() throws {
        let v = try JSONValue.parse(#" {"a":[1,-0,9223372036854775807,1.5,2e3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{}} "#)
        guard case let .object(o) = v, case let .array(items)? = o["a"] else { Issue.record("not an object"); return }
        #expect(items[0] == .int(1))
        #expect(items[1] == .int(0))
        #expect(items[2] == .int(Int64.max))
        #expect(items[3] == .double(1.5))
        #expect(items[4] == .double(2000))
        #expect(items[5] == .bool(true) && items[6] == .bool(false) && items[7] == .null)
        #expect(items[8] == .string("xé😀\n"))
        #expect(o.keys == ["a", "b"])
    }

    @Test func bigIntegersBecomeDoubles() throws {
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test func duplicateKeysAreRejectedEvenWhenEscaped() {
        #expect(joseErrorCode { _ = try JSONValue.parse(#"{"alg":"EdDSA","alg":"none"}"#) } == "duplicate_key")
        #expect(joseErrorCode { _ = try JSONValue.parse(#"{"alg":"EdDSA","\u0061lg":"none"}"#) } == "duplicate_key")
        #expect(joseErrorCode { _ = try JSONValue.parse(#"{"o":{"k":1,"k":2}}"#) } == "duplicate_key")
    }

    @Test(arguments: [
        "", " ", "{", "{\"a\":1,}", "[1,]", "01", "1.", ".5", "-", "1e", "+1", "NaN", "Infinity", "1e999",
        "{'a':1}", "{\"a\" 1}", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}b\"", "tru", "nul", "{} {}",
        "/*c*/{}", "\u{FEFF}{}", "[1 2]", "{\"a\":1 \"b\":2}",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(joseErrorCode { _ = try JSONValue.parse(text) } == "invalid_json")
    }

    @Test func rejectsInvalidUTF8() {
        #expect(joseErrorCode { _ = try JSONParser.parse([0x22, 0xff, 0x22]) } == "invalid_json")
        #expect(joseErrorCode { _ = try JSONParser.parse([0x22, 0xc3, 0x22]) } == "invalid_json")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let arrays = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(joseErrorCode { _ = try JSONValue.parse(arrays) } == "nesting_too_deep")
        let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(joseErrorCode { _ = try JSONValue.parse(objects) } == "nesting_too_deep")
        // Exactly at the limit is fine.
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONValue.parse(ok)) != nil)
        let over = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(joseErrorCode { _ = try JSONValue.parse(over) } == "nesting_too_deep")
    }

    @Test func canonicalSerializationSortsKeysAndEscapes() throws {
        let obj: JSONObject = ["z": 1, "a": ["b": true, "A": nil], "s": "q\"\\\n\u{01}/é", "d": 1.5]
        #expect(obj.canonicalString == #"{"a":{"A":null,"b":true},"d":1.5,"s":"q\"\\\n\u0001/é","z":1}"#)
        // Insertion order is kept when not sorting.
        #expect(String(decoding: obj.serialized(sortedKeys: false), as: UTF8.self).hasPrefix(#"{"z":1,"a":"#))
        // Round trip.
        #expect(try JSONValue.parse(obj.canonicalString) == .object(obj))
        #expect(try JSONValue.parse(JSONValue.double(1.0).canonicalString) == .double(1.0))
    }

    @Test func objectEqualityIgnoresOrder() {
        let a: JSONObject = ["x": 1, "y": 2]
        let b: JSONObject = ["y": 2, "x": 1]
        #expect(a == b)
        var c = a
        c["x"] = nil
        #expect(c.keys == ["y"] && c.count == 1)
    }
}

@Suite("JOSE errors")
struct JOSEErrorTests {
    @Test func codesAreStableSnakeCase() {
        let samples: [JOSEError] = [
            .malformedToken(""), .tokenTooLarge(size: 1, limit: 0), .invalidBase64(""), .invalidJSON(""), .duplicateKey(""),
            .nestingTooDeep(limit: 1), .missingHeader(""), .invalidHeader(name: "", reason: ""), .unsupportedAlgorithm(""),
            .algorithmNone(""), .algorithmNotAllowed(""), .algorithmConfusion(algorithm: "", matchedSecret: nil),
            .keyTypeMismatch(algorithm: "", keyType: ""), .keyAlgorithmMismatch(keyAlgorithm: "", tokenAlgorithm: ""),
            .keyUseMismatch(""), .unknownKeyID(""), .missingKeyID(candidates: 2), .noVerificationKey, .untrustedHeaderKey(""),
            .unsupportedCriticalHeader(""), .typeMismatch(expected: "", actual: nil), .invalidSignature, .invalidKey(""),
            .unsupportedKeyType(""), .duplicateKeyID(""), .invalidPEM(""), .signingFailed(""), .expired(exp: 0, now: 0),
            .notYetValid(nbf: 0, now: 0), .issuedInFuture(iat: 0, now: 0), .lifetimeTooLong(lifetime: 0, limit: 0),
            .audienceMismatch(expected: "", actual: []), .issuerMismatch(expected: "", actual: nil), .missingClaim(""),
            .invalidClaim(name: "", reason: ""),
        ]
        let codes = samples.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { code in code.allSatisfy { $0 == "_" || $0.isNumber || ($0.isLowercase && $0.isASCII) } })
        #expect(samples.allSatisfy { !$0.description.isEmpty })
    }
}
