/// A strict RFC 8259 JSON parser.
///
/// Unlike Foundation's `JSONSerialization` it rejects duplicate member names
/// (``JOSEError/duplicateKey(_:)``, compared after escape decoding), bounds nesting
/// depth (``JOSEError/nestingTooDeep(limit:)``), and rejects everything outside the
/// grammar: invalid UTF-8, a byte-order mark, comments, trailing commas, leading zeros,
/// lone surrogates in `\u` escapes, raw control characters in strings, non-finite
/// numbers and trailing garbage. Recursion depth is bounded by `maxDepth`, so hostile
/// input cannot exhaust the stack.
public enum JSONParser {
    /// Default maximum nesting depth of arrays and objects.
    public static let defaultMaxDepth = 64

    /// Parses one JSON value that must span the whole input (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws -> JSONValue {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.pos == bytes.count else { throw parser.fail("trailing characters") }
        return value
    }

    /// Parses input that must be a JSON object.
    public static func parseObject(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws -> JSONObject {
        guard case let .object(obj) = try parse(bytes, maxDepth: maxDepth) else {
            throw JOSEError.invalidJSON("expected a JSON object")
        }
        return obj
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var pos = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func fail(_ why: String) -> JOSEError { .invalidJSON("\(why) at offset \(pos)") }

        var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

        mutating func skipWhitespace() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d { pos += 1 }
        }

        mutating func expectLiteral(_ word: String, _ value: JSONValue) throws -> JSONValue {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
                throw fail("invalid literal")
            }
            pos += w.count
            return value
        }

        mutating func parseValue(depth: Int) throws -> JSONValue {
            guard let c = peek else { throw fail("unexpected end of input") }
            switch c {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): return try expectLiteral("true", .bool(true))
            case UInt8(ascii: "f"): return try expectLiteral("false", .bool(false))
            case UInt8(ascii: "n"): return try expectLiteral("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw fail("unexpected character")
            }
        }

        mutating func parseObject(depth: Int) throws -> JSONValue {
            guard depth <= maxDepth else { throw JOSEError.nestingTooDeep(limit: maxDepth) }
            pos += 1  // {
            var obj = JSONObject()
            skipWhitespace()
            if peek == UInt8(ascii: "}") { pos += 1; return .object(obj) }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let name = try parseString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw fail("expected ':'") }
                pos += 1
                skipWhitespace()
                let value = try parseValue(depth: depth)
                guard obj.insertNew(name, value) else { throw JOSEError.duplicateKey(name) }
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): pos += 1
                case UInt8(ascii: "}"): pos += 1; return .object(obj)
                default: throw fail("expected ',' or '}'")
                }
            }
        }

        mutating func parseArray(depth: Int) throws -> JSONValue {
            guard depth <= maxDepth else { throw JOSEError.nestingTooDeep(limit: maxDepth) }
            pos += 1  // [
            var items = [JSONValue]()
            skipWhitespace()
            if peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth))
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","): pos += 1
                case UInt8(ascii: "]"): pos += 1; return .array(items)
                default: throw fail("expected ',' or ']'")
                }
            }
        }

        mutating func parseHex4() throws -> UInt32 {
            guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[pos]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw fail("invalid hex digit in \\u escape")
                }
                v = v << 4 | d
                pos += 1
            }
            return v
        }

        mutating func parseString() throws -> String {
            pos += 1  // opening quote
            var out = [UInt8]()
            while true {
                guard let c = peek else { throw fail("unterminated string") }
                switch c {
                case UInt8(ascii: "\""):
                    pos += 1
                    guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in string") }
                    return s
                case UInt8(ascii: "\\"):
                    pos += 1
                    guard let e = peek else { throw fail("unterminated escape") }
                    pos += 1
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5c)
                    case UInt8(ascii: "/"): out.append(0x2f)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0c)
                    case UInt8(ascii: "n"): out.append(0x0a)
                    case UInt8(ascii: "r"): out.append(0x0d)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try parseHex4()
                        if (0xD800...0xDBFF).contains(scalar) {
                            guard pos + 2 <= bytes.count, bytes[pos] == 0x5c, bytes[pos + 1] == UInt8(ascii: "u") else {
                                throw fail("lone high surrogate")
                            }
                            pos += 2
                            let low = try parseHex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid low surrogate") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            throw fail("lone low surrogate")
                        }
                        guard let u = Unicode.Scalar(scalar) else { throw fail("invalid code point") }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default: throw fail("invalid escape")
                    }
                case 0..<0x20:
                    throw fail("raw control character in string")
                default:
                    out.append(c)
                    pos += 1
                }
            }
        }

        mutating func parseNumber() throws -> JSONValue {
            let start = pos
            var isInteger = true
            if peek == UInt8(ascii: "-") { pos += 1 }
            guard let first = peek, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
                throw fail("expected a digit")
            }
            if first == UInt8(ascii: "0") {
                pos += 1
                if let n = peek, n >= UInt8(ascii: "0"), n <= UInt8(ascii: "9") { throw fail("leading zero") }
            } else {
                skipDigits()
            }
            if peek == UInt8(ascii: ".") {
                isInteger = false
                pos += 1
                guard skipDigits() > 0 else { throw fail("expected a digit after '.'") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                isInteger = false
                pos += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
                guard skipDigits() > 0 else { throw fail("expected a digit in exponent") }
            }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            if isInteger, let i = Int64(text) { return .int(i) }
            guard let d = Double(text), d.isFinite else { throw fail("number out of range") }
            return .double(d)
        }

        @discardableResult
        mutating func skipDigits() -> Int {
            let start = pos
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { pos += 1 }
            return pos - start
        }
    }
}
