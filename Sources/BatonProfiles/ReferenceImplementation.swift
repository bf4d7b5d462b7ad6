import BatonHarness
import BatonModel

/// Baton's own implementations of every registered profile, in process: the default
/// implementation under test and the stand-in for the roles a testee does not play. Each
/// request goes to the reference of its profile; token-service calls go to the profile whose
/// reference is a token service.
public struct ReferenceImplementation: ImplementationUnderTest {
    let references: [(profile: TokenProfile, implementation: any ImplementationUnderTest)]

    public init(drivers: [any ProfileDriver] = ProfileRegistry.standard) {
        references = drivers.map { ($0.profile, $0.makeReference()) }
    }

    public var descriptor: ImplementationDescriptor {
        ReferenceDescriptor.make(profiles: references.map(\.profile).sorted(), roles: [.issuer, .verifier, .sts, .gateway], flaw: nil)
    }

    func reference(for profile: TokenProfile) -> (any ImplementationUnderTest)? {
        references.first { $0.profile == profile }?.implementation
    }

    /// The token service of `profile` (nil: the first profile whose reference is one).
    func tokenService(_ profile: TokenProfile? = nil) -> (any ImplementationUnderTest)? {
        if let profile { return references.first { $0.profile == profile && $0.implementation.supports(.sts) }?.implementation }
        return references.first { $0.implementation.supports(.sts) }?.implementation
    }

    public func mint(_ request: MintRequest) async -> IssueResult {
        await reference(for: request.profile)?.mint(request) ?? .refused(.failed("no reference for the \(request.profile) profile"))
    }

    public func delegate(_ request: DelegateRequest) async -> IssueResult {
        await reference(for: request.profile)?.delegate(request) ?? .refused(.failed("no reference for the \(request.profile) profile"))
    }

    /// The reference gateway, verifying with the reference.
    public func gatewayCall(_ call: GatewayCall) async -> GatewayDecision {
        await ReferenceGateway(
            verify: { await self.verify($0) }, read: { ProfileRegistry.driver(for: call.profile)?.readChain($0) ?? ChainReading() }
        )
        .decide(call)
    }

    public func verify(_ request: VerifyRequest) async -> Outcome {
        await reference(for: request.profile)?.verify(request) ?? .failed("no reference for the \(request.profile) profile")
    }

    public func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        await tokenService(setup.profile)?.setUpTokenService(setup) ?? .failed(.failed("no reference token service"))
    }

    public func login(_ request: LoginRequest) async -> IssueResult {
        await tokenService(request.profile)?.login(request) ?? .refused(.failed("no reference token service"))
    }

    public func exchange(_ call: ExchangeCall) async -> IssueResult {
        await tokenService(call.profile)?.exchange(call) ?? .refused(.failed("no reference token service"))
    }

    /// The flaw galleries of every registered profile.
    public static var gallery: [FlawVariant] { ProfileRegistry.flaws }

    /// A gallery variant by name (`flawed:NAME` without the prefix), or nil.
    public static func flawed(named name: String) -> (any ImplementationUnderTest)? {
        gallery.first { $0.name == name }?.implementation
    }

    /// The variant of one flaw.
    public static func flawed<F: Flaw>(_ flaw: F) -> any ImplementationUnderTest {
        guard let variant = gallery.first(where: { $0.name == flaw.rawValue }) else {
            preconditionFailure("\(flaw.rawValue) is in no registered profile's gallery")
        }
        return variant.implementation
    }
}
