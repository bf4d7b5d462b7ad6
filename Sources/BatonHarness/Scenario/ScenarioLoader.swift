import BatonModel
import BatonRuntime
import BatonTools
import Foundation
import Yams

/// Reads scenario files. Every mistake is a `ScenarioError` naming the file, line, column
/// and field; one broken file never hides the others. The scenario's profile picks the
/// driver that reads its steps, attacks and settings.
public struct ScenarioLoader: Sendable {
    /// The drivers of the profiles scenarios may name.
    public var drivers: [any ProfileDriver]
    /// The profile of scenarios that name none.
    public var defaultProfile: TokenProfile
    /// The clauses `spec:` entries may name (the catalogue shipped with Baton by default).
    public var catalogue: Result<SpecCatalogue, ScenarioError>

    public init(
        drivers: [any ProfileDriver], defaultProfile: TokenProfile, catalogue: Result<SpecCatalogue, ScenarioError> = SpecCatalogue.standard
    ) {
        self.drivers = drivers
        self.defaultProfile = defaultProfile
        self.catalogue = catalogue
    }

    /// The result of loading a tree: the scenarios, and the files that failed.
    public struct Catalog: Sendable {
        public var scenarios: [Scenario]
        public var errors: [ScenarioError]

        public init(scenarios: [Scenario], errors: [ScenarioError]) {
            self.scenarios = scenarios
            self.errors = errors
        }
    }

    /// The profiles scenarios can name.
    public var profiles: [TokenProfile] { drivers.map(\.profile) }

    /// The driver of a profile, if it is registered.
    public func driver(for profile: TokenProfile) -> (any ProfileDriver)? {
        drivers.first { $0.profile == profile }
    }

