/// Scenario files may not use YAML anchors (`&name`), and so no aliases (`*name`).
///
/// Aliases let a few lines stand for an exponentially large document, and Yams
/// hashes every mapping key in full while composing (to find duplicate keys): a
/// 494-byte file whose key is an alias of ten nested levels of aliases (about
/// 3.5e9 scalars to hash) kept the loader busy for over a minute before it was
/// stopped. Scenarios never need anchors, so they are refused before Yams sees
/// the text.
///
/// The scan is deliberately coarse so that it cannot miss an anchor: any `&`
/// followed by an anchor-name character counts, unless it follows a letter or a
/// digit (`R&D` is plain text; YAML only starts an anchor after white space, a
/// flow indicator or a `:`). An `&word` inside quotes or a comment is refused too.
enum YAMLAnchorCheck {
    /// The 1-based line and column (in Unicode scalars) of the first anchor, and its text; nil if none.
    static func firstAnchor(in text: String) -> (line: Int, column: Int, anchor: String)? {
        var line = 1
        var column = 0
        var previous: Unicode.Scalar?
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let c = pending {
            pending = scalars.next()
            column += 1
            if c == "\n" {
                line += 1
                column = 0
                previous = nil
                continue
            }
            defer { previous = c }
            guard c == "&", let next = pending, isAnchorCharacter(next) else { continue }
            if let previous, previous.properties.isAlphabetic || ("0"..."9").contains(previous) { continue }
            var name = String(next)
            var rest = scalars
            while name.unicodeScalars.count < 40, let more = rest.next(), isAnchorCharacter(more) { name.unicodeScalars.append(more) }
            return (line, column, "&" + name)
        }
        return nil
    }

    /// YAML's ns-anchor-char: a printable non-space character other than a flow indicator.
    static func isAnchorCharacter(_ c: Unicode.Scalar) -> Bool {
        !c.properties.isWhitespace && !",[]{}".unicodeScalars.contains(c) && c.value >= 0x21
    }
}
