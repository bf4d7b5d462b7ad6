import Foundation
import MCP

/// How tool calls travel over MCP, following the AIP MCP binding.
///
/// - The token: over HTTP in the `X-AIP-Token` header; in process (no headers) in the request's
///   `_meta` under `aip_token`. Over HTTP only the header counts (a `_meta` token is ignored), so a
///   call never carries two tokens.
/// - The caller: over HTTP in the `X-Baton-Caller` header; in process in `_meta` under `baton_caller`.
/// - Arguments: strings (other JSON values are passed as their compact JSON text).
/// - An accepted call answers `isError: false`, one text content holding the tool's output, and
///   `structuredContent` `{"chargedCents": n, "output": "…", "remainingCents": n or null, "tool": "…"}`.
/// - A refused call answers `isError: true` and one text content holding the refusal as JSON with
///   sorted keys: `{"code":"…","message":"…","step":"…" or null}`.
/// - `tools/list` gives each tool's summary, price and scope in its description, a schema of
///   string arguments, and `_meta` `{"baton_price_cents": n, "baton_scope": "…"}`.
public enum MCPWire {
    public static let tokenHeader = "X-AIP-Token"
    public static let callerHeader = "X-Baton-Caller"
    public static let tokenMetaKey = "aip_token"
    public static let callerMetaKey = "baton_caller"
    public static let priceMetaKey = "baton_price_cents"
    public static let scopeMetaKey = "baton_scope"

    /// A catalog entry as an MCP tool.
    public static func tool(_ spec: ToolSpec) -> Tool {
        Tool(
            name: spec.name,
            description: "\(spec.summary) Price: \(spec.priceCents) cents per call; needs scope \(spec.scope).",
            inputSchema: .object(["type": "object", "additionalProperties": .object(["type": "string"])]),
            _meta: Metadata(additionalFields: [priceMetaKey: .int(Int(clamping: spec.priceCents)), scopeMetaKey: .string(spec.scope)]))
    }

    /// An MCP tool back as a catalog entry (price and scope from its `_meta`), nil when they are missing.
    public static func spec(_ tool: Tool) -> ToolSpec? {
        guard let price = tool._meta?[priceMetaKey]?.intValue, let scope = tool._meta?[scopeMetaKey]?.stringValue else { return nil }
        let summary = tool.description.map { $0.components(separatedBy: " Price: ").first ?? $0 } ?? ""
        return ToolSpec(name: tool.name, priceCents: Int64(price), scope: scope, summary: summary)
    }

    /// The call a `tools/call` request stands for; `http` is the HTTP request it came in, if any.
    public static func request(_ params: CallTool.Parameters, http: HTTPRequest?) -> ToolCallRequest {
        let token: String?
        let caller: String?
        if let http {
            token = http.header(tokenHeader)
            caller = http.header(callerHeader)
        } else {
            token = params._meta?[tokenMetaKey]?.stringValue
            caller = params._meta?[callerMetaKey]?.stringValue
        }
        let arguments = (params.arguments ?? [:]).mapValues(text)
        return ToolCallRequest(tool: params.name, token: token, caller: caller ?? "", arguments: arguments)
    }

    /// The `_meta` of an in-process call.
    public static func meta(token: String?, caller: String) -> Metadata {
        var fields: [String: Value] = [callerMetaKey: .string(caller)]
        if let token { fields[tokenMetaKey] = .string(token) }
        return Metadata(additionalFields: fields)
    }

    /// A call's result as an MCP `tools/call` result.
    public static func result(_ result: ToolCallResult) -> CallTool.Result {
        if result.outcome.verdict == .accept {
            let output = result.output ?? ""
            let structured: Value = .object([
                "tool": .string(result.tool), "output": .string(output), "chargedCents": .int(Int(clamping: result.chargedCents)),
                "remainingCents": result.remainingCents.map { .int(Int(clamping: $0)) } ?? .null,
            ])
            return CallTool.Result(
                content: [.text(text: output, annotations: nil, _meta: nil)], structuredContent: Optional(structured), isError: false)
        }
        let refusal =
            result.refusal ?? ToolRefusal(code: result.outcome.code ?? "error", step: result.outcome.step, message: result.outcome.message ?? "")
        return CallTool.Result(content: [.text(text: refusalJSON(refusal), annotations: nil, _meta: nil)], isError: true)
    }

    /// An MCP `tools/call` result back as a call's result; anything else than the shapes above is an `.error` outcome.
    public static func toolCallResult(_ result: CallTool.Result, tool: String) -> ToolCallResult {
        let texts = result.content.compactMap { content -> String? in
            if case .text(let text, _, _) = content { return text }
            return nil
        }
        if result.isError == true {
            guard let text = texts.first, let refusal = try? JSONDecoder().decode(ToolRefusal.self, from: Data(text.utf8)) else {
                return .failed(tool, "tool error without a refusal: \(texts.joined(separator: " "))")
            }
            return .refused(tool, refusal)
        }
        guard let fields = result.structuredContent?.objectValue, let charged = fields["chargedCents"]?.intValue else {
            return .failed(tool, "accepted tool result without chargedCents in its structured content")
        }
        let output = fields["output"]?.stringValue ?? texts.first
        return ToolCallResult(
            tool: tool, outcome: .accepted, output: output, chargedCents: Int64(charged),
            remainingCents: fields["remainingCents"]?.intValue.map(Int64.init))
    }

    /// The refusal as JSON with sorted keys, `step` null when unknown.
    public static func refusalJSON(_ refusal: ToolRefusal) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(refusal) else { return #"{"code":"error","message":"unencodable refusal","step":null}"# }
        return String(decoding: data, as: UTF8.self)
    }

    private static func text(_ value: Value) -> String {
        if let string = value.stringValue { return string }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