    /// Loads every `*.yaml` / `*.yml` under the given files or directories, sorted by path.
    public func load(paths: [String], relativeTo root: String? = nil) -> Catalog {
        var files: [String] = []
        var errors: [ScenarioError] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(ScenarioError(file: path, line: 0, column: 0, field: "", message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let items = (fm.enumerator(atPath: path)?.allObjects as? [String]) ?? []
                files += items.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var scenarios: [Scenario] = []
        var seen: [String: String] = [:]
        for file in files.sorted() {
            let display = Self.relative(file, to: root ?? paths.first ?? "")
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                let scenario = try parse(text, file: display)
                if let other = seen[scenario.id] {
                    throw ScenarioError(
                        file: display, line: scenario.line, column: 1, field: "id", message: "duplicate id '\(scenario.id)' (also in \(other))")
                }
                seen[scenario.id] = display
                scenarios.append(scenario)
            } catch let e as ScenarioError {
                errors.append(e)
            } catch {
                errors.append(ScenarioError(file: display, line: 0, column: 0, field: "", message: "cannot read: \(error)"))
            }
        }
        return Catalog(scenarios: scenarios.sorted { $0.id < $1.id }, errors: errors)
    }

    static func relative(_ file: String, to root: String) -> String {
        let base = root.hasSuffix("/") ? root : root + "/"
        guard !root.isEmpty, file.hasPrefix(base) else { return file }
        return String(file.dropFirst(base.count))
    }

    static let topLevelKeys: Set<String> = [
        "id", "title", "summary", "spec", "owasp", "cwe", "tags", "profile", "agents", "trust", "clock", "verifier", "steps", "expect", "behaviours",
        "tools",
        "gateway",
    ]

    /// Parses one scenario document.
    public func parse(_ text: String, file: String) throws -> Scenario {
        let doc = try YAMLField.document(text, file: file)
        let settingsKeys = Set(drivers.flatMap { $0.settingsTypes.map { $0.key } })
        try doc.rejectUnknownKeys(Self.topLevelKeys.union(settingsKeys))
        let id = try doc["id"].string()
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_/.".contains($0) }) else {
            throw doc["id"].error("ids use letters, digits, '-', '_', '.' and '/'")
        }
        let agents = try doc["agents"].exists ? doc["agents"].strings() : ["orchestrator", "researcher", "writer"]
        guard !agents.isEmpty else { throw doc["agents"].error("at least one agent is needed") }
        for (i, name) in agents.enumerated() where !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || name.isEmpty {
            throw try doc["agents"].items()[i].error("agent names use letters, digits, '-' and '_'")
        }
        let profileName = try doc["profile"].optionalString().map { TokenProfile($0) } ?? defaultProfile
        guard let driver = driver(for: profileName) else {
            throw doc["profile"].error("unknown profile '\(profileName)' (supported: \(profiles.map(\.rawValue).joined(separator: ", ")))")
        }
        var context = ScenarioContext(agents: Set(agents), driver: driver)
        let trust = try doc["trust"].optionalString() ?? agents[0]
        try context.agent(trust, doc["trust"])
        let clockText = try doc["clock"].optionalString() ?? "2026-06-01T00:00:00Z"
        guard let clock = VirtualClock.parse(clockText) else { throw doc["clock"].error("expected an RFC 3339 time such as 2026-06-01T00:00:00Z") }

        var verifier = VerifierSettings()
        let v = doc["verifier"]
        try v.rejectUnknownKeys(["require_signed_delegation", "registry", "revocation", "max_staleness", "max_depth"])
        verifier.maxDepth = try v["max_depth"].optionalInt().map(Int64.init)
        verifier.requireSignedDelegation = try v["require_signed_delegation"].optionalBool() ?? false
        verifier.registry = try v["registry"].optionalBool() ?? true
        verifier.revocation = try v["revocation"].optionalBool() ?? false
        verifier.maxStaleness = Int64(try v["max_staleness"].optionalInt() ?? 300)

        var settings = ScenarioSettingsStore()
        for key in settingsKeys.sorted() where doc[key].exists {
            guard let type = driver.settingsTypes.first(where: { $0.key == key }) else {
                let owners = drivers.filter { $0.settingsTypes.contains { $0.key == key } }.map(\.profile.rawValue)
                throw doc[key].error("\(key) applies to the \(owners.joined(separator: ", ")) profile only")
            }
            settings.store(try type.parse(doc[key], context: context))
        }

        let behaviours = try AgentBehaviour.parseAll(doc["behaviours"], context: &context)
        if !behaviours.isEmpty && !driver.carriesWorkflows {
            throw doc["behaviours"].error("the \(driver.profile) profile does not carry workflows (agents delegating through its issuer) yet")
        }
        let tools = try Self.parseTools(doc["tools"])
        let gateway = try WorkflowGateway.parse(doc["gateway"])
        if gateway != nil && !driver.carriesWorkflows {
            throw doc["gateway"].error("the \(driver.profile) profile does not carry workflows, so there is nothing to route through a gateway")
        }

        let stepFields = try doc["steps"].items()
        guard !stepFields.isEmpty else { throw doc["steps"].error("a scenario needs at least one step") }
        var steps: [ScenarioStep] = []
        for field in stepFields { steps.append(try parseStep(field, &context)) }
        guard steps.contains(where: \.isCheckpoint) else {
            let judged = allStepKinds.filter { $0.isCheckpoint }.map { $0.keyword }
            throw doc["steps"].error("no step is judged: add a \(Self.list(judged, or: true)) step")
        }
        var scenario = Scenario(
            id: id, title: try doc["title"].string(), summary: try doc["summary"].optionalString(),
            spec: try parseSpec(doc["spec"], profile: driver.profile), tags: try doc["tags"].strings(), driver: driver, file: file,
            line: doc["id"].line, agents: agents, trust: trust, clock: clock, verifier: verifier, steps: steps,
            expect: doc["expect"].exists ? try Self.parseExpectation(doc["expect"]) : nil)
        scenario.settings = settings
        scenario.owasp = try Self.parseRisk(doc["owasp"])
        scenario.cwe = try Self.parseWeakness(doc["cwe"])
        scenario.behaviours = behaviours
        scenario.tools = tools
        scenario.gateway = gateway
        try Self.checkToolNames(scenario, file: file)
        return scenario
    }

