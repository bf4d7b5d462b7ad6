/// Splits a byte stream into `\n`-terminated lines, never holding more than
/// `limit` bytes of an unfinished line (plus one chunk being appended).
///
/// Pure framing: the caller feeds bytes read from a descriptor and asks for the
/// next event. A stream that never sends a newline ends in `.overflow` once it
/// passes the limit, so it cannot make the reader buffer unbounded memory.
struct LineReader {
    enum Event: Equatable {
        /// One complete line, without its `\n` (and without a trailing `\r`).
        case line([UInt8])
        /// The current line is longer than the limit; the stream cannot be resynchronised.
        case overflow
    }

    /// The longest line accepted, in bytes, excluding the newline.
    let limit: Int
    private var buffer: [UInt8] = []
    /// Bytes before this index have been handed out already.
    private var start = 0
    /// Bytes between `start` and this index are known to contain no newline.
    private var scanned = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Bytes received but not yet part of a complete line.
    var pending: ArraySlice<UInt8> { buffer[start...] }

    /// Adds bytes read from the stream.
    mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete line, `.overflow`, or nil when more bytes are needed.
    mutating func next() -> Event? {
        let from = max(start, scanned)
        if let newline = buffer[from...].firstIndex(of: UInt8(ascii: "\n")) {
            guard newline - start <= limit else { return .overflow }
            var end = newline
            if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = Array(buffer[start..<end])
            start = newline + 1
            scanned = start
            return .line(line)
        }
        scanned = buffer.count
        return buffer.count - start > limit ? .overflow : nil
    }
}
