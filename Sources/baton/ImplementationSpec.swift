import ArgumentParser
import BatonCrypto
import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import Foundation

/// An implementation under test as `--iut` names it, parsed once at the command line:
/// `reference`, `flawed:NAME`, `cmd:COMMAND LINE`, `http://127.0.0.1:PORT` (A2A agents),
/// `oauth:http://127.0.0.1:PORT[#name&option=value]` (an OAuth token service),
/// `zeroid:http://127.0.0.1:PORT[#name&body=json&admin=/api/v1]` (a ZeroID deployment) or
/// `rs:http://127.0.0.1:PORT#CONFIG.json[&option=value]` (a resource server, Agentic JWT) or
/// `gateway:http://127.0.0.1:PORT#name&upstream=PORT2[&profiles=P1,P2]` (a gateway in a workflow's path).
enum ImplementationSpec: ExpressibleByArgument, Hashable, CustomStringConvertible {
    case reference
    case flawed(String)
    case command(String)
    case agents(URL)
    /// A token endpoint on loopback, the name reports give it, and the token type it takes for JWTs.
    case tokenEndpoint(URL, name: String, subjectTokenTypeForJWT: String?)
    /// A ZeroID deployment on loopback, the name reports give it, whether token requests are JSON, and
    /// where its admin API is mounted.
    case zeroID(URL, name: String, jsonBodies: Bool, adminPrefix: String)
    /// A resource server on loopback and its configuration file (`Fixtures/resource-servers/`).
    case resourceServer(ResourceServerSpec)
    /// A gateway or proxy, and the loopback port it forwards to.
    case gateway(URL, name: String, upstreamPort: UInt16, profiles: [TokenProfile])

    static let forms =
        "reference, flawed:<flaw>, cmd:<command line>, http://127.0.0.1:PORT, oauth:http://127.0.0.1:PORT[#name], zeroid:http://127.0.0.1:PORT[#name&body=json&admin=/api/v1], rs:http://127.0.0.1:PORT#<config.json>[&name=N&scheme=S], gateway:http://127.0.0.1:PORT#name&upstream=PORT2"

    init?(argument: String) {
        guard let spec = try? ImplementationSpec(parsing: argument) else { return nil }
        self = spec
    }

