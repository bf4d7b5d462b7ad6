import BatonHarness
import BatonModel

/// The reference with one workflow defence removed (`flawed:workflow-…`): it verifies like the
/// reference, and the harness's tool server and agents leave out the defence it names.
public struct WorkflowFlawedReference: ImplementationUnderTest, WorkflowFlawCarrying {
    let base: ReferenceImplementation
    public let flaw: WorkflowFlaw

    public init(_ flaw: WorkflowFlaw, base: ReferenceImplementation = ReferenceImplementation()) {
        self.flaw = flaw
        self.base = base
    }

    public var workflowFlaws: Set<WorkflowFlaw> { [flaw] }

    public var descriptor: ImplementationDescriptor {
        var d = base.descriptor
        d.name = "flawed:\(flaw.rawValue)"
        d.roles = flaw == .gatewayTrustsClaimedCaller ? [.verifier, .gateway] : [.verifier]
        return d
    }

    public func mint(_ request: MintRequest) async -> IssueResult { await base.mint(request) }
    public func delegate(_ request: DelegateRequest) async -> IssueResult { await base.delegate(request) }
    public func verify(_ request: VerifyRequest) async -> Outcome { await base.verify(request) }

    /// The flawed gateway takes the caller a call claims for the one transport authentication gives.
    public func gatewayCall(_ call: GatewayCall) async -> GatewayDecision {
        var believed = call
        if flaw == .gatewayTrustsClaimedCaller {
            believed.transportIdentity = call.claimedCaller
            if call.kind == .tool { believed.verify.audience = call.claimedCaller }
        }
        return await base.gatewayCall(believed)
    }

    /// The gallery: one variant per workflow defence.
    public static var gallery: [FlawVariant] {
        WorkflowFlaw.allCases.map { FlawVariant($0, profile: .aipChained, implementation: WorkflowFlawedReference($0)) }
    }
}
