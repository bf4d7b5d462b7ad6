import Foundation

/// The parts of Python's `str` that the checksums depend on, reproduced over Unicode scalars (a
/// Python `str` is a sequence of code points; a Swift `String` compares and splits by grapheme
/// clusters and canonical equivalence, which must not leak in here).
enum PythonText {
    /// The code points for which Python's `str.isspace()` is true, which are also what `str.strip()`
    /// removes and what `\s` matches in a `str` pattern: bidirectional class WS, B or S, or general
    /// category Zs. The set has been the same since Unicode 6.3 (U+180E left it), so in every Python
    /// the library supports (3.10 and later). It differs from Swift's `isWhitespace` (U+001C–U+001F).
    static let whitespace: Set<UInt32> = [
        0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
        0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    ]

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { whitespace.contains(scalar.value) }

    /// Python's `text.strip()`.
    static func strip(_ text: String) -> String { string(strip(Array(text.unicodeScalars)[...])) }

    static func strip(_ scalars: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return scalars[first...last]
    }

    /// The library's prompt normalisation (v1's `_normalize_prompt_v1`, also v4's for tool
    /// descriptions and the first part of v2's `normalize_text`): strip the text, turn `\r\n` into
    /// `\n`, split at `\n`, strip every line, drop the empty ones and join the rest with `\n`.
    /// Whitespace inside a line is kept as it is; a lone `\r`, U+2028 and the like do not split lines.
    ///
    /// The library also replaces every match of `\n\s*\n` with `\n` before splitting; that only ever
    /// removes lines that hold nothing but whitespace, which the filter drops anyway, so it is not
    /// repeated here.
    static func collapseLines(_ text: String) -> String {
        let stripped = strip(Array(text.unicodeScalars)[...])
        var joined: [Unicode.Scalar] = []
        joined.reserveCapacity(stripped.count)
        var index = stripped.startIndex
        while index < stripped.endIndex {
            if stripped[index] == "\r", stripped.index(after: index) < stripped.endIndex, stripped[stripped.index(after: index)] == "\n" {
                joined.append("\n")
                index += 2
            } else {
                joined.append(stripped[index])
                index += 1
            }
        }
        let lines = joined.split(separator: "\n", omittingEmptySubsequences: false).map(strip).filter { !$0.isEmpty }
        return string(Array(lines.joined(separator: ["\n"])))
    }

    /// v2's `normalize_text`: ``collapseLines(_:)``, then Unicode NFC.
    ///
    /// NFC is Foundation's; it agrees with Python's `unicodedata` on every character both Unicode
    /// versions assign (Python 3.11 has Unicode 14.0, 3.13 has 15.1), since canonical mappings never
    /// change once assigned.
    static func normalize(_ text: String) -> String {
        collapseLines(text).precomposedStringWithCanonicalMapping
    }

    /// Python's `a < b` for `str`: code point order (UTF-8 byte order), not the UTF-16 order of
    /// JavaScript and RFC 8785, nor Swift's canonical-equivalence order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// Python's `sorted(items, key=key)`: stable, by ``precedes(_:_:)``.
    static func sorted<T>(_ items: [T], by key: (T) -> String) -> [T] {
        items.enumerated()
            .map { (key: key($0.element), offset: $0.offset, element: $0.element) }
            .sorted { precedes($0.key, $1.key) || (!precedes($1.key, $0.key) && $0.offset < $1.offset) }
            .map(\.element)
    }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
