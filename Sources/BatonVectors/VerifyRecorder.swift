import BatonModel
import Synchronization

/// The implementation a vector export runs scenarios against: a verifier with every option, which
/// hands each request to the reference and records it with the answer, under the step that made it.
/// It plays no other role, so the runner's reference issues and serves tokens for the accepting
/// steps and, as for any verifier-only testee, does not stand in for a refusal: a scenario that
/// tests an issuer's or a token service's refusal is skipped, which is how it is found not exportable.
final class VerifyRecorder: ImplementationUnderTest {
    /// One verification: the step that asked it (-1: the profile's set-up), the request, the answer.
    struct Call: Sendable {
        var step: Int
        var request: VerifyRequest
        var outcome: Outcome
    }

    let reference: any ImplementationUnderTest
    private let log = Mutex<(step: Int, calls: [Call])>((-1, []))

    init(reference: any ImplementationUnderTest) { self.reference = reference }

    var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(
            name: "baton-vectors", version: BatonVersion.current, profiles: reference.descriptor.profiles, roles: [.verifier],
            options: [.clock, .signedDelegation, .registry, .revocation])
    }

    /// The step being carried out from now on.
    func begin(step: Int) { log.withLock { $0.step = step } }

    /// The step being carried out.
    var currentStep: Int { log.withLock { $0.step } }

    /// Every verification so far, in order.
    var calls: [Call] { log.withLock { $0.calls } }

    func mint(_ request: MintRequest) async -> IssueResult { .refused(.unsupported("the vector recorder only verifies")) }
    func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(.unsupported("the vector recorder only verifies")) }

    func verify(_ request: VerifyRequest) async -> Outcome {
        let outcome = await reference.verify(request)
        log.withLock { $0.calls.append(Call(step: $0.step, request: request, outcome: outcome)) }
        return outcome
    }
}
