/// A string compared and hashed by its UTF-8 bytes (never by Swift's
/// canonical equivalence), for dictionary keys such as symbols.
struct UTF8Key: Hashable {
    let value: String

    init(_ value: String) { self.value = value }

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool { utf8Equal(lhs.value, rhs.value) }

    func hash(into hasher: inout Hasher) { hasher.combineUTF8(value) }
}

/// Byte equality of two strings' UTF-8 encodings, comparing contiguous
/// buffers rather than iterating the views.
@inline(__always)
func utf8Equal(_ a: String, _ b: String) -> Bool {
    if a.utf8.count != b.utf8.count { return false }
    var a = a, b = b
    return a.withUTF8 { pa in b.withUTF8 { pb in pa.elementsEqual(pb) } }
}
