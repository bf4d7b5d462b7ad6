import BatonCrypto
import JOSE

/// The agent-definition checksums of Agentic JWT, byte for byte as auth51-checksum 0.4.0 (PyPI,
/// Apache-2.0) computes them: the identity an agent registers with the identity provider and
/// recomputes before asking for an intent token.
///
/// Baton reproduces **v1 to v4** for every definition (``Version``) and **v5** for definitions
/// whose in-process tools carry no source code (``computeV5(of:)``):
///
/// | version | form | hashes |
/// | --- | --- | --- |
/// | v1 | SHA-256, bare hex | `{id, prompt, tools, config}`: the prompt's lines collapsed, tools sorted by name, nothing else normalised |
/// | v2 | `sha3-512:v1:<hex>` | the canonicalised components: every tool in the order given, every string value collapsed and NFC |
/// | v3 | `sha3-512:id1:<hex>` | canonicalised `{agent_id, prompt_template, configuration}`: no tools |
/// | v4 | `sha3-512:id2:<hex>` | v3 plus the in-process tools' `{name, description, parameters}`, sorted by name |
/// | v5 | `sha3-512:id3:<hex>` | v4 plus each tool's source code as Python's `ast.unparse` prints it |
///
/// v5 of a tool with source code cannot be reproduced outside Python: the library parses the code
/// with Python's own parser, drops docstrings and comments and prints it back with `ast.unparse`,
/// whose output is defined by CPython alone and changes between Python versions. Without source code
/// (or with an empty one) v5 hashes exactly what v4 hashes under its own tag, and Baton computes it.
///
/// Each version hashes the UTF-8 of `json.dumps(form, sort_keys=True)` (``preimage(_:of:)``);
/// `ensure_ascii` makes that text ASCII. Sub-agent tools are in no version; MCP tools are in v1 and
/// v2 but not in v4 and v5 (see ``AgentTool``). The vectors in `Fixtures/checksum-vectors.json` are
/// made by the library itself (`Interop/checksum_vectors.py`) and checked in CI; `docs/AGENT-CHECKSUM.md`
/// has the details and the known limits.
public enum AgentChecksum {
    /// The checksum versions Baton computes for every agent definition.
    public enum Version: String, Sendable, Hashable, CaseIterable {
        /// `compute_v1` ("patchet-compat"): SHA-256, bare lower-case hex. Only the prompt is
        /// normalised (lines collapsed, no NFC); tools are sorted by name.
        case v1
        /// `compute_v2`: SHA3-512 over the canonicalised components, `sha3-512:v1:<hex>`. Tools keep
        /// their order.
        case v2
        /// `compute_v3_identity`: SHA3-512 over the canonicalised id, prompt and configuration,
        /// `sha3-512:id1:<hex>`.
        case v3
        /// `compute_v4_identity`: v3 plus the in-process tools' interfaces, `sha3-512:id2:<hex>`.
        case v4

        /// What the checksum starts with: `sha3-512:<tag>:`, or nothing for v1.
        public var prefix: String {
            switch self {
            case .v1: return ""
            case .v2: return "sha3-512:v1:"
            case .v3: return "sha3-512:id1:"
            case .v4: return "sha3-512:id2:"
            }
        }
    }

    /// What a v5 checksum starts with.
    public static let v5Prefix = "sha3-512:id3:"

    /// The checksum of `definition` under `version`, as the library's `compute_v1` …
    /// `compute_v4_identity` return it.
    public static func compute(_ version: Version, of definition: AgentDefinition) -> String {
        let text = Array(preimage(version, of: definition).utf8)
        switch version {
        case .v1: return Hex.encode(SHA256.hash(text))
        case .v2, .v3, .v4: return version.prefix + Hex.encode(SHA3_512Digest.hash(text))
        }
    }

    /// The v5 checksum (`compute_v5_identity`), or `nil` when an in-process tool carries non-empty
    /// source code, whose v5 form only Python's `ast.unparse` can give.
    public static func computeV5(of definition: AgentDefinition) -> String? {
        guard !definition.tools.contains(where: { $0.countsForIdentity && !($0.sourceCode ?? "").isEmpty }) else { return nil }
        return v5Prefix + Hex.encode(SHA3_512Digest.hash(Array(preimage(.v4, of: definition).utf8)))
    }

    /// Whether `registered` is the checksum of `definition` under any version Baton can compute for
    /// it, as the library's `matches` (which tries v1 to v5) answers whenever Baton can compute v5.
    public static func matches(registered: String, definition: AgentDefinition) -> Bool {
        Version.allCases.contains { compute($0, of: definition) == registered } || computeV5(of: definition) == registered
    }

    /// The exact text the version hashes: Python's `json.dumps(form, sort_keys=True)`, with the
    /// form described at ``Version``. For reports and for finding where two implementations part.
    public static func preimage(_ version: Version, of definition: AgentDefinition) -> String {
        PythonJSON.dumps(.object(form(version, of: definition)))
    }

    /// The JSON object the version serialises (before `json.dumps`).
    static func form(_ version: Version, of definition: AgentDefinition) -> JSONObject {
        switch version {
        case .v1:
            let tools = PythonText.sorted(definition.tools.filter(\.countsForFullForms), by: \.name).map { tool -> JSONValue in
                var entry: JSONObject = ["name": .string(tool.name), "signature": .string(tool.signature), "description": .string(tool.description)]
                if let source = tool.sourceCode, !source.isEmpty { entry["source_code"] = .string(source) }
                return .object(entry)
            }
            return [
                "id": .string(definition.id), "prompt": .string(PythonText.collapseLines(definition.prompt)), "tools": .array(tools),
                "config": .object(definition.configuration),
            ]
        case .v2:
            let tools = definition.tools.filter(\.countsForFullForms).map { tool -> JSONValue in
                [
                    "name": .string(tool.name), "signature": .string(tool.signature), "description": .string(tool.description),
                    "source_code": tool.sourceCode.map(JSONValue.string) ?? .null, "is_agent": false,
                ]
            }
            var components = identity(of: definition)
            components["tools"] = .array(tools)
            return Canonicalizer.canonicalize(components)
        case .v3:
            return Canonicalizer.canonicalize(identity(of: definition))
        case .v4:
            let tools = definition.tools.filter(\.countsForIdentity).map { tool in
                (
                    name: PythonText.strip(tool.name), description: PythonText.collapseLines(tool.description),
                    parameters: tool.parameters ?? .string(tool.signature)
                )
            }
            var components = identity(of: definition)
            components["tools"] = .array(
                PythonText.sorted(tools, by: \.name).map {
                    ["name": .string($0.name), "description": .string($0.description), "parameters": $0.parameters]
                })
            return Canonicalizer.canonicalize(components)
        }
    }

    private static func identity(of definition: AgentDefinition) -> JSONObject {
        ["agent_id": .string(definition.id), "prompt_template": .string(definition.prompt), "configuration": .object(definition.configuration)]
    }
}
