import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import Foundation

/// A verifier that accepts everything, and one that refuses everything: each
/// must be caught by the shipped scenarios.
struct StubVerifier: ImplementationUnderTest {
    var answer: Outcome
    var roles: [ImplementationRole] = [.verifier]
    var options: [ImplementationOption] = [.clock, .signedDelegation, .registry, .revocation]
    var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(
            name: "stub-\(answer.verdict.rawValue)", version: "0", profiles: ProfileRegistry.standard.map(\.profile), roles: roles, options: options)
    }
    func mint(_ request: MintRequest) -> IssueResult { .refused(.failed("not an issuer")) }
    func delegate(_ request: DelegateRequest) -> IssueResult { .refused(.failed("not an issuer")) }
    func verify(_ request: VerifyRequest) -> Outcome { answer }
}

/// Writes scenario text to a temporary directory and loads it.
func loadScenarioText(_ text: String, name: String = "broken.yaml") throws -> ScenarioLoader.Catalog {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    return ScenarioLoader.load(paths: [dir.path], relativeTo: dir.path)
}
