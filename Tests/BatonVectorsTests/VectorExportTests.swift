import BatonHarness
import BatonModel
import BatonProfiles
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import JOSE
import Testing
import ZeroID

@testable import BatonVectors

/// The committed vectors (`Fixtures/vectors/`), read once.
enum CommittedVectors {
    static var directory: URL { PackagePaths.fixtures.appendingPathComponent("vectors") }

    static func files() throws -> [VectorFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        return try names.filter { $0.hasSuffix(".json") && $0 != VectorSet.indexName && $0 != VectorSet.schemaName }.map { name in
            try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
        }
    }

    static func index() throws -> VectorIndex {
        try JSONDecoder().decode(VectorIndex.self, from: Data(contentsOf: directory.appendingPathComponent(VectorSet.indexName)))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONValue.parse(Array(Data(contentsOf: directory.appendingPathComponent(name))), maxDepth: 128)
    }
}

@Suite("Static test vectors")
struct VectorExportTests {
    /// Regenerates the vectors into a temporary directory and compares them with the committed ones,
    /// byte for byte: the same scenarios, reference and seed give the same files (ES256 included, whose
    /// signatures are deterministic), so any difference means the committed vectors are stale.
    @Test func committedVectorsAreCurrent() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        #expect(catalog.errors.isEmpty)
        let set = await VectorExport.make(scenarios: catalog.scenarios, reference: ReferenceImplementation())
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("baton-vectors-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        try set.write(to: fresh)
        let names = try FileManager.default.contentsOfDirectory(atPath: fresh.path).sorted()
        #expect(names == (["index.json", "schema.json"] + set.files.map { VectorExport.fileName($0.profile) }).sorted())
        for name in names {
            let made = try Data(contentsOf: fresh.appendingPathComponent(name))
            let committed = FileManager.default.contents(atPath: CommittedVectors.directory.appendingPathComponent(name).path)
            #expect(
                committed == made,
                "Fixtures/vectors/\(name) is stale (or missing): regenerate with `swift run baton vectors export Fixtures/vectors`")
        }
        let committedNames = try FileManager.default.contentsOfDirectory(atPath: CommittedVectors.directory.path).filter { $0.hasSuffix(".json") }
        for extra in Set(committedNames).subtracting(names).sorted() {
            Issue.record("Fixtures/vectors/\(extra) is not made by the export any more: remove it")
        }
        #expect(try set.differences(from: CommittedVectors.directory).isEmpty)
        #expect(try set.differences(from: fresh).isEmpty)
    }

    @Test func everyCommittedFileMeetsTheSchema() throws {
        let validator = try SchemaValidator(schema: CommittedVectors.json(VectorSet.schemaName))
        let files = try CommittedVectors.files()
        #expect(files.count == 6)
        for file in files {
            let name = VectorExport.fileName(file.profile)
            let errors = validator.errors(try CommittedVectors.json(name))
            #expect(errors.isEmpty, "\(name): \(errors.prefix(5).joined(separator: "; "))")
        }
        let indexSchema = try #require(validator.subschema("#/$defs/index"))
        let errors = validator.errors(try CommittedVectors.json(VectorSet.indexName), against: indexSchema)
        #expect(errors.isEmpty, "index.json: \(errors.prefix(5).joined(separator: "; "))")
    }

    /// The schema is strict: each kind of damage to a valid file is found.
    @Test func schemaFindsDamagedVectors() throws {
        let validator = try SchemaValidator(schema: CommittedVectors.json(VectorSet.schemaName))
        let valid = try CommittedVectors.json("aip-chained.json")
        #expect(validator.errors(valid).isEmpty)
        func damaged(_ change: (inout JSONObject) -> Void) -> JSONValue {
            guard case var .object(file) = valid, case var .array(groups)? = file["test_groups"], case var .object(group) = groups[0],
                case var .array(tests)? = group["tests"], case var .object(test) = tests[0]
            else { return valid }
            change(&test)
            tests[0] = .object(test)
            group["tests"] = .array(tests)
            groups[0] = .object(group)
            file["test_groups"] = .array(groups)
            return .object(file)
        }
        let damages: [(String, (inout JSONObject) -> Void)] = [
            ("no result", { $0["result"] = nil }),
            ("an unknown result", { $0["result"] = "maybe" }),
            ("valid with a code", { $0["result"] = "valid" }),
            ("invalid without a code", { $0["code"] = .null }),
            ("an unknown key", { $0["extra"] = true }),
            (
                "a root key that is not hex",
                { test in
                    guard case var .object(input)? = test["input"] else { return }
                    input["root_key"] = "not hex"
                    test["input"] = .object(input)
                }
            ),
            ("a checkpoint at step 0", { $0["checkpoint"] = ["step": 0, "line": 3, "keyword": "verify"] }),
        ]
        for (what, change) in damages {
            #expect(!validator.errors(damaged(change)).isEmpty, "the schema accepts a test with \(what)")
        }
        #expect(throws: SchemaValidator.UnsupportedSchema.self) { try SchemaValidator(schema: ["type": "object", "oneOf": []]) }
    }

    /// The vectors stand on their own: decoded from the committed JSON and given to a fresh reference
    /// verifier (one per group, tests in order), every test gets the result it expects.
    @Test func referenceMeetsEveryCommittedVector() async throws {
        let files = try CommittedVectors.files()
        var checked = 0
        for file in files {
            for group in file.testGroups {
                let reference = ReferenceImplementation()
                for test in group.tests {
                    let outcome = await reference.verify(test.input)
                    #expect(Self.meets(outcome, test), "\(file.profile) #\(test.id) \(test.scenario): \(test.comment); got \(outcome.summary)")
                    checked += 1
                }
            }
        }
        let index = try CommittedVectors.index()
        #expect(checked == index.profiles.reduce(0) { $0 + $1.tests })
        #expect(checked > 250)
    }

    /// The vectors catch what Baton's flawed verifiers leave out: each variant of the profiles' flaw
    /// galleries (the reference with one defence removed) whose removed step some vector of its
    /// profile pins fails at least one vector. The others remove a token service's checks (ZeroID's
    /// `Z` steps and `R1`), or make its service issue bad tokens (a `mission_id` not carried, a child
    /// outliving its parent: pinned to the downstream step that then lets them through), which only a
    /// live service shows.
    @Test func everyFlawedVerifierFailsSomeVector() async throws {
        let files = Dictionary(uniqueKeysWithValues: try CommittedVectors.files().map { ($0.profile, $0) })
        var uncaught: [String] = []
        var checkedFlaws = 0
        for variant in ProfileRegistry.standard.flatMap(\.flaws) {
            guard let file = files[variant.profile] else { continue }
            // A service flaw's verifier is the reference's: no static vector can show what the service issued.
            if let flaw = ZeroIDFlaw(rawValue: variant.name), flaw.isServiceFlaw { continue }
            let pinned = Set(file.testGroups.flatMap(\.tests).compactMap(\.step))
            guard pinned.contains(variant.removedStep) else {
                #expect(
                    variant.removedStep.hasPrefix("Z") || variant.removedStep == "R1",
                    "\(variant.name) removes \(variant.removedStep), which no vector pins")
                continue
            }
            checkedFlaws += 1
            // The tests that pin the removed step first (the groups whose verifier keeps state, in order).
            let groups = file.testGroups.sorted { a, b in
                a.tests.contains { $0.step == variant.removedStep } && !b.tests.contains { $0.step == variant.removedStep }
            }
            var failed = false
            for group in groups where !failed {
                for test in group.tests where !failed {
                    failed = !Self.meets(await variant.implementation.verify(test.input), test)
                }
            }
            if !failed { uncaught.append("\(variant.name) (\(variant.profile))") }
        }
        #expect(checkedFlaws > 50)
        #expect(uncaught.isEmpty, "flaws no vector catches: \(uncaught.joined(separator: ", "))")
    }

    @Test func indexAccountsForEveryScenario() throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let index = try CommittedVectors.index()
        #expect(index.scenarios.map(\.scenario) == catalog.scenarios.map(\.id).sorted())
        let entries = Dictionary(uniqueKeysWithValues: index.scenarios.map { ($0.scenario, $0) })
        for entry in index.scenarios {
            #expect((entry.tests == 0) == (entry.exclusion != nil), "\(entry.scenario)")
            #expect((entry.tests == 0) == (entry.reason != nil), "\(entry.scenario)")
        }
        #expect(entries["attenuation/issuer-refuses-widening"]?.exclusion == .issuerRefusal)
        #expect(entries["workflows/compromised/budget-drain"]?.exclusion == .workflow)
        #expect(entries["audience/wrong-receiver"]?.tests == 1)
        let refusals = index.scenarios.filter { $0.exclusion == .tokenServiceRefusal }
        #expect(!refusals.isEmpty && refusals.allSatisfy { $0.profile != .aipChained })
        let files = try CommittedVectors.files()
        for profile in index.profiles {
            let mine = index.scenarios.filter { $0.profile == profile.profile }
            #expect(profile.scenarios == mine.count)
            #expect(profile.tests == mine.reduce(0) { $0 + $1.tests })
            #expect(profile.tests == files.first { $0.profile == profile.profile }?.numberOfTests ?? 0)
        }
    }

    @Test func forgedTokensNameTheirAttack() throws {
        let chained = try #require(try CommittedVectors.files().first { $0.profile == .aipChained })
        let tampered = try #require(chained.testGroups.first { $0.scenario == "integrity/tampered-payload-byte" }?.tests.last)
        #expect(tampered.forgery?.contains("tamper") == true)
        #expect(tampered.flags.contains("integrity"))
        #expect(tampered.result == .invalid && tampered.code == "aip_signature_invalid")
        let honest = try #require(chained.testGroups.first { $0.scenario == "audience/wrong-receiver" }?.tests.first)
        #expect(honest.forgery == nil && honest.token == "t2" && honest.step == "AUD")
        // Ids count 1, 2 … through each file.
        for file in try CommittedVectors.files() {
            #expect(file.testGroups.flatMap(\.tests).map(\.id) == Array(1...file.numberOfTests))
        }
    }

    @Test func expectationsBecomeResults() {
        #expect(VectorResult.expected(by: .accept)?.result == .valid)
        let strict = VectorResult.expected(by: Expectation(verdict: .reject, code: "aip_scope_insufficient", step: "V4"))
        #expect(strict?.result == .invalid && strict?.accepted == ["aip_scope_insufficient"] && strict?.anyCode == false)
        let either = VectorResult.expected(by: Expectation(verdict: .reject, code: "invalid_request", alternatives: ["invalid_grant"]))
        #expect(either?.result == .acceptable && either?.accepted == ["invalid_request", "invalid_grant"] && either?.anyCode == false)
        let open = VectorResult.expected(by: Expectation(verdict: .reject, code: nil, lenient: true))
        #expect(open?.result == .acceptable && open?.accepted == [] && open?.anyCode == true)
        #expect(VectorResult.expected(by: Expectation(verdict: .error)) == nil)
    }

    /// The AIP package's script reads the committed vectors without Baton and prints its table.
    @Test func aipPackageScriptRunsTheVectors() throws {
        let python = try Interop.require(PythonInterpreter.venv, needs: "agent-identity-protocol", notChecked: "Interop/aip_vectors.py")
        guard PythonInterpreter.canImport("aip_token", with: python) else {
            try Interop.unavailable("\(python) cannot import aip_token (agent-identity-protocol); Interop/aip_vectors.py not checked")
        }
        let output = try ProcessRunner.run(python, [PackagePaths.interop.appendingPathComponent("aip_vectors.py").path])
        #expect(output.succeeded, "\(output.stderrText)")
        let rows = output.stdoutText.split(separator: "\n").filter { $0.hasPrefix("| ") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let files = try CommittedVectors.files()
        for profile in ["aip-chained", "aip-compact", "aip-jwt-chain"] {
            let row = try #require(rows.first { $0.first == profile }, "no row for \(profile)")
            let tests = files.first { $0.profile.rawValue == profile }?.numberOfTests
            #expect(Int(row[1]) == tests)
            // passed + refused with another code + accepted + refused valid + errors = tests
            #expect(row[2...6].compactMap { Int($0) }.reduce(0, +) == tests)
        }
    }

    /// Whether an answer meets a test, as the file's header says.
    static func meets(_ outcome: Outcome, _ test: VectorTest) -> Bool {
        switch test.result {
        case .valid:
            return outcome.verdict == .accept
        case .invalid:
            return outcome.verdict == .reject && outcome.code == test.code && (test.step == nil || outcome.step == test.step)
        case .acceptable:
            return outcome.verdict == .reject && (test.anyCode || test.acceptedCodes.contains(outcome.code ?? ""))
        }
    }
}