    /// `spec:` — ids of the catalogue's clauses, each one that applies to the scenario's profile.
    func parseSpec(_ f: YAMLField, profile: TokenProfile) throws -> [SpecClauseID] {
        guard f.exists else { return [] }
        let catalogue: SpecCatalogue
        switch self.catalogue {
        case let .success(c): catalogue = c
        case let .failure(e): throw f.error("the specification catalogue could not be loaded: \(e)")
        }
        var ids: [SpecClauseID] = []
        for item in try f.items() {
            let text = try item.string()
            if let problem = catalogue.problem(with: text) { throw item.error(problem) }
            let clause = catalogue.clause(SpecClauseID(text)!)!
            guard clause.profiles.contains(profile) else {
                throw item.error(
                    "\(text) does not apply to the \(profile) profile (it applies to \(clause.profiles.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !ids.contains(clause.id) else { throw item.error("\(text) is named twice") }
            ids.append(clause.id)
        }
        return ids
    }

    /// `owasp: ASI03` — a category of the OWASP Top 10 for Agentic Applications.
    static func parseRisk(_ f: YAMLField) throws -> AgenticRisk? {
        guard let text = try f.optionalString() else { return nil }
        guard let risk = AgenticRisk(rawValue: text) else {
            throw f.error("'\(text)' is not a category of the OWASP Top 10 for Agentic Applications (ASI01 … ASI10)")
        }
        return risk
    }

    /// `cwe: CWE-347` — a weakness of the committed list (`CWE.known`).
    static func parseWeakness(_ f: YAMLField) throws -> CWE? {
        guard let text = try f.optionalString() else { return nil }
        guard let cwe = CWE(text) else {
            throw f.error(
                "'\(text)' is not a weakness of Baton's list (CWE-NNN, one of \(CWE.all.map(\.id).joined(separator: ", ")); add it to BatonModel's CWE.known with its name)"
            )
        }
        return cwe
    }

    /// Every tool a plan calls or a `tool_call` step names is on the scenario's tool server (a typo would
    /// otherwise be refused as `unknown_tool` and pass a lenient expectation), and nobody goes around
    /// a gateway the scenario does not have.
    static func checkToolNames(_ scenario: Scenario, file: String) throws {
        let known = Set(scenario.tools.tools.map(\.name))
        func fail(_ line: Int, _ field: String, _ message: String) -> ScenarioError {
            ScenarioError(file: file, line: line, column: 1, field: field, message: message)
        }
        let list = known.sorted().joined(separator: ", ")
        for agent in scenario.behaviours.keys.sorted() {
            for action in scenario.behaviours[agent]?.plan.actions ?? [] {
                guard case let .call(use) = action.kind else { continue }
                if !known.contains(use.tool) { throw fail(action.line, "behaviours.\(agent)", "no tool named '\(use.tool)' (tools: \(list))") }
                if use.bypassesGateway && scenario.gateway == nil {
                    throw fail(action.line, "behaviours.\(agent)", "bypass_gateway needs a gateway to go around (gateway: true)")
                }
            }
        }
        for step in scenario.steps {
            if let call = step.action as? ToolCallStep, !known.contains(call.tool) {
                throw fail(step.line, "tool_call", "no tool named '\(call.tool)' (tools: \(list))")
            }
        }
    }

    /// `tools:` — tool name → price in cents, or {price_cents, scope, summary}; absent: the standard catalog.
    static func parseTools(_ f: YAMLField) throws -> ToolCatalog {
        guard f.exists else { return .standard }
        var specs: [ToolSpec] = []
        for name in try f.keys() {
            let entry = f[name]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                throw entry.error("tool names use letters, digits, '.', '_' and '-'")
            }
            if case .scalar? = entry.node {
                specs.append(ToolSpec(name: name, priceCents: Int64(try entry.int()), summary: name))
            } else {
                try entry.rejectUnknownKeys(["price_cents", "scope", "summary"])
                specs.append(
                    ToolSpec(
                        name: name, priceCents: Int64(try entry["price_cents"].int()), scope: try entry["scope"].optionalString(),
                        summary: try entry["summary"].optionalString() ?? name))
            }
            guard specs.last!.priceCents >= 0 else { throw entry.error("a price is zero or more cents") }
        }
        return ToolCatalog(tools: specs)
    }

    /// Every step kind of every registered profile, each once, in registration order.
    var allStepKinds: [any ScenarioStepKind.Type] {
        var seen: Set<String> = []
        return drivers.flatMap(\.stepKinds).filter { seen.insert($0.keyword).inserted }
    }

    static func list(_ words: [String], or: Bool) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + words.last!
    }

