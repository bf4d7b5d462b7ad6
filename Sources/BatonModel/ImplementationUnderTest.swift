/// An issuer, verifier or agent under test. Baton drives every implementation
/// through this one interface: the built-in reference in process, a testee
/// subprocess speaking the testee protocol, or a real agent over HTTP.
///
/// Implementations never throw: anything that goes wrong is an `Outcome` with
/// verdict `.error` (crash, hang, garbage), so one bad case never stops a run.
public protocol ImplementationUnderTest: Sendable {
    var descriptor: ImplementationDescriptor { get }
    func mint(_ request: MintRequest) -> IssueResult
    func delegate(_ request: DelegateRequest) -> IssueResult
    func verify(_ request: VerifyRequest) -> Outcome
    /// Token services (`sts` role): prepare a fresh service for one scenario.
    func setUpTokenService(_ setup: TokenServiceSetup) -> TokenServiceSetupResult
    /// Token services: the root token an agent gets when a person authorizes it.
    func login(_ request: LoginRequest) -> IssueResult
    /// Token services: one token request; refusals carry the OAuth `error` as code.
    func exchange(_ call: ExchangeCall) -> IssueResult
}

extension ImplementationUnderTest {
    public func setUpTokenService(_ setup: TokenServiceSetup) -> TokenServiceSetupResult {
        .failed(.failed("\(descriptor.name) is not a token service"))
    }
    public func login(_ request: LoginRequest) -> IssueResult { .refused(.failed("\(descriptor.name) is not a token service")) }
    public func exchange(_ call: ExchangeCall) -> IssueResult { .refused(.failed("\(descriptor.name) is not a token service")) }
}

extension ImplementationUnderTest {
    public func supports(_ role: ImplementationRole) -> Bool { descriptor.roles.contains(role) }
    public func supports(_ option: ImplementationOption) -> Bool { descriptor.options.contains(option) }
    public func supports(profile: TokenProfile) -> Bool { descriptor.profiles.contains(profile) }
}