    /// Parses `text`, saying what is wrong with it.
    init(parsing text: String) throws {
        switch text {
        case "reference": self = .reference
        case let n where n.hasPrefix("cmd:"):
            let line = String(n.dropFirst("cmd:".count)).trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { throw ValidationError("'cmd:' needs a command line, e.g. cmd:python3 Interop/minimal_testee.py") }
            self = .command(line)
        case let n where n.hasPrefix("oauth:"):
            // A URL fragment names the implementation in reports and may carry options after '&':
            // oauth:http://127.0.0.1:8000#authgent-server&subject_token_type=access_token sends
            // urn:ietf:params:oauth:token-type:access_token where a scenario says ...:jwt.
            let rest = String(n.dropFirst("oauth:".count))
            guard let url = URL(string: rest), url.isLoopbackHTTP else {
                throw ValidationError("'oauth:' needs a loopback http URL (127.0.0.1, localhost or [::1]): \(rest)")
            }
            var base = URLComponents(url: url, resolvingAgainstBaseURL: false)
            let parts = (base?.fragment ?? "").split(separator: "&").map(String.init)
            let name = parts.first.flatMap { $0.isEmpty || $0.contains("=") ? nil : $0 } ?? "oauth-sts"
            var tokenType: String?
            for option in parts where option.contains("=") {
                let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, kv[0] == "subject_token_type", !kv[1].isEmpty else {
                    throw ValidationError("unknown 'oauth:' option '\(option)' (known: subject_token_type=<type>)")
                }
                tokenType = kv[1].contains(":") ? kv[1] : "urn:ietf:params:oauth:token-type:\(kv[1])"
            }
            base?.fragment = nil
            self = .tokenEndpoint(base?.url ?? url, name: name, subjectTokenTypeForJWT: tokenType)
        case let n where n.hasPrefix("zeroid:"):
            // zeroid:http://127.0.0.1:8899#my-zeroid&body=json&admin=/api/v1: ZeroID's own HTTP API; the fragment
            // names the implementation, may ask for JSON token requests (form by default) and says where the
            // admin API is mounted (ZeroID's AdminPathPrefix, /api/v1 by default).
            let rest = String(n.dropFirst("zeroid:".count))
            guard let url = URL(string: rest), url.isLoopbackHTTP else {
                throw ValidationError("'zeroid:' needs a loopback http URL (127.0.0.1, localhost or [::1]): \(rest)")
            }
            var base = URLComponents(url: url, resolvingAgainstBaseURL: false)
            let parts = (base?.fragment ?? "").split(separator: "&").map(String.init)
            let name = parts.first.flatMap { $0.isEmpty || $0.contains("=") ? nil : $0 } ?? "zeroid"
            var json = false
            var admin = "/api/v1"
            for option in parts where option.contains("=") {
                switch option {
                case "body=json": json = true
                case "body=form": json = false
                case let a where a.hasPrefix("admin="):
                    admin = String(a.dropFirst("admin=".count))
                    guard admin.hasPrefix("/"), !admin.contains("?"), !admin.contains("#") else {
                        throw ValidationError("'zeroid:' admin= is a path starting with /, e.g. admin=/api/v1")
                    }
                default: throw ValidationError("unknown 'zeroid:' option '\(option)' (known: body=json, body=form, admin=/PATH)")
                }
            }
            base?.fragment = nil
            self = .zeroID(base?.url ?? url, name: name, jsonBodies: json, adminPrefix: admin)
        case let n where n.hasPrefix("gateway:"):
            // gateway:http://127.0.0.1:8760#my-gateway&upstream=8761[&profiles=aip-chained,token-exchange]: a gateway
            // or proxy configured to forward to http://127.0.0.1:8761, where Baton listens to see what it lets through.
            let rest = String(n.dropFirst("gateway:".count))
            guard let url = URL(string: rest), url.isLoopbackHTTP else {
                throw ValidationError("'gateway:' needs a loopback http URL (127.0.0.1, localhost or [::1]): \(rest)")
            }
            var base = URLComponents(url: url, resolvingAgainstBaseURL: false)
            let parts = (base?.fragment ?? "").split(separator: "&").map(String.init)
            let name = parts.first.flatMap { $0.isEmpty || $0.contains("=") ? nil : $0 } ?? "http-gateway"
            var upstream: UInt16?
            var profiles = [TokenProfile("aip-chained")]
            for option in parts where option.contains("=") {
                let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
                switch kv.first {
                case "upstream":
                    guard kv.count == 2, let port = UInt16(kv[1]), port > 0 else {
                        throw ValidationError("'gateway:' upstream=PORT needs a port: \(option)")
                    }
                    upstream = port
                case "profiles":
                    profiles = kv.count == 2 ? kv[1].split(separator: ",").map { TokenProfile(String($0)) } : []
                    guard !profiles.isEmpty else { throw ValidationError("'gateway:' profiles=P1,P2 needs at least one profile") }
                default: throw ValidationError("unknown 'gateway:' option '\(option)' (known: upstream=PORT, profiles=P1,P2)")
                }
            }
            guard let upstream else {
                throw ValidationError("'gateway:' needs upstream=PORT: the loopback port the gateway forwards to, where Baton listens")
            }
            base?.fragment = nil
            self = .gateway(base?.url ?? url, name: name, upstreamPort: upstream, profiles: profiles)
        case let n where n.hasPrefix(ResourceServerSpec.prefix):
            // rs:http://127.0.0.1:8000#Fixtures/resource-servers/auth51-verifier.json[&name=N][&scheme=Bearer]:
            // the configuration file names the server, its endpoints and how its refusals read.
            do { self = .resourceServer(try ResourceServerSpec(parsing: String(n.dropFirst(ResourceServerSpec.prefix.count)))) } catch {
                throw ValidationError(error.message)
            }
        case let n where n.hasPrefix("http"):
            guard let url = URL(string: n), url.isLoopbackHTTP else {
                throw ValidationError("HTTP targets must be http URLs on loopback (127.0.0.1, localhost or [::1]): \(n)")
            }
            self = .agents(url)
        case let n where n.hasPrefix("flawed:"):
            let name = String(n.dropFirst("flawed:".count))
            guard ReferenceImplementation.flawed(named: name) != nil else {
                throw ValidationError("unknown flaw in '\(n)' (known: \(ReferenceImplementation.gallery.map(\.name).joined(separator: ", ")))")
            }
            self = .flawed(name)
        default: throw ValidationError("unknown implementation '\(text)' (known: \(Self.forms))")
        }
    }

    var description: String {
        switch self {
        case .reference: return "reference"
        case let .flawed(name): return "flawed:\(name)"
        case let .command(line): return "cmd:\(line)"
        case let .agents(url): return url.absoluteString
        case let .tokenEndpoint(url, name, _): return "oauth:\(url.absoluteString)#\(name)"
        case let .zeroID(url, name, json, admin):
            return "zeroid:\(url.absoluteString)#\(name)\(json ? "&body=json" : "")\(admin == "/api/v1" ? "" : "&admin=\(admin)")"
        case let .resourceServer(spec): return spec.description
        case let .gateway(url, name, port, profiles):
            return "gateway:\(url.absoluteString)#\(name)&upstream=\(port)&profiles=\(profiles.map(\.rawValue).joined(separator: ","))"
        }
    }

