import BatonModel

/// One decoded answer line of the testee protocol, checked against the request's id:
/// `{"id", "ok": true, "result": {…}}` or `{"id", "ok": false, "error": {"code", "message"}}`.
enum TesteeAnswer: Hashable, Sendable {
    /// `ok: true`: the result object (empty when the answer had none, as for `shutdown`).
    case result([String: TesteeJSON])
    /// `ok: false`: the testee could not (or would not) process the request.
    case refused(code: String, message: String?, step: String?)

    /// How many bytes of a bad line are quoted in messages.
    static let quotedBytes = 200

    /// Decodes `line`. Throws `.garbage` when it is not a JSON object with an integer
    /// `id`, `.wrongId` for another id, `.malformedAnswer` for missing or mistyped fields.
    init(line: [UInt8], expectedId: Int) throws(TesteeFailure) {
        guard let json = TesteeJSON.parse(line) else { throw .garbage(reason: "not JSON", prefix: Self.quote(line)) }
        guard let object = json.objectValue else { throw .garbage(reason: "not a JSON object", prefix: Self.quote(line)) }
        guard let id = object["id"]?.integerValue else { throw .garbage(reason: "no integer 'id'", prefix: Self.quote(line)) }
        guard id == Int64(expectedId) else { throw .wrongId(expected: expectedId, got: Int(clamping: id)) }
        guard let ok = object["ok"]?.boolValue else {
            throw .malformedAnswer("no boolean 'ok': \(Self.quote(line))")
        }
        if ok {
            switch object["result"] {
            case nil, .null?: self = .result([:])
            case let .object(result)?: self = .result(result)
            default: throw .malformedAnswer("'result' is not an object: \(Self.quote(line))")
            }
        } else {
            guard let error = object["error"]?.objectValue, let code = error["code"]?.stringValue else {
                throw .malformedAnswer("ok:false without an 'error' object carrying a string 'code': \(Self.quote(line))")
            }
            self = .refused(code: code, message: error["message"]?.stringValue, step: error["step"]?.stringValue)
        }
    }

    /// The first 200 bytes of `line`, as text (invalid UTF-8 replaced), marked when cut.
    static func quote(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(quotedBytes), as: UTF8.self)
        return line.count > quotedBytes ? text + "…" : text
    }
}
