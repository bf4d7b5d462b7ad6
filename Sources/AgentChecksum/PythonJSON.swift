import JOSE

/// Python's `json.dumps(value, sort_keys=True)` with every other argument at its default, byte for
/// byte: separators `", "` and `": "`, `ensure_ascii` (everything outside U+0020–U+007E escaped as
/// lower-case `\uXXXX`, non-BMP code points as a surrogate pair), `true`/`false`/`null`, object
/// members sorted by Python's `str` order (``PythonText/precedes(_:_:)``), floats in Python's `repr`
/// (``PythonFloat/repr(_:)``).
public enum PythonJSON {
    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    public static func dumps(_ value: JSONValue) -> String {
        var out = String.UnicodeScalarView()
        write(value, into: &out)
        return String(out)
    }

    private static func write(_ value: JSONValue, into out: inout String.UnicodeScalarView) {
        switch value {
        case .null: out.append(contentsOf: "null".unicodeScalars)
        case let .bool(flag): out.append(contentsOf: (flag ? "true" : "false").unicodeScalars)
        case let .int(number): out.append(contentsOf: String(number).unicodeScalars)
        case let .double(number): out.append(contentsOf: PythonFloat.repr(number).unicodeScalars)
        case let .string(text): writeString(text, into: &out)
        case let .array(items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: ", ".unicodeScalars) }
                write(item, into: &out)
            }
            out.append("]")
        case let .object(object):
            out.append("{")
            for (index, name) in PythonText.sorted(object.keys, by: { $0 }).enumerated() {
                if index > 0 { out.append(contentsOf: ", ".unicodeScalars) }
                writeString(name, into: &out)
                out.append(contentsOf: ": ".unicodeScalars)
                write(object[name] ?? .null, into: &out)
            }
            out.append("}")
        }
    }

    private static func writeString(_ text: String, into out: inout String.UnicodeScalarView) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": out.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": out.append(contentsOf: "\\f".unicodeScalars)
            case " "..."~": out.append(scalar)
            default:
                if scalar.value < 0x10000 {
                    writeEscape(UInt16(scalar.value), into: &out)
                } else {
                    let offset = scalar.value - 0x10000
                    writeEscape(UInt16(0xd800 | (offset >> 10)), into: &out)
                    writeEscape(UInt16(0xdc00 | (offset & 0x3ff)), into: &out)
                }
            }
        }
        out.append("\"")
    }

    private static func writeEscape(_ unit: UInt16, into out: inout String.UnicodeScalarView) {
        out.append(contentsOf: "\\u".unicodeScalars)
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((unit >> UInt16(shift)) & 0xf)])
        }
    }
}
