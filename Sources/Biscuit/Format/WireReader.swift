/// A minimal protobuf wire-format reader for the decoding fast paths
/// (``FastBlockDecoder``, ``FastTokenParser``).
///
/// It accepts only what it fully understands; on anything else it throws
/// ``WireBail`` and the caller falls back to the SwiftProtobuf decoder, which
/// then decides (and reports) exactly as before. A fast path therefore never
/// changes a result or an error, it only skips work on well-formed input.
struct WireReader {
    /// Thrown on anything the fast path does not handle; never escapes to callers of the library.
    struct Bail: Error {}

    enum WireType: UInt8 {
        case varint = 0
        case lengthDelimited = 2
    }

    private let buffer: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        position = 0
        end = buffer.count
    }

    private init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        self.buffer = buffer
        position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    /// A varint of at most 10 bytes whose value fits in 64 bits.
    @inline(__always)
    mutating func varint() throws(Bail) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw Bail() }
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte > 1 { throw Bail() }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw Bail() }
        }
    }

    /// The next field's number and wire type; only varint and length-delimited fields are handled.
    @inline(__always)
    mutating func field() throws(Bail) -> (number: UInt64, type: WireType) {
        let key = try varint()
        guard let type = WireType(rawValue: UInt8(key & 7)) else { throw Bail() }
        let number = key >> 3
        guard number > 0, number <= UInt64(UInt32.max >> 3) else { throw Bail() }
        return (number, type)
    }

    /// The bounds of a length-delimited field's content, skipped over.
    @inline(__always)
    mutating func lengthDelimited() throws(Bail) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Bail() }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// A reader over a length-delimited field's content.
    mutating func message() throws(Bail) -> WireReader {
        let range = try lengthDelimited()
        return WireReader(buffer, from: range.lowerBound, to: range.upperBound)
    }

    mutating func bytes() throws(Bail) -> [UInt8] {
        let range = try lengthDelimited()
        return Array(buffer[range])
    }

    /// A UTF-8 string; invalid UTF-8 bails (SwiftProtobuf rejects it).
    mutating func string() throws(Bail) -> String {
        let range = try lengthDelimited()
        let slice = UnsafeBufferPointer(rebasing: buffer[range])
        let s = String(decoding: slice, as: UTF8.self)
        // ASCII is valid UTF-8; otherwise decoding replaces invalid
        // sequences, and the bytes then differ.
        if !slice.allSatisfy({ $0 < 0x80 }) {
            guard s.utf8.elementsEqual(slice) else { throw Bail() }
        }
        return s
    }

    mutating func uint32() throws(Bail) -> UInt32 {
        let v = try varint()
        guard v <= UInt64(UInt32.max) else { throw Bail() }
        return UInt32(v)
    }

    mutating func int64() throws(Bail) -> Int64 { Int64(bitPattern: try varint()) }

    /// A proto2 enum value, bailing on values outside `0...max` (which SwiftProtobuf keeps as unknown fields).
    mutating func enumValue(max: Int) throws(Bail) -> Int {
        let v = try varint()
        guard v <= UInt64(max) else { throw Bail() }
        return Int(v)
    }

    mutating func bool() throws(Bail) -> Bool {
        let v = try varint()
        guard v <= 1 else { throw Bail() }
        return v == 1
    }
}

extension WireReader.WireType {
    @inline(__always)
    func expect(_ type: WireReader.WireType) throws(WireReader.Bail) {
        guard self == type else { throw WireReader.Bail() }
    }
}
