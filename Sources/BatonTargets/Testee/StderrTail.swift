/// Keeps the last lines a testee wrote to standard error, in bounded memory:
/// at most `maxLines` lines of at most `maxLineLength` characters each.
struct StderrTail {
    let maxLines: Int
    let maxLineLength: Int
    private var lines: [String] = []
    private var partial: [UInt8] = []
    private var partialTruncated = false

    init(maxLines: Int = 20, maxLineLength: Int = 400) {
        self.maxLines = maxLines
        self.maxLineLength = maxLineLength
    }

    /// The kept lines, oldest first, including an unfinished last line.
    var snapshot: [String] {
        var all = lines
        if !partial.isEmpty { all.append(render(partial, truncated: partialTruncated)) }
        return Array(all.suffix(maxLines))
    }

    /// Adds bytes read from the testee's standard error.
    mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(render(partial, truncated: partialTruncated))
                if lines.count > maxLines { lines.removeFirst(lines.count - maxLines) }
                partial.removeAll(keepingCapacity: true)
                partialTruncated = false
            } else if partial.count < maxLineLength * 4 {
                partial.append(byte)
            } else {
                partialTruncated = true
            }
        }
    }

    private func render(_ bytes: [UInt8], truncated: Bool) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        if text.count > maxLineLength { return String(text.prefix(maxLineLength)) + " …" }
        return truncated ? text + " …" : text
    }
}
