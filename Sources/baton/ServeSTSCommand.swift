import ArgumentParser
import BatonModel
import BatonProfiles
import BatonRuntime
import Foundation
import JOSE
import TokenExchange
import ZeroID

/// `baton serve-sts`: the reference token service behind an OAuth interface on loopback HTTP, so the
/// OAuth path (`baton run --iut oauth:http://127.0.0.1:PORT`) is tested end to end; with
/// `--profile agentic-jwt`, the reference Agentic JWT identity provider (registration, minting, its
/// JWKS and metadata), for agents outside Baton and for a real resource server under test to fetch
/// the keys (`baton run --iut rs:…`); with `--profile zeroid`, the reference ZeroID service behind ZeroID's
/// own HTTP API, so the ZeroID target (`baton run --iut zeroid:http://127.0.0.1:PORT`) is tested end to end.
struct ServeSTSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-sts",
        abstract: "Serve the reference token service on 127.0.0.1 (RFC 8414 metadata, RFC 7591 /register, /oauth2/token).",
        discussion: """
            With --profile agentic-jwt it serves the reference Agentic JWT identity provider instead (issuer \
            https://idp.acme.com, wall clock): GET /.well-known/jwks.json and /.well-known/oauth-authorization-server, \
            POST /intent/register/agent, /intent/register/workflow, /intent/approve and /intent/token (the \
            agent_checksum grant). Its keys are fixed: the JWKS never changes. docs/AGENTIC-JWT.md has the bodies.

            With --profile zeroid it serves the reference ZeroID service with ZeroID's endpoints (POST /oauth2/token with \
            the token-exchange and client_credentials grants, JSON or form; /oauth2/token/introspect, /oauth2/token/revoke, \
            /.well-known/jwks.json, /.well-known/oauth-authorization-server) and its admin API under /api/v1 (identities, \
            credential-policies, oauth/clients, delegations/by-jti/{jti}; tenant from X-Account-ID and X-Project-ID), plus \
            the Baton extensions POST /baton/zeroid/setup and /baton/zeroid/identity for what the admin API cannot set \
            (token profile, behaviour, default TTL, signing key; keys and statuses ZeroID would refuse), per session \
            (header X-Baton-Session). --plain leaves the extensions out of the metadata, as a real ZeroID; --compat \
            zeroid makes the service that answers without a session reproduce ZeroID f08f979's quirks. docs/ZEROID.md \
            has the bodies.
            """)

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).") var port: UInt16 = 8760
    @Option(help: "The token profile served: token-exchange, agentic-jwt or zeroid.") var profile: TokenProfile = TokenProfile("token-exchange")
    @Option(help: "Claim layout until a Baton set-up replaces it: agent-subject or rfc8693.") var layout: ClaimLayout = .agentSubject
    @Option(help: "Signing algorithm until a Baton set-up replaces it: EdDSA or ES256.") var algorithm: JWSAlgorithm = .eddsa
    @Flag(help: "Leave the Baton extension members (baton_setup_endpoint, baton_login_endpoint …) out of the metadata.")
    var plain = false
    @Option(help: "ZeroID: the behaviour of the service that answers requests naming no session (spec or zeroid).")
    var compat: ZeroIDCompatibility = .spec

    func run() throws {
        switch profile {
        case .agenticJWT: try serveIdentityProvider()
        case TokenProfile("token-exchange"): try serveTokenService()
        case .zeroID: try serveZeroID()
        default: throw ValidationError("--profile must be token-exchange, agentic-jwt or zeroid")
        }
    }

    func serveTokenService() throws {
        guard [.eddsa, .es256].contains(algorithm) else { throw ValidationError("--algorithm must be EdDSA or ES256") }
        let sts = ReferenceTokenEndpointServer(layout: layout, algorithm: algorithm.rawValue, batonExtensions: !plain)
        let server = try LoopbackHTTPServer(port: port) { sts.handle($0) }
        try sts.start(baseURL: "http://127.0.0.1:\(server.port)")
        Console.err("baton: token service listening on http://127.0.0.1:\(server.port) (\(layout.rawValue), \(algorithm.rawValue)); Ctrl-C to stop")
        server.serve()
    }

    func serveZeroID() throws {
        let zeroid = ReferenceZeroIDServer(batonExtensions: !plain, compatibility: compat)
        let server = try LoopbackHTTPServer(port: port) { zeroid.handle($0) }
        try zeroid.start(baseURL: "http://127.0.0.1:\(server.port)")
        Console.err(
            "baton: ZeroID service on http://127.0.0.1:\(server.port) (ZeroID's endpoints, admin API at /api/v1\(plain ? "" : "; Baton set-up at \(ReferenceZeroIDServer.setupPath)"); \(compat.rawValue)); Ctrl-C to stop"
        )
        server.serve()
    }

    func serveIdentityProvider() throws {
        let idp = ReferenceIdentityProviderServer()
        let server = try LoopbackHTTPServer(port: port) { idp.handle($0) }
        idp.start(baseURL: "http://127.0.0.1:\(server.port)")
        Console.err(
            "baton: agentic-jwt identity provider on http://127.0.0.1:\(server.port) (issuer \(ReferenceIdentityProviderServer.issuer), JWKS at /.well-known/jwks.json); Ctrl-C to stop"
        )
        server.serve()
    }
}

extension ClaimLayout: ExpressibleByArgument {}
extension ZeroIDCompatibility: ExpressibleByArgument {}
extension JWSAlgorithm: ExpressibleByArgument {}
