import JOSE
import Testing

@testable import AgentChecksum

/// Python's `json.dumps(sort_keys=True)`, `repr(float)` and `str` rules, on values checked by hand
/// against CPython 3.11.
@Suite struct PythonCompatibilityTests {
    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (100.0, "100.0"), (0.1, "0.1"), (1e-7, "1e-07"), (1e16, "1e+16"),
        (1e15, "1000000000000000.0"), (1.5e300, "1.5e+300"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.30000000000000004, "0.30000000000000004"), (123_456_789_012_345_680.0, "1.2345678901234568e+17"), (2.5e-5, "2.5e-05"),
        (1e-4, "0.0001"), (0.001, "0.001"), (12345.678, "12345.678"), (-1e-05, "-1e-05"), (1e22, "1e+22"),
        (9_007_199_254_740_993.0, "9007199254740992.0"), (1_234_567_890_123_456.7, "1234567890123456.8"),
        (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"), (Double.nan, "NaN"),
    ])
    func floatRepr(_ value: Double, _ python: String) {
        #expect(PythonFloat.repr(value) == python)
    }

    @Test func dumpsSortsByCodePointAndEscapesToASCII() {
        let value: JSONValue = [
            "\u{1F600}": 1, "\u{FF21}": 2, "a": [true, false, nil, [:]], "b": "\u{E9}\n\u{7F}\"\\/\u{01}",
        ]
        #expect(PythonJSON.dumps(value) == #"{"a": [true, false, null, {}], "b": "\u00e9\n\u007f\"\\/\u0001", "\uff21": 2, "\ud83d\ude00": 1}"#)
        #expect(PythonJSON.dumps([]) == "[]")
        #expect(PythonJSON.dumps(["\u{8}\u{C}\t\r": [1, -2, 9_223_372_036_854_775_807]]) == #"{"\b\f\t\r": [1, -2, 9223372036854775807]}"#)
    }

    /// Swift's `<` on strings is not Python's: it compares canonically equivalent strings as equal,
    /// and UTF-16 order (RFC 8785, JavaScript) puts non-BMP characters before U+E000–U+FFFF.
    @Test func codePointOrder() {
        #expect(PythonText.precedes("\u{FF21}", "\u{1F600}"))
        #expect(!"\u{FF21}".utf16.lexicographicallyPrecedes("\u{1F600}".utf16))
        #expect(PythonText.precedes("e\u{301}", "\u{E9}"))
        #expect(!PythonText.precedes("\u{E9}", "e\u{301}"))
        #expect(PythonText.precedes("B", "a"))
        let sorted = PythonText.sorted([("dup", 1), ("a", 2), ("dup", 3), ("Z", 4), ("dup", 5)], by: \.0).map(\.1)
        #expect(sorted == [4, 2, 1, 3, 5])
    }

    @Test func stripUsesPythonsWhitespace() {
        #expect(PythonText.strip("\u{1C}\u{85}\u{A0}\u{3000} x \u{2028}\u{205F}\t") == "x")
        #expect(PythonText.strip("\u{200B}x\u{FEFF}") == "\u{200B}x\u{FEFF}")
        #expect(PythonText.strip(" \n ") == "")
    }

    @Test func normalisation() {
        #expect(PythonText.normalize(" a \r\n\n  b\u{3000}\u{1C}\n c\u{301} ") == "a\nb\n\u{107}")
        #expect(PythonText.collapseLines(" a \r\n\n  b\u{3000}\u{1C}\n c\u{301} ").unicodeScalars.elementsEqual("a\nb\nc\u{301}".unicodeScalars))
        #expect(PythonText.collapseLines("a\rb  c\u{2028}d") == "a\rb  c\u{2028}d")
        #expect(PythonText.collapseLines("") == "")
        #expect(PythonText.normalize("\u{212B} \u{F900} \u{1D15E}").unicodeScalars.elementsEqual("\u{C5} \u{8C48} \u{1D157}\u{1D165}".unicodeScalars))
    }
}
