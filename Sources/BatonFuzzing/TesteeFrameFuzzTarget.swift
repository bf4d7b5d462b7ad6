@_spi(TesteeFrames) import BatonTargets

/// Fuzz target `testee-frame`: bytes as what a testee writes on its standard
/// output. The stream is framed into lines as `TesteeConnection` does (with the
/// protocol's limit and with a tiny one, fed in several chunkings), then every
/// non-blank line is decoded as the answer to the next request (ids 1, 2, 3…), the
/// first as a handshake, as `TesteeProcess` does.
///
/// Invariants (each a ``FuzzFailure`` code):
/// - `framing_differs`: the line reader splits the stream exactly as a direct split on
///   `\n` does (one trailing `\r` removed, overflow on the first line over the limit),
///   however the bytes are chunked;
/// - `answer_inconsistent`: a decoded answer carries the expected id; a line is
///   `testee_garbage` exactly when it is not a JSON object with an integer id; a refusal
///   has a code and fails the handshake; an accepted handshake has its required fields;
///   an `unsupported` refusal maps to an outcome the runner skips;
/// - `quote_unbounded`: quotes of bad lines and results stay within their limits.
public enum TesteeFrameFuzzTarget {
    /// The tiny line limit used to exercise overflows.
    public static let tinyLimit = 16
    /// At most this many lines are decoded per input.
    public static let maxDecodedLines = 64

    @discardableResult
    public static func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        var report = FuzzReport()
        for limit in [tinyLimit, TesteeProcess.maxLineBytes] {
            let expected = directSplit(data, limit: limit)
            for chunks in chunkings(data) {
                let framing = TesteeFrameProbe.frame(chunks, limit: limit)
                guard framing == expected else {
                    throw failure(
                        "framing_differs",
                        "with limit \(limit) and \(chunks.count) chunk(s) the reader gave \(framing.lines.count) line(s), overflow \(framing.overflowed); expected \(expected.lines.count), overflow \(expected.overflowed)"
                    )
                }
            }
            if expected.overflowed { report.reach("overflow") }
        }

        let framing = TesteeFrameProbe.frame([data], limit: TesteeProcess.maxLineBytes)
        var id = 1
        for line in framing.lines.prefix(maxDecodedLines) where !TesteeFrameProbe.isBlank(line) {
            try decode(line, expectedId: id, handshake: id == 1, &report)
            id += 1
        }
        return report
    }

    // MARK: - Framing

    /// The framing the protocol specifies, computed directly on the whole stream.
    static func directSplit(_ data: [UInt8], limit: Int) -> TesteeFrameProbe.Framing {
        var lines: [[UInt8]] = []
        var start = 0
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            guard newline - start <= limit else { return .init(lines: lines, overflowed: true, pending: []) }
            var end = newline
            if end > start && data[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(Array(data[start..<end]))
            start = newline + 1
        }
        guard data.count - start <= limit else { return .init(lines: lines, overflowed: true, pending: []) }
        return .init(lines: lines, overflowed: false, pending: Array(data[start...]))
    }

    /// The whole stream at once, in uneven chunks derived from the bytes, and (for short
    /// streams, which is where it matters) byte by byte.
    static func chunkings(_ data: [UInt8]) -> [[[UInt8]]] {
        var uneven: [[UInt8]] = []
        var i = 0
        while i < data.count {
            let size = 1 + Int(data[i] % 37)
            uneven.append(Array(data[i..<min(data.count, i + size)]))
            i += size
        }
        return data.count <= 256 ? [[data], uneven, data.map { [$0] }] : [[data], uneven]
    }

    // MARK: - Answers

    static func decode(_ line: [UInt8], expectedId: Int, handshake: Bool, _ report: inout FuzzReport) throws(FuzzFailure) {
        let quote = TesteeFrameProbe.quote(line)
        if line.count <= TesteeFrameProbe.quotedBytes {
            guard quote == String(decoding: line, as: UTF8.self) else { throw failure("quote_unbounded", "a short line is quoted altered") }
        } else {
            guard quote.hasSuffix("…"), quote.utf8.count <= TesteeFrameProbe.quotedBytes * 3 + 3 else {
                throw failure("quote_unbounded", "a \(line.count)-byte line is quoted in \(quote.utf8.count) bytes")
            }
        }

        let id = TesteeFrameProbe.answerId(line)
        switch TesteeFrameProbe.answer(line, expectedId: expectedId) {
        case let .failure(error):
            if case .garbage = error {
                guard id == nil else { throw failure("answer_inconsistent", "a line with integer id \(id ?? 0) was called garbage: \(error)") }
                return
            }
            guard id != nil else { throw failure("answer_inconsistent", "a line without an integer id was decoded past the id: \(error)") }
            if case let .wrongId(expected, got) = error {
                guard expected == expectedId, id.map({ Int(clamping: $0) }) == got, id != Int64(expectedId) else {
                    throw failure("answer_inconsistent", "wrong id reported as \(got) (expected \(expected)) for id \(id ?? 0)")
                }
                report.reach("wrong_id")
                // Decode it as the answer it claims to be, to get past the id check.
                if let id, let other = Int(exactly: id) { try decode(line, expectedId: other, handshake: handshake, &report) }
                return
            }
            guard case .malformedAnswer = error, !error.requiresRestart else {
                throw failure("answer_inconsistent", "unexpected failure for a line with an id: \(error.code)")
            }
            report.reach("malformed_answer")
        case let .success(answer):
            guard id == Int64(expectedId) else {
                throw failure("answer_inconsistent", "an answer with id \(id.map(String.init) ?? "none") was accepted for request \(expectedId)")
            }
            report.reach(answer.ok ? "result" : "refusal")
            try checkAnswer(answer, handshake: handshake, &report)
        }
    }

    static func checkAnswer(_ answer: TesteeFrameProbe.Answer, handshake: Bool, _ report: inout FuzzReport) throws(FuzzFailure) {
        guard answer.quotedResult.count <= 201 else {
            throw failure("quote_unbounded", "a result is quoted in \(answer.quotedResult.count) characters")
        }
        if !answer.ok {
            guard answer.code != nil, answer.resultKeys.isEmpty else { throw failure("answer_inconsistent", "a refusal without a code") }
            guard case .failure(.handshakeRejected) = answer.handshake else {
                throw failure("answer_inconsistent", "a refusal was accepted as a handshake")
            }
        }
        if case let .success(descriptor) = answer.handshake {
            guard answer.ok, ["name", "profiles", "roles"].allSatisfy(answer.resultKeys.contains) else {
                throw failure("answer_inconsistent", "a handshake without name, profiles and roles was accepted: \(descriptor)")
            }
            if handshake { report.reach("handshake") }
        }
        if answer.code == TesteeProcess.unsupportedCode {
            guard let outcome = answer.unsupportedOutcome, outcome.verdict == .error, outcome.unsupportedReason != nil else {
                throw failure("answer_inconsistent", "an unsupported refusal does not map to a skipped case")
            }
            report.reach("unsupported")
        }
    }

    static func failure(_ code: String, _ message: String) -> FuzzFailure {
        FuzzFailure(target: .testeeFrame, code: code, message: message)
    }
}
