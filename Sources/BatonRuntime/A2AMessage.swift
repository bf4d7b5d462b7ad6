import Foundation

/// A JSON-RPC 2.0 `tasks/send` request as the A2A binding carries it, with the
/// AIP token at `params.metadata.aip_token` and the skill asked for at `params.metadata.skill`.
public struct A2ATaskRequest: Hashable, Sendable {
    public var id: String
    public var taskId: String
    public var text: String
    public var token: String?
    /// The skill (scope) the task needs; the receiver checks the token for it.
    public var skill: String?

    public init(id: String, taskId: String, text: String, token: String?, skill: String? = nil) {
        self.id = id
        self.taskId = taskId
        self.text = text
        self.token = token
        self.skill = skill
    }

    /// The wire form (keys sorted, so runs are byte-identical).
    public func json() -> Data {
        var metadata: [String: Any] = [:]
        if let token { metadata["aip_token"] = token }
        if let skill { metadata["skill"] = skill }
        let body: [String: Any] = [
            "jsonrpc": "2.0", "id": id, "method": "tasks/send",
            "params": [
                "id": taskId,
                "message": ["role": "user", "parts": [["type": "text", "text": text]]],
                "metadata": metadata,
            ] as [String: Any],
        ]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// Parses the wire form; errors name what is wrong.
    public static func parse(_ data: Data) throws(A2AError) -> A2ATaskRequest {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else {
            throw A2AError(rpcCode: -32700, message: "parse error: the request is not a JSON object")
        }
        guard body["jsonrpc"] as? String == "2.0" else { throw A2AError(rpcCode: -32600, message: "invalid request: jsonrpc must be \"2.0\"") }
        guard body["method"] as? String == "tasks/send" else {
            throw A2AError(rpcCode: -32601, message: "method not found: \(body["method"] ?? "none")")
        }
        guard let params = body["params"] as? [String: Any] else { throw A2AError(rpcCode: -32602, message: "invalid params: params missing") }
        let metadata = params["metadata"] as? [String: Any]
        let parts = (params["message"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
        return A2ATaskRequest(
            id: body["id"] as? String ?? "", taskId: params["id"] as? String ?? "",
            text: parts.compactMap { $0["text"] as? String }.joined(separator: "\n"),
            token: metadata?["aip_token"] as? String, skill: metadata?["skill"] as? String)
    }
}

/// The answer to a task: completed, or an error carrying the AIP code and the HTTP-like status.
public struct A2ATaskResponse: Hashable, Sendable {
    public var id: String
    public var state: String
    public var text: String?
    public var error: A2AError?
    /// The token with the agent's completion evidence appended (`result.metadata.aip_completion`).
    public var completion: String? = nil

    public static func completed(id: String, text: String) -> A2ATaskResponse {
        A2ATaskResponse(id: id, state: "completed", text: text, error: nil)
    }

    public static func failed(id: String, _ error: A2AError) -> A2ATaskResponse {
        A2ATaskResponse(id: id, state: "failed", text: nil, error: error)
    }

    public func json() -> Data {
        var body: [String: Any] = ["jsonrpc": "2.0", "id": id]
        if let error {
            var e: [String: Any] = ["message": error.message]
            if let step = error.step { e["data"] = ["step": step] }
            // AIP refusals carry their string code; protocol errors the JSON-RPC integer code.
            if let aip = error.aipCode { e["code"] = aip } else { e["code"] = error.rpcCode }
            body["error"] = e
            body["status"] = error.status
        } else {
            var result: [String: Any] = ["id": id, "status": ["state": state], "artifacts": [["parts": [["type": "text", "text": text ?? ""]]]]]
            if let completion { result["metadata"] = ["aip_completion": completion] }
            body["result"] = result
        }
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// The HTTP status an agent answers with: 200 when completed, an AIP refusal's own status, 500
    /// for an internal error (JSON-RPC -32603) and 400 for any other protocol error.
    public var httpStatus: Int {
        guard let error else { return 200 }
        if error.aipCode != nil { return error.status }
        return error.rpcCode == -32603 ? 500 : 400
    }

    public static func parse(_ data: Data) throws(A2AError) -> A2ATaskResponse {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else {
            throw A2AError(rpcCode: -32700, message: "the response is not a JSON object")
        }
        let id = body["id"] as? String ?? ""
        if let e = body["error"] as? [String: Any] {
            let message = e["message"] as? String ?? ""
            if let code = e["code"] as? String {
                let step = (e["data"] as? [String: Any])?["step"] as? String
                return .failed(id: id, A2AError(aipCode: code, status: body["status"] as? Int ?? 0, message: message, step: step))
            }
            return .failed(id: id, A2AError(rpcCode: e["code"] as? Int ?? -32603, message: message))
        }
        let result = body["result"] as? [String: Any]
        let state = (result?["status"] as? [String: Any])?["state"] as? String ?? "unknown"
        let parts = (result?["artifacts"] as? [[String: Any]])?.flatMap { ($0["parts"] as? [[String: Any]]) ?? [] } ?? []
        let texts = parts.compactMap { $0["text"] as? String }
        var response = A2ATaskResponse(id: id, state: state, text: texts.isEmpty ? nil : texts.joined(separator: "\n"), error: nil)
        response.completion = (result?["metadata"] as? [String: Any])?["aip_completion"] as? String
        return response
    }
}

/// An A2A error: an AIP code (`aip_scope_insufficient` …) with its HTTP status, or a JSON-RPC error.
public struct A2AError: Error, Hashable, Sendable {
    public var aipCode: String?
    public var rpcCode: Int
    public var status: Int
    public var message: String
    /// The verifier step that refused, when the receiver reports it (`error.data.step` on the wire).
    public var step: String?

    public init(aipCode: String?, status: Int, message: String, step: String? = nil) {
        self.aipCode = aipCode
        self.rpcCode = -32000
        self.status = status
        self.message = message
        self.step = step
    }

    public init(rpcCode: Int, message: String) {
        self.aipCode = nil
        self.rpcCode = rpcCode
        self.status = 400
        self.message = message
    }
}
