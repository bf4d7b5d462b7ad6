import BatonCrypto
import JOSE

/// The two hashes an intent token carries about the workflow so far: `delegation_chain` (the
/// agents that acted before, plus this step) and `step_sequence_hash` (the steps completed
/// before, plus this step). Both are the first 16 hex digits (64 bits) of a SHA-256, signed by
/// no delegator: a known limit of the design.
public enum ChainHash {
    /// How the hashed text is formed.
    public enum Form: String, Hashable, Sendable, CaseIterable, Codable {
        /// Baton's portable form: SHA-256 over the canonical JSON (sorted keys, no whitespace)
        /// of `[item, …, {"agent_id":…,"step_id":…,"tool_name":…}]`. Unambiguous and reproducible
        /// in any language.
        case portable
        /// The proof of concept's form: SHA-256 over `"|".join(items + [str(step)])`, where
        /// `str(step)` is Python's text of the dict `{'step_id': …, 'agent_id': …, 'tool_name': …}`
        /// (keys in that order). Ambiguous when an item contains `|`.
        case python
    }

    /// `delegation_chain` for `step` after the agents in `chain`.
    public static func delegationChain(_ chain: [String], step: IntentClaims.StepReference, form: Form) -> String {
        hash(chain, step: step, form: form)
    }

    /// `step_sequence_hash` for `step` after the steps in `completed`.
    public static func stepSequence(_ completed: [String], step: IntentClaims.StepReference, form: Form) -> String {
        hash(completed, step: step, form: form)
    }

    static func hash(_ items: [String], step: IntentClaims.StepReference, form: Form) -> String {
        let text: [UInt8]
        switch form {
        case .portable:
            let stepObject: JSONObject = ["agent_id": .string(step.agentID), "step_id": .string(step.stepID), "tool_name": .string(step.toolName)]
            text = JSONValue.array(items.map(JSONValue.string) + [.object(stepObject)]).serialized()
        case .python:
            let stepText =
                "{'step_id': \(pythonRepr(step.stepID)), 'agent_id': \(pythonRepr(step.agentID)), 'tool_name': \(pythonRepr(step.toolName))}"
            text = Array((items + [stepText]).joined(separator: "|").utf8)
        }
        return String(Hex.encode(SHA256.hash(text)).prefix(16))
    }

    /// Python 3's `repr()` of a `str`: single quotes unless the text has a `'` and no `"`;
    /// backslash, the quote used and control characters escaped; other printable characters
    /// (non-ASCII included) as they are.
    public static func pythonRepr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Character(scalar) == quote: out += "\\\(quote)"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: out += "\\x" + hex2(scalar.value)
            case _ where (0x80..<0xa0).contains(scalar.value): out += "\\x" + hex2(scalar.value)
            case _ where !isPrintable(scalar) && scalar.value <= 0xff: out += "\\x" + hex2(scalar.value)
            case _ where !isPrintable(scalar):
                out += scalar.value <= 0xffff ? "\\u" + hex(scalar.value, width: 4) : "\\U" + hex(scalar.value, width: 8)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append(quote)
        return out
    }

    /// Python's `str.isprintable` for one character: not a separator other than the space, not
    /// a control, format, surrogate, private-use or unassigned code point.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }

    static func hex2(_ v: UInt32) -> String { hex(v, width: 2) }
    static func hex(_ v: UInt32, width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
