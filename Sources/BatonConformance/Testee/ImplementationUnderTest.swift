/// An issuer, verifier or agent under test. Baton drives every implementation
/// through this one interface: the built-in reference in process, a testee
/// subprocess speaking the testee protocol, or a real agent over HTTP.
///
/// Implementations never throw: anything that goes wrong is an `Outcome` with
/// verdict `.error` (crash, hang, garbage), so one bad case never stops a run.
public protocol ImplementationUnderTest: Sendable {
    var descriptor: TesteeDescriptor { get }
    func mint(_ request: MintRequest) -> IssueResult
    func delegate(_ request: DelegateRequest) -> IssueResult
    func verify(_ request: VerifyRequest) -> Outcome
}

extension ImplementationUnderTest {
    public func supports(_ role: TesteeRole) -> Bool { descriptor.roles.contains(role) }
    public func supports(profile: String) -> Bool { descriptor.profiles.contains(profile) }
}
