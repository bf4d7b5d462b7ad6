import Foundation

/// How `--iut` names a resource server: `rs:http://127.0.0.1:PORT#CONFIG.json[&name=N][&scheme=S]`.
/// The URL is the server's base on loopback; the fragment's first part is the configuration file
/// (``ResourceServerConfiguration``), read when the spec is parsed; `name=` renames the
/// implementation in reports (and so its default known-failure list), `scheme=` overrides the
/// file's `authorization_scheme`.
public struct ResourceServerSpec: Hashable, Sendable, CustomStringConvertible {
    public static let prefix = "rs:"

    public var baseURL: URL
    /// The configuration file as given.
    public var configPath: String
    /// The file's configuration, with the options applied.
    public var configuration: ResourceServerConfiguration
    /// The text parsed (after `rs:`).
    public var text: String

    /// Parses the text after `rs:`; reads the configuration file.
    public init(parsing text: String) throws(ResourceServerConfiguration.Invalid) {
        let (urlText, fragment) = Self.split(text)
        guard let url = URL(string: urlText), url.isLoopbackHTTP, url.query == nil else {
            throw .init("'rs:' needs a loopback http URL (127.0.0.1, localhost or [::1]) without a query: \(urlText)")
        }
        let parts = (fragment ?? "").split(separator: "&", omittingEmptySubsequences: false).map(String.init)
        guard let path = parts.first, !path.isEmpty, !path.contains("=") else {
            throw .init("'rs:' needs a configuration file after '#', e.g. rs:http://127.0.0.1:8000#Fixtures/resource-servers/auth51-verifier.json")
        }
        var configuration = try ResourceServerConfiguration(contentsOf: path)
        for option in parts.dropFirst() {
            let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
            switch (kv.first, kv.count == 2 ? kv[1] : "") {
            case ("name"?, let value) where !value.isEmpty: configuration.name = value
            case ("scheme"?, let value) where !value.isEmpty && value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }):
                configuration.authorizationScheme = value
            default: throw .init("unknown 'rs:' option '\(option)' (known: name=<name>, scheme=<DPoP|Bearer>)")
            }
        }
        self.baseURL = url
        self.configPath = path
        self.configuration = configuration
        self.text = text
    }

    /// The target this spec names.
    public func target(timeout: TimeInterval = 10) -> ResourceServerTarget {
        ResourceServerTarget(baseURL: baseURL, configuration: configuration, timeout: timeout)
    }

    public var description: String { Self.prefix + text }

    /// The URL and the fragment (nil: no '#').
    static func split(_ text: String) -> (String, String?) {
        guard let hash = text.firstIndex(of: "#") else { return (text, nil) }
        return (String(text[..<hash]), String(text[text.index(after: hash)...]))
    }
}
