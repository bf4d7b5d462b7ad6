import BatonHarness
import BatonModel
import BatonProfiles
import BatonTestSupport
import Testing

@testable import BatonTargets

/// The `gateway` role: an implementation that plays the gateway decides every call of a gateway
/// workflow, and is judged on what it forwards and what it records.
@Suite struct GatewayRoleTests {
    static let catalog = ScenarioLoader.load(
        paths: [PackagePaths.scenarios.appendingPathComponent("workflows/gateway").path], relativeTo: PackagePaths.scenarios.path)

    /// A gateway that forwards everything, and records the chain as it reads (or a wrong person).
    struct ForwardingGateway: ImplementationUnderTest {
        var wrongPerson = false
        let reference = ReferenceImplementation()
        var descriptor: ImplementationDescriptor {
            ImplementationDescriptor(name: "forwarding-gateway", version: "1", profiles: [.aipChained], roles: [.gateway], options: [.clock])
        }
        func mint(_ request: MintRequest) async -> IssueResult { .refused(.unsupported("no issuer")) }
        func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(.unsupported("no issuer")) }
        func verify(_ request: VerifyRequest) async -> Outcome { .unsupported("no verifier") }
        func gatewayCall(_ call: GatewayCall) async -> GatewayDecision {
            var record = await reference.gatewayCall(call).record
            if wrongPerson { record?.principal = "user:mallory@evil.example" }
            record?.caller = call.claimedCaller
            return GatewayDecision(outcome: .accepted, record: record)
        }
    }

    @Test func theReferenceGatewayPassesEveryGatewayScenario() async {
        #expect(Self.catalog.scenarios.count >= 5)
        let runner = ScenarioRunner(implementation: ReferenceImplementation())
        for s in Self.catalog.scenarios {
            let r = await runner.run(s)
            #expect(r.status == .passed, "\(s.id): \(r.message)")
        }
    }

    @Test func aGatewayThatForwardsEverythingLetsTheTapAndTheRogueThrough() async throws {
        let runner = ScenarioRunner(implementation: ForwardingGateway())
        // The tap and the rogue get through; a forwarded token is still refused downstream by its
        // receiver's audience check, but by the wrong party (another code than the gateway's).
        let expected: [(String, Judgement)] = [
            ("workflows/gateway/tap-claiming-the-holder", .acceptedAttack), ("workflows/gateway/rogue-card-believed", .acceptedAttack),
            ("workflows/gateway/forward-outside-the-plan", .wrongCode),
        ]
        for (id, judgement) in expected {
            let s = try #require(Self.catalog.scenarios.first { $0.id == id })
            let r = await runner.run(s)
            #expect(r.status == .failed && r.judgement == judgement, "\(id): \(r.status) \(r.judgement?.rawValue ?? "") \(r.message)")
        }
    }

    @Test func aGatewayWhoseRecordNamesAnotherPersonFails() async throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "workflows/gateway/literature-review" })
        let r = await ScenarioRunner(implementation: ForwardingGateway(wrongPerson: true)).run(s)
        #expect(r.status == .failed && r.judgement == .auditMismatch, "\(r.status) \(r.message)")
        #expect(r.message.contains("user:mallory@evil.example"), "\(r.message)")
    }

    @Test func aTesteesGatewayAnswerIsReadStrictly() {
        let forward = TesteeProcess.gatewayDecision(from: ["forward": .bool(true), "record": .object(["principal": .string("user:alice")])])
        #expect(forward.outcome.verdict == .accept && forward.record?.principal == "user:alice")
        let refuse = TesteeProcess.gatewayDecision(from: [
            "forward": .bool(false), "code": .string("gateway_identity_mismatch"), "step": .string("GW"),
        ])
        #expect(refuse.outcome.code == "gateway_identity_mismatch" && refuse.outcome.step == "GW")
        #expect(TesteeProcess.gatewayDecision(from: ["forward": .string("yes")]).outcome.verdict == .error)
        #expect(TesteeProcess.gatewayDecision(from: ["forward": .bool(false)]).outcome.verdict == .error)
    }
}
