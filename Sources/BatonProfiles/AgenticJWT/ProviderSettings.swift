import AgenticJWT
import JOSE

/// The `profile_settings` of an agentic-jwt token-service set-up (testee protocol): the key id,
/// chain-hash form and binding of the tokens, the workflows and the approvals given.
struct ProviderSettings: Sendable {
    /// The kid of the provider's RSA key, and of its P-256 key when it signs ES256.
    static let rsaKeyID = "idp-1"
    static let es256KeyID = "idp-es256"

    var keyID = ProviderSettings.rsaKeyID
    var hashForm = ChainHash.Form.portable
    var binding = BindingMethod.thumbprint
    var workflows: [Workflow] = []
    var approvals: [String] = []

    init() {}

    /// The `workflows` member of a settings object (absent: none).
    static func workflows(in o: JSONObject) throws -> [Workflow] {
        guard case let .array(items)? = o["workflows"] else { return [] }
        return try items.map { item in
            guard case let .object(w) = item else { throw ReferenceSetupError("a workflow must be an object") }
            return try Workflow(json: w)
        }
    }

    var json: JSONObject {
        [
            "key_id": .string(keyID), "hash_form": .string(hashForm.rawValue), "binding": .string(binding.rawValue),
            "workflows": .array(workflows.map { .object($0.json) }), "approvals": .array(approvals.map(JSONValue.string)),
        ]
    }

    init(jsonText: String) throws {
        let o = try JSONParser.parseObject(Array(jsonText.utf8), maxDepth: 16)
        keyID = try o.string("key_id") ?? keyID
        if let form = try o.string("hash_form") {
            guard let f = ChainHash.Form(rawValue: form) else { throw ReferenceSetupError("hash_form \(form)") }
            hashForm = f
        }
        if let text = try o.string("binding") {
            guard let b = BindingMethod(rawValue: text) else { throw ReferenceSetupError("binding is jkt or jwk, not \(text)") }
            binding = b
        }
        workflows = try Self.workflows(in: o)
        approvals = try o.stringArray("approvals") ?? []
    }
}
