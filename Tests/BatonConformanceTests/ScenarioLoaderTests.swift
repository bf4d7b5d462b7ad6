import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import BatonTestSupport
import Testing

@Suite struct ScenarioLoaderTests {
    @Test func shippedScenariosAllLoad() {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        #expect(catalog.scenarios.count >= 40)
        #expect(Set(catalog.scenarios.map(\.id)).count == catalog.scenarios.count)
        // Every attack names the spec clause it tests.
        for s in catalog.scenarios where s.isAttack { #expect(!s.spec.isEmpty, "\(s.id) has no spec clause") }
    }

    static let valid = """
        id: t/ok
        title: fine
        steps:
          - mint: {as: t0, by: orchestrator, scopes: [a]}
        """

    /// `R&D` and `a & b` are text, not anchors.
    @Test func ampersandsInTextAreNotAnchors() throws {
        let catalog = try loadScenarioText("id: t/amp\ntitle: R&D, a & b\nsteps:\n  - mint: {as: t0, by: orchestrator, scopes: [a]}\n")
        #expect(catalog.errors.isEmpty)
        #expect(catalog.scenarios.first?.title == "R&D, a & b")
    }

    @Test func validMinimalScenario() throws {
        let catalog = try loadScenarioText(Self.valid)
        #expect(catalog.errors.isEmpty)
        #expect(catalog.scenarios.first?.agents == ["orchestrator", "researcher", "writer"])
    }

    /// Each mistake is reported with the file, the line and the field.
    @Test(arguments: [
        ("id: t/x\ntitle: x\nstpes: []\n", 3, "stpes", "unknown field"),
        ("title: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n", 1, "id", "required field is missing"),
        ("id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: nobody, scopes: [a]}\n", 4, "steps[0].mint.by", "unknown agent 'nobody'"),
        (
            "id: t/x\ntitle: x\nsteps:\n  - send: {token: t9, from: orchestrator, to: writer, scope: a}\n", 4, "steps[0].send.token",
            "no token named 't9'"
        ),
        (
            "id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a], max_depth: deep}\n", 4, "steps[0].mint.max_depth",
            "expected an integer"
        ),
        (
            "id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n    expect: maybe\n", 5, "steps[0].expect",
            "expected 'accept'"
        ),
        (
            "id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n  - forge: {as: b, from: a, attack: teleport}\n", 5,
            "steps[1].forge.attack", "unknown attack"
        ),
        ("id: t/x\ntitle: x\nclock: yesterday\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n", 3, "clock", "RFC 3339"),
        ("id: t/x\ntitle: x\nsteps:\n  - advance_clock: 10\n", 4, "steps", "no step is judged"),
        ("id: t/x\ntitle: [unclosed\n", 3, "", "not valid YAML"),
        // A pinned step belongs to a rejection, and is a step's name.
        (
            "id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\nexpect: {accept: true, step: V4}\n", 5, "expect.step",
            "only for rejections"
        ),
        (
            "id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\nexpect: {reject: aip_x, step: \"V 4\"}\n", 5, "expect.step",
            "verifier step"
        ),
        // A forge attack of another profile is refused at load, naming the profile's attacks.
        (
            "id: t/x\ntitle: x\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n  - forge: {as: b, from: a, attack: jwt}\n", 5,
            "steps[1].forge.attack", "for the aip-chained profile"
        ),
        // Anchors are refused before Yams composes (an alias of aliases used as a key hung it).
        (
            "id: t/x\ntitle: x\ntags: &t [a]\nspec: *t\nsteps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n", 3, "",
            "anchors and aliases are not supported"
        ),
        // A step of another profile names the profiles it belongs to.
        (
            "id: t/x\ntitle: x\nprofile: token-exchange\nsteps:\n  - login: {as: t0, agent: orchestrator, principal: \"user:a\", scopes: [a]}\n  - revoke: {agent: orchestrator}\n",
            6, "steps[1]", "only to aip-chained, aip-compact"
        ),
    ])
    func mistakesAreLocated(_ text: String, _ line: Int, _ field: String, _ message: String) throws {
        let catalog = try loadScenarioText(text)
        #expect(catalog.scenarios.isEmpty)
        let error = try #require(catalog.errors.first)
        #expect(error.file == "broken.yaml")
        #expect(error.line == line, "\(error)")
        #expect(error.field == field, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func brokenFileDoesNotHideOthers() throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path, "/nonexistent/scenarios"], relativeTo: PackagePaths.scenarios.path)
        #expect(catalog.errors.count == 1)
        #expect(catalog.scenarios.count >= 40)
    }
}
