import BatonModel
import Foundation
import JOSE

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real resource server on loopback (`--iut rs:http://127.0.0.1:PORT#CONFIG.json`), driven as the
/// `verifier` of the `agentic-jwt` profile over plain HTTP. Baton's reference identity provider
/// mints the intent tokens; the agents' DPoP proofs are made for the server's own endpoint URLs.
///
/// - The descriptor publishes the server's endpoints (``ResourceServerConfiguration``): the
///   profile maps a scenario's actions and scopes onto them in order of first appearance, so
///   tokens carry the scope names the server asks for.
/// - `verify` sends the call as the scenario makes it: the method, the URL, `Authorization:
///   <scheme> <token>` (`DPoP` per RFC 9449 §7.1 unless the configuration says otherwise), the
///   scenario's headers (the `DPoP` proof), no body (`{}` for POST, PUT and PATCH).
/// - 2xx is an acceptance; 400, 401 and 403 are refusals whose message (a member of a JSON error
///   body, or the `WWW-Authenticate` header) is mapped to an `ajwt_*` code by the configuration's
///   rules, the message kept in the outcome; anything else (5xx, 404, a refusal with no readable
///   message, no answer within the timeout) is an implementation error naming the request.
///
/// It does not honour Baton's clock (no `clock` option): the server reads the wall clock, so the
/// runner follows real time for it. It never throws or crashes, and never sends off loopback.
public struct ResourceServerTarget: ImplementationUnderTest {
    public var baseURL: URL
    public var configuration: ResourceServerConfiguration
    public var timeout: TimeInterval

    public init(baseURL: URL, configuration: ResourceServerConfiguration, timeout: TimeInterval = 10) {
        self.baseURL = baseURL
        self.configuration = configuration
        self.timeout = timeout
    }

    public var descriptor: ImplementationDescriptor {
        var d = ImplementationDescriptor(
            name: configuration.name, version: configuration.version.isEmpty ? baseURL.absoluteString : configuration.version,
            profiles: [TokenProfile("agentic-jwt")], roles: [.verifier], options: [])
        d.endpoints = configuration.endpoints.map { ResourceEndpoint(url: url(of: $0.path), method: $0.method, action: $0.action, scope: $0.scope) }
        return d
    }

    /// The absolute URL of a path of the server.
    public func url(of path: String) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    public func mint(_ request: MintRequest) async -> IssueResult { .refused(Outcome.unsupported("a resource server does not mint")) }
    public func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(Outcome.unsupported("a resource server does not delegate")) }

    public func verify(_ r: VerifyRequest) async -> Outcome {
        guard let resource = r.resource else {
            return Outcome.unsupported("a resource server verifies calls to its endpoints, and this verification carries no resource request")
        }
        guard let url = URL(string: resource.url), url.isLoopbackHTTP else {
            return .failed("\(resource.method) \(resource.url): not a loopback http URL, so it is not sent")
        }
        let method = resource.method.uppercased()
        let what = "\(method) \(resource.url)"
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = timeout
        request.cachePolicy = .reloadIgnoringLocalCacheData
        if let token = r.token { request.setValue("\(configuration.authorizationScheme) \(token)", forHTTPHeaderField: "Authorization") }
        for pair in resource.headers where pair.count == 2 && !Self.reservedHeaders.contains(pair[0].lowercased()) {
            request.addValue(pair[1], forHTTPHeaderField: pair[0])
        }
        if ["POST", "PUT", "PATCH"].contains(method) {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data("{}".utf8)
        }
        let answer = await LoopbackHTTPClient.exchange(request, timeout: timeout)
        if let error = answer.error { return .failed("\(what): \(error)") }
        let body = answer.body ?? Data()
        switch answer.status {
        case 200..<300:
            return Outcome(verdict: .accept, message: "HTTP \(answer.status)")
        case 400, 401, 403:
            guard let message = refusalMessage(body: body, answer: answer) else {
                return .failed(
                    "\(what): HTTP \(answer.status) with neither a JSON error body (\(configuration.messageMembers.joined(separator: ", "))) nor a WWW-Authenticate header: \(Self.snippet(body))"
                )
            }
            guard let code = configuration.code(forMessage: message) else {
                return Outcome(verdict: .reject, message: "HTTP \(answer.status): \(message) (no refusal rule of \(configuration.name) matches)")
            }
            return Outcome(verdict: .reject, code: code.rawValue, message: "HTTP \(answer.status): \(message)")
        default:
            return .failed("\(what): HTTP \(answer.status): \(Self.snippet(body))")
        }
    }

    /// Headers the target sets itself (or the transport does), never copied from the scenario.
    static let reservedHeaders: Set<String> = ["authorization", "host", "content-length", "content-type", "connection"]

    /// The refusal's message: the first configured member of a JSON object body (a string, or the
    /// JSON text of another value), else the `WWW-Authenticate` header; nil: neither.
    func refusalMessage(body: Data, answer: LoopbackHTTPClient.Answer) -> String? {
        if let object = try? JSONParser.parseObject(Array(body), maxDepth: 16) {
            for member in configuration.messageMembers {
                switch object[member] {
                case nil, .null?: continue
                case let .string(text)?: return text
                case let value?: return value.canonicalString
                }
            }
        }
        return answer.header("WWW-Authenticate")
    }

    /// The start of a body, on one line, for messages.
    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(120), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty body)" : text
    }
}