    static var defaultValueDescription: String { "reference" }

    /// The implementation, ready to be driven; `timeout` bounds each request to an external one.
    func make(timeout seconds: Double = 10) throws -> any ImplementationUnderTest {
        switch self {
        case .reference: return ReferenceImplementation()
        case let .flawed(name):
            guard let flawed = ReferenceImplementation.flawed(named: name) else { throw ValidationError("unknown flaw \(name)") }
            return flawed
        case let .command(line):
            try Self.check(seconds)
            return TesteeProcess(commandLine: line, timeout: .milliseconds(Int64(seconds * 1000)))
        case let .agents(url):
            return HTTPAgentTarget(baseURL: url, timeout: seconds)
        case let .tokenEndpoint(url, name, tokenType):
            try Self.check(seconds)
            return TokenEndpointTarget(baseURL: url, timeout: seconds, name: name, subjectTokenTypeForJWT: tokenType)
        case let .zeroID(url, name, json, admin):
            try Self.check(seconds)
            return ZeroIDTarget(baseURL: url, timeout: seconds, name: name, jsonBodies: json, adminPrefix: admin)
        case let .resourceServer(spec):
            try Self.check(seconds)
            return spec.target(timeout: seconds)
        case let .gateway(url, name, port, profiles):
            try Self.check(seconds)
            do { return try GatewayTarget(baseURL: url, upstreamPort: port, name: name, profiles: profiles, timeout: seconds) } catch {
                throw ValidationError("cannot listen on 127.0.0.1:\(port) for the gateway's upstream: \(error)")
            }
        }
    }

    static func check(_ seconds: Double) throws {
        guard seconds > 0, seconds <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
    }
}

/// How the commands that drive implementations name them: `--iut` (repeatable) and `--timeout`.
struct TargetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The implementation under test: 'reference' (built in), 'flawed:<flaw>', 'cmd:<command line>' (a baton-testee/1 subprocess), 'http://127.0.0.1:PORT' (A2A agents), 'oauth:http://127.0.0.1:PORT[#name]' (an OAuth token service), 'zeroid:http://127.0.0.1:PORT[#name&body=json]' (a ZeroID deployment: ZeroID's HTTP API; baton serve-sts --profile zeroid), 'rs:http://127.0.0.1:PORT#<config.json>' (a resource server, Agentic JWT; Fixtures/resource-servers/).",
            valueName: "implementation"),
        transform: { try ImplementationSpec(parsing: $0) })
    var iut: [ImplementationSpec] = []

    @Option(help: "Per-request timeout for a 'cmd:', HTTP, 'oauth:', 'zeroid:' or 'rs:' testee, in seconds.")
    var timeout: Double = 10

    /// The implementations named, or the reference when none is.
    var specs: [ImplementationSpec] { iut.isEmpty ? [.reference] : iut }
}

/// Where the scenario files are: the paths given, or `Scenarios/`.
struct ScenarioPaths: ParsableArguments {
    @Argument(help: "Scenario files or directories (default: Scenarios).")
    var paths: [String] = []

    /// The catalog, with file names relative to the root when there is a single one.
    func load() -> ScenarioLoader.Catalog { Self.load(paths) }

    static func load(_ paths: [String]) -> ScenarioLoader.Catalog {
        let roots = paths.isEmpty ? ["Scenarios"] : paths
        return ScenarioLoader.load(paths: roots, relativeTo: roots.count == 1 ? roots[0] : nil)
    }

    /// SHA-256 (hex) over every YAML file under the roots: its path relative to its root, a NUL, its
    /// length and its bytes, in path order; and how many files there were.
    func digest() -> (sha256: String, files: Int) {
        let roots = paths.isEmpty ? ["Scenarios"] : paths
        var files: [(name: String, path: String)] = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else { continue }
            guard isDirectory.boolValue else {
                files.append((root, root))
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") { files.append(("\(root)/\(relative)", "\(root)/\(relative)")) }
            }
        }
        var bytes: [UInt8] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            let data = FileManager.default.contents(atPath: file.path).map { [UInt8]($0) } ?? []
            bytes += Array(file.name.utf8) + [0] + Array("\(data.count)".utf8) + [0] + data
        }
        return (Hex.encode(SHA256.hash(bytes)), files.count)
    }
}
