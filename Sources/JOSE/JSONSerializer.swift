/// Serialization of ``JSONValue`` without insignificant whitespace.
///
/// With `sortedKeys` (the default) object members are ordered by the UTF-16 code units
/// of their names (as in RFC 8785), so equal values always give identical bytes. Strings
/// escape only `"`, `\` and control characters (`\b \f \n \r \t`, otherwise `\u00xx`).
/// Doubles use Swift's shortest round-trip form (e.g. `1.0`, `1e-07`), which keeps them
/// doubles when parsed back; non-finite doubles are written as `null`.
extension JSONValue {
    /// The serialized UTF-8 bytes.
    public func serialized(sortedKeys: Bool = true) -> [UInt8] {
        var out = [UInt8]()
        JSONSerializer.write(self, sortedKeys: sortedKeys, into: &out)
        return out
    }

    /// The canonical text: sorted keys, no whitespace.
    public var canonicalString: String { String(decoding: serialized(), as: UTF8.self) }
}

extension JSONObject {
    /// The serialized UTF-8 bytes of this object.
    public func serialized(sortedKeys: Bool = true) -> [UInt8] { JSONValue.object(self).serialized(sortedKeys: sortedKeys) }
    /// The canonical text: sorted keys, no whitespace.
    public var canonicalString: String { JSONValue.object(self).canonicalString }
}

enum JSONSerializer {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func write(_ value: JSONValue, sortedKeys: Bool, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .int(i): out.append(contentsOf: String(i).utf8)
        case let .double(d):
            out.append(contentsOf: (d.isFinite ? "\(d)" : "null").utf8)
        case let .string(s): writeString(s, into: &out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, sortedKeys: sortedKeys, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(obj):
            out.append(UInt8(ascii: "{"))
            var names = obj.keys
            if sortedKeys { names.sort { $0.utf16.lexicographicallyPrecedes($1.utf16) } }
            for (i, name) in names.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(name, into: &out)
                out.append(UInt8(ascii: ":"))
                write(obj[name] ?? .null, sortedKeys: sortedKeys, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5c, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5c, 0x5c])
            case 0x08: out.append(contentsOf: [0x5c, UInt8(ascii: "b")])
            case 0x0c: out.append(contentsOf: [0x5c, UInt8(ascii: "f")])
            case 0x0a: out.append(contentsOf: [0x5c, UInt8(ascii: "n")])
            case 0x0d: out.append(contentsOf: [0x5c, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5c, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 0x0f)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
