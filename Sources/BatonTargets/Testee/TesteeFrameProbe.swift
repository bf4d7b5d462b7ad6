import BatonModel

/// The pure part of the testee protocol as `TesteeProcess` applies it to what a
/// testee writes: framing its standard output into lines, decoding one line
/// into an answer, and reading a handshake answer. No process is involved, so
/// fuzz targets can drive it with arbitrary bytes.
///
/// Not part of the stable API: import with `@_spi(TesteeFrames) import BatonTargets`.
@_spi(TesteeFrames)
public enum TesteeFrameProbe {
    /// What framing a byte stream produced.
    public struct Framing: Hashable, Sendable {
        /// Complete lines, without `\n` and without a trailing `\r`.
        public var lines: [[UInt8]]
        /// Whether the stream stopped on a line over the limit.
        public var overflowed: Bool
        /// Bytes left over after the last complete line (when not overflowed).
        public var pending: [UInt8]

        public init(lines: [[UInt8]], overflowed: Bool, pending: [UInt8]) {
            self.lines = lines
            self.overflowed = overflowed
            self.pending = pending
        }
    }

    /// Feeds `chunks` one after the other to the line reader `TesteeConnection`
    /// uses (with `limit` as its longest line), taking every event after each chunk,
    /// until the stream overflows.
    public static func frame(_ chunks: [[UInt8]], limit: Int) -> Framing {
        var reader = LineReader(limit: limit)
        var lines: [[UInt8]] = []
        for chunk in chunks {
            reader.append(chunk)
            while let event = reader.next() {
                switch event {
                case let .line(line): lines.append(line)
                case .overflow: return Framing(lines: lines, overflowed: true, pending: [])
                }
            }
        }
        return Framing(lines: lines, overflowed: false, pending: Array(reader.pending))
    }

    /// Whether `TesteeProcess` skips this line while waiting for an answer
    /// (empty, or only spaces and tabs).
    public static func isBlank(_ line: [UInt8]) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// One decoded answer line, in public terms.
    public struct Answer: Hashable, Sendable {
        /// `ok: true` (a result) or `ok: false` (a refusal).
        public var ok: Bool
        /// The result's member names, sorted (empty for refusals and `result: null`).
        public var resultKeys: [String]
        /// The refusal's `error.code`, `error.message` and `error.step`.
        public var code: String?
        public var message: String?
        public var step: String?
        /// The result as quoted in error messages (at most 200 characters plus `…`).
        public var quotedResult: String
        /// What the handshake would make of this answer.
        public var handshake: Result<ImplementationDescriptor, TesteeFailure>
        /// The outcome `TesteeProcess` reports for an `unsupported` refusal with this message.
        public var unsupportedOutcome: Outcome?
    }

    /// Decodes one answer line as `TesteeProcess` does for request `expectedId`.
    public static func answer(_ line: [UInt8], expectedId: Int) -> Result<Answer, TesteeFailure> {
        let decoded: TesteeAnswer
        do { decoded = try TesteeAnswer(line: line, expectedId: expectedId) } catch { return .failure(error) }
        let handshake = Result { () throws(TesteeFailure) in try TesteeProcess.descriptor(from: decoded) }
        switch decoded {
        case let .result(result):
            return .success(
                Answer(
                    ok: true, resultKeys: result.keys.sorted(), code: nil, message: nil, step: nil,
                    quotedResult: TesteeProcess.prefix(of: result), handshake: handshake, unsupportedOutcome: nil))
        case let .refused(code, message, step):
            let unsupported = code == TesteeProcess.unsupportedCode ? TesteeProcess.unsupported(message) : nil
            return .success(
                Answer(
                    ok: false, resultKeys: [], code: code, message: message, step: step,
                    quotedResult: "", handshake: handshake, unsupportedOutcome: unsupported))
        }
    }

    /// How many bytes of a bad line messages quote.
    public static var quotedBytes: Int { TesteeAnswer.quotedBytes }

    /// A bad line as quoted in messages.
    public static func quote(_ line: [UInt8]) -> String { TesteeAnswer.quote(line) }

    /// Whether the line is a JSON object with an integer `id` (and that id).
    public static func answerId(_ line: [UInt8]) -> Int64? {
        TesteeJSON.parse(line)?["id"]?.integerValue
    }
}
