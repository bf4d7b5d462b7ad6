/// Why a call was refused: a stable code (`aip_scope_insufficient`, `aip_budget_exceeded`,
/// `unknown_tool` …), the verification step that decided when known, and a message.
///
/// Its JSON form always has the three keys, `step` being null when unknown.
public struct ToolRefusal: Hashable, Sendable, Codable {
    public var code: String
    public var step: String?
    public var message: String

    public init(code: String, step: String? = nil, message: String) {
        self.code = code
        self.step = step
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case code, step, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        step = try c.decodeIfPresent(String.self, forKey: .step)
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(step, forKey: .step)
        try c.encode(message, forKey: .message)
    }
}