    func parseStep(_ field: YAMLField, _ context: inout ScenarioContext) throws -> ScenarioStep {
        let keys = try field.keys()
        let known = allStepKinds
        let kinds = keys.filter { key in known.contains { $0.keyword == key } }
        guard kinds.count == 1, let keyword = kinds.first, let kind = known.first(where: { $0.keyword == keyword }) else {
            throw field.error("each step has exactly one of: \(known.map { $0.keyword }.sorted().joined(separator: ", "))")
        }
        guard context.driver.stepKinds.contains(where: { $0.keyword == keyword }) else {
            let owners = drivers.filter { $0.stepKinds.contains { $0.keyword == keyword } }.map(\.profile.rawValue)
            throw field.error("this step does not belong to the \(context.driver.profile) profile (only to \(owners.joined(separator: ", ")))")
        }
        try field.rejectUnknownKeys([keyword, "expect"])
        let expect = field["expect"].exists ? try Self.parseExpectation(field["expect"]) : nil
        if expect != nil && !kind.isCheckpoint {
            let judged = context.driver.stepKinds.filter { $0.isCheckpoint }.map { $0.keyword }
            throw field["expect"].error("only \(Self.list(judged, or: false)) steps are judged")
        }
        let action = try kind.parse(field[keyword], expect: expect, context: &context)
        return ScenarioStep(line: field.line, action: action, expect: expect)
    }

    /// `expect: accept`, `expect: reject`, `expect: {reject: CODE}`, `{reject: any}`, `lenient: true`,
    /// `or: [CODE…]`, and `step: V4` (the verifier step that must refuse).
    public static func parseExpectation(_ f: YAMLField) throws -> Expectation {
        if case .scalar? = f.node {
            switch try f.string() {
            case "accept": return .accept
            case "reject": return Expectation(verdict: .reject, code: nil, lenient: true)
            case let other: throw f.error("expected 'accept', 'reject' or {reject: CODE}, found '\(other)'")
            }
        }
        try f.rejectUnknownKeys(["reject", "accept", "lenient", "or", "step"])
        if f["accept"].exists {
            guard !f["step"].exists else { throw f["step"].error("a step is pinned only for rejections") }
            return .accept
        }
        let code = try f["reject"].string()
        let lenient = try f["lenient"].optionalBool() ?? false
        var e: Expectation
        if code == "any" {
            e = Expectation(verdict: .reject, code: nil, lenient: true)
        } else {
            guard code.hasPrefix("aip_") || code.contains("_") else { throw f["reject"].error("'\(code)' does not look like an error code") }
            e = Expectation(verdict: .reject, code: code, lenient: lenient)
            e.alternatives = f["or"].exists ? try f["or"].strings() : []
        }
        if let step = try f["step"].optionalString() {
            guard !step.isEmpty, step.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw f["step"].error("a step is a verifier step's name such as V4 or J2")
            }
            e.step = step
        }
        return e
    }
}

extension ScenarioSettingsStore {
    /// Stores settings under their own type.
    mutating func store(_ value: any ScenarioSettings) {
        values[ObjectIdentifier(type(of: value))] = value
    }
}
