import AgenticJWT
import Foundation
import JOSE

/// What Baton must know of a real resource server to drive it (`--iut rs:URL#CONFIG.json`): its
/// name and version, how it wants the access token sent, its protected endpoints (path relative to
/// the base URL, method, the scope each requires, and the action it serves if it names one), and
/// how to read its refusals: the members of a JSON error body that carry the message, and an
/// ordered table of (substring of the message → `ajwt_*` code) rules; the first rule that matches
/// gives the code. Example: `Fixtures/resource-servers/auth51-verifier.json`.
///
/// ```json
/// {
///   "name": "auth51-verifier", "version": "1.0.0",
///   "authorization_scheme": "Bearer",
///   "endpoints": [{"path": "/protected", "method": "GET", "scope": "read:data"}],
///   "message_members": ["error", "detail"],
///   "refusals": [{"contains": "Missing bearer token", "code": "ajwt_token_missing"}]
/// }
/// ```
public struct ResourceServerConfiguration: Hashable, Sendable {
    /// One protected endpoint, relative to the server's base URL.
    public struct Endpoint: Hashable, Sendable {
        /// Path (and query, if the server wants one), starting with `/`.
        public var path: String
        public var method: String
        /// The action (tool) the server says the endpoint serves; nil: the scenario's name is kept.
        public var action: String?
        /// The scope the endpoint requires; nil: none.
        public var scope: String?

        public init(path: String, method: String = "GET", action: String? = nil, scope: String?) {
            self.path = path
            self.method = method
            self.action = action
            self.scope = scope
        }
    }

    /// A refusal whose message contains `contains` (case-sensitive) is reported with `code`.
    public struct RefusalRule: Hashable, Sendable {
        public var contains: String
        public var code: AgenticJWTCode

        public init(contains: String, code: AgenticJWTCode) {
            self.contains = contains
            self.code = code
        }
    }

    /// The implementation's name in reports (and of its default known-failure list).
    public var name: String
    public var version: String
    /// `DPoP` (RFC 9449 §7.1, the default) or `Bearer`: `Authorization: <scheme> <token>`.
    public var authorizationScheme: String
    public var endpoints: [Endpoint]
    /// The members of a JSON error body that hold the message, tried in order.
    public var messageMembers: [String]
    public var refusals: [RefusalRule]

    public static let defaultMessageMembers = ["error_description", "error", "detail", "message"]

    public init(
        name: String, version: String = "", authorizationScheme: String = "DPoP", endpoints: [Endpoint],
        messageMembers: [String] = defaultMessageMembers, refusals: [RefusalRule] = []
    ) {
        self.name = name
        self.version = version
        self.authorizationScheme = authorizationScheme
        self.endpoints = endpoints
        self.messageMembers = messageMembers
        self.refusals = refusals
    }

    /// The code of the first rule whose text the message contains; nil: none matches.
    public func code(forMessage message: String) -> AgenticJWTCode? {
        refusals.first { message.contains($0.contains) }?.code
    }
}

extension ResourceServerConfiguration {
    /// Why a configuration file cannot be used.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Reads a configuration file; every mistake is named with the file and the member.
    public init(contentsOf path: String) throws(Invalid) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Invalid("\(path): cannot be read (\(error.localizedDescription))")
        }
        do { try self.init(json: data) } catch { throw Invalid("\(path): \(error.message)") }
    }

    /// Reads a configuration from JSON; unknown members are refused (a typo must not go unnoticed).
    public init(json data: Data) throws(Invalid) {
        let o: JSONObject
        do { o = try JSONParser.parseObject(Array(data), maxDepth: 8) } catch { throw Invalid("not a JSON object (\(error))") }
        try Self.rejectUnknown(o, ["name", "version", "notes", "authorization_scheme", "endpoints", "message_members", "refusals"], at: "")
        guard let name = o["name"]?.stringValue, !name.isEmpty else { throw Invalid("name: a non-empty string is required") }
        let version = try Self.optionalString(o, "version", at: "") ?? ""
        if let notes = o["notes"], notes.stringValue == nil, notes.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
            throw Invalid("notes: a string or an array of strings")
        }
        let scheme = try Self.optionalString(o, "authorization_scheme", at: "") ?? "DPoP"
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw Invalid("authorization_scheme: a token such as DPoP or Bearer, found '\(scheme)'")
        }
        guard let items = o["endpoints"]?.arrayValue, !items.isEmpty else { throw Invalid("endpoints: a non-empty array is required") }
        var endpoints: [Endpoint] = []
        for (i, item) in items.enumerated() {
            let at = "endpoints[\(i)]."
            guard let e = item.objectValue else { throw Invalid("endpoints[\(i)]: an object is required") }
            try Self.rejectUnknown(e, ["path", "method", "action", "scope"], at: at)
            guard let path = e["path"]?.stringValue, path.hasPrefix("/"), !path.contains("#"), !path.contains(where: \.isWhitespace) else {
                throw Invalid("\(at)path: a path starting with '/' (no spaces, no fragment) is required")
            }
            let method = try Self.optionalString(e, "method", at: at) ?? "GET"
            guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw Invalid("\(at)method: an upper-case HTTP method, found '\(method)'")
            }
            endpoints.append(
                Endpoint(
                    path: path, method: method, action: try Self.optionalString(e, "action", at: at),
                    scope: try Self.optionalString(e, "scope", at: at)))
        }
        var members = Self.defaultMessageMembers
        if let value = o["message_members"] {
            guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count, !list.isEmpty else {
                throw Invalid("message_members: a non-empty array of strings")
            }
            members = list
        }
        var rules: [RefusalRule] = []
        if let value = o["refusals"] {
            guard let items = value.arrayValue else { throw Invalid("refusals: an array of {contains, code}") }
            for (i, item) in items.enumerated() {
                let at = "refusals[\(i)]."
                guard let r = item.objectValue else { throw Invalid("refusals[\(i)]: an object {contains, code} is required") }
                try Self.rejectUnknown(r, ["contains", "code"], at: at)
                guard let text = r["contains"]?.stringValue, !text.isEmpty else { throw Invalid("\(at)contains: a non-empty string is required") }
                guard let codeText = r["code"]?.stringValue, let code = AgenticJWTCode(rawValue: codeText) else {
                    throw Invalid("\(at)code: one of the ajwt_* codes (\(AgenticJWTCode.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                rules.append(RefusalRule(contains: text, code: code))
            }
        }
        self.init(name: name, version: version, authorizationScheme: scheme, endpoints: endpoints, messageMembers: members, refusals: rules)
    }

    static func rejectUnknown(_ o: JSONObject, _ known: [String], at: String) throws(Invalid) {
        if let unknown = o.keys.first(where: { !known.contains($0) }) {
            throw Invalid("\(at)\(unknown): unknown member (known: \(known.joined(separator: ", ")))")
        }
    }

    static func optionalString(_ o: JSONObject, _ key: String, at: String) throws(Invalid) -> String? {
        guard let value = o[key], value != .null else { return nil }
        guard let s = value.stringValue else { throw Invalid("\(at)\(key): a string, found \(value.typeName)") }
        return s
    }
}
