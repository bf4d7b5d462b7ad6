import BatonCrypto
import BatonFuzzing
import Foundation
import Testing

/// Hostile inputs written by hand: each target must complete on them, without
/// reaching stages it must not reach (a forged token is never verified).
@Suite struct MalformedInputTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Inputs every target must survive.
    static let generic: [(String, [UInt8])] = [
        ("empty", []),
        ("one zero byte", [0]),
        ("4 KiB of 0xff", [UInt8](repeating: 0xff, count: 4096)),
        ("invalid UTF-8", [0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0x28, 0xed, 0xa0, 0x80]),
        ("NULs in text", bytes("id: a\0b\nsteps: [\0]\n{\"id\":1\0}\ncheck if\0 x(1);")),
        ("deep brackets", bytes(String(repeating: "[", count: 4000))),
        ("deep parens", bytes("check if " + String(repeating: "(", count: 2000) + "1" + String(repeating: ")", count: 2000) + ";")),
        ("deep braces", bytes(String(repeating: "{\"a\":", count: 800) + "1" + String(repeating: "}", count: 800))),
        ("lone surrogates", bytes(#"{"id":1,"ok":true,"result":{"name":"\udc00\ud800"}}"#)),
        ("CRs only", [UInt8](repeating: 0x0d, count: 3000)),
    ]

    @Test(arguments: FuzzTarget.allCases)
    func genericInputsComplete(_ target: FuzzTarget) {
        for (name, data) in Self.generic {
            #expect(throws: Never.self, "\(target.rawValue): \(name)") { try target.run(data) }
        }
    }

    @Test func biscuitGarbageIsNotATokenAndForgeriesAreNotVerified() throws {
        #expect(try !FuzzTarget.biscuit.run([0x12, 0x05, 0x0a, 0x03, 0x01, 0x02]).reached("parsed"), "truncated message")
        // A protobuf message nested 2000 deep (field 2, length-delimited) must be refused, not recursed into.
        var nested: [UInt8] = []
        for _ in 0..<2000 { nested = [0x12] + varint(nested.count) + nested }
        #expect(try !FuzzTarget.biscuit.run(nested).reached("parsed"))

        // The AIP seed re-signed by another root: parsed, but never signature- or AIP-verified.
        let seeds = try FuzzSeeds.seeds(for: .biscuit)
        let chain = try #require(seeds.first { $0.name == "aip-one-hop.bc" })
        var flipped = chain.bytes
        flipped[flipped.count / 2] ^= 0x01
        let report = try FuzzTarget.biscuit.run(flipped)
        #expect(!report.reached("aip_verified") && !report.reached("signatures_verified"))
    }

    /// Every seed token with one byte flipped, or cut short, at many positions.
    @Test func biscuitSeedMutationsComplete() throws {
        for seed in try FuzzSeeds.seeds(for: .biscuit) {
            let bytes = seed.bytes
            for i in stride(from: 0, to: bytes.count, by: 7) {
                var flipped = bytes
                flipped[i] ^= UInt8(1 << (i % 8))
                #expect(throws: Never.self, "\(seed.name) flip \(i)") { try FuzzTarget.biscuit.run(flipped) }
                #expect(throws: Never.self, "\(seed.name) cut \(i)") { try FuzzTarget.biscuit.run(Array(bytes.prefix(i))) }
            }
        }
    }

    @Test func datalogEdgeCasesComplete() throws {
        let inputs = [
            #"f("a\"b", "c\\d");"#,  // strings that print verbatim: printed, not re-parsed
            "check if x($x), $x + 9223372036854775807 > 0, $x * -9223372036854775808 < 1, $x / 0 == 1;",
            "f(9223372036854775808);",
            "f(1969-12-31T23:59:59Z); f(9999-12-31T23:59:59Z); f(2026-02-30T00:00:00Z);",
            #"check if s($s), $s.matches("(a+)+$"), $s.matches("[");"#,
            "r($x) <- r($x), r($y), $x == $y; r(1); r(2); r(3); r(4); r(5);",
            "trusting ed25519/00;",
            "allow if {1, \"a\"}.contains(1);",
            "/* unterminated",
            "x($y);",
        ]
        for text in inputs {
            #expect(throws: Never.self, "\(text)") { try FuzzTarget.datalog.run(Self.bytes(text)) }
        }
        #expect(try FuzzTarget.datalog.run(Self.bytes(#"f("a\"b");"#)).reached("block"))
        #expect(try !FuzzTarget.datalog.run(Self.bytes("check if " + String(repeating: "!", count: 3000) + "true;")).reached("check"))
    }

    @Test func jwtForgeriesAreNeverVerified() throws {
        let seeds = try FuzzSeeds.seeds(for: .jwt)
        // Refused as sent, and still refused once validly signed with the Ed25519 key
        // (alg none, HS256, or ES256 with an embedded key never verify).
        for name in ["none.jwt", "hs256-confusion.jwt", "es256-jwk-header.jwt"] {
            let seed = try #require(seeds.first { $0.name == name })
            let report = try FuzzTarget.jwt.run(seed.bytes)
            #expect(report.reached("parsed") && report.reached("resigned"), "\(name)")
            #expect(!report.reached("signature_verified") && !report.reached("resigned_signature_verified"), "\(name)")
        }
        // A valid token with its signature's last character changed: refused, and verified once re-signed.
        var token = try #require(seeds.first { $0.name == "eddsa-kid.jwt" }).bytes
        token[token.count - 2] = token[token.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = try FuzzTarget.jwt.run(token)
        #expect(!tampered.reached("signature_verified") && !tampered.reached("jwt_verified"))
        #expect(tampered.reached("resigned_signature_verified") && tampered.reached("resigned_jwt_verified"))

        // An actor chain nested 100 deep is refused, not followed.
        var act = #"{"sub":"leaf"}"#
        for i in 0..<100 { act = #"{"sub":"a\#(i)","act":\#(act)}"# }
        let header = StrictBase64URLText.encode(#"{"alg":"EdDSA"}"#)
        let payload = StrictBase64URLText.encode(#"{"exp":1,"act":\#(act)}"#)
        let deep = try FuzzTarget.jwt.run(Self.bytes("\(header).\(payload).AAAA"))
        #expect(!deep.reached("actor_chain"))
        for text in ["a.b", "a.b.c.d.e", "..", "eyJ9.eyJ9.", "\(header).\(payload).", "\(header)==.\(payload).AAAA"] {
            #expect(throws: Never.self, "\(text)") { try FuzzTarget.jwt.run(Self.bytes(text)) }
        }
    }

    @Test func scenarioEdgeCasesComplete() throws {
        let laughs = """
            a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
            b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
            c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
            d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
            e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
            id: *e
            steps: *e
            """
        let inputs = [
            laughs, "id: x\nsteps:\n  - *undefined\n", "%YAML 9.9\n---\nid: x\n", "id: [\n", "- - - - -\n",
            "id: x\ntitle: t\nsteps: [{mint: {as: t0, by: nobody}}]\n", "? [a, b]\n: c\n", "!!binary AAAA\n",
            "id: x\ntitle: t\nclock: 2026-13-45T99:99:99Z\nsteps: []\n",
            "id: x\ntitle: t\nverifier: {max_staleness: 99999999999999999999}\nsteps: []\n",
        ]
        for text in inputs {
            let report = try FuzzTarget.scenario.run(Self.bytes(text))
            #expect(report.reached("located_error"), "\(text.prefix(40))")
        }
    }

    @Test func testeeFramesEdgeCasesComplete() throws {
        let overlong = Self.bytes(#"{"id":1,"ok":true,"result":{"name":""# + String(repeating: "x", count: 3000) + "\"}}\n")
        #expect(try FuzzTarget.testeeFrame.run(overlong).reached("overflow"))
        let inputs = [
            #"{"id":9223372036854775807,"ok":true}"# + "\n", #"{"id":-1}"# + "\n", #"{"id":1e3,"ok":true}"# + "\n",
            #"{"id":1,"ok":true,"result":{"name":"n","profiles":[],"roles":["issuer","bogus"]}}"# + "\r\n",
            #"{"id":1,"ok":false,"error":{"code":"unsupported"}}"# + "\n", "\n\n\t \n", "\r\n\r\r\n",
            #"{"id":1,"id":2,"ok":true}"# + "\n", #"{"id":1,"ok":true,"result":{"n":1e999}}"# + "\n",
        ]
        for text in inputs {
            #expect(throws: Never.self, "\(text)") { try FuzzTarget.testeeFrame.run(Self.bytes(text)) }
        }
        #expect(try FuzzTarget.testeeFrame.run(Self.bytes(#"{"id":2,"ok":true}"# + "\n")).reached("wrong_id"))
    }

    @Test func failuresNameTheirTargetAndCode() {
        let failure = FuzzFailure(target: .testeeFrame, code: "framing_differs", message: "two lines expected")
        #expect(failure.description == "testee-frame: framing_differs: two lines expected")
        #expect(FuzzTarget(rawValue: "testee-frame") == .testeeFrame)
        #expect(FuzzTarget.allCases.map(\.rawValue) == ["biscuit", "datalog", "jwt", "scenario", "testee-frame", "intent"])
    }

    func varint(_ n: Int) -> [UInt8] {
        var n = UInt64(n)
        var out: [UInt8] = []
        repeat {
            var b = UInt8(n & 0x7f)
            n >>= 7
            if n > 0 { b |= 0x80 }
            out.append(b)
        } while n > 0
        return out
    }
}

/// Unpadded base64url of text, for hand-made JWTs.
enum StrictBase64URLText {
    static func encode(_ text: String) -> String { Base64URL.encode(Array(text.utf8), padded: false) }
}
