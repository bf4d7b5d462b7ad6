import BatonHarness
import BatonModel
import JOSE

/// `introspect`: asks the service whether a token is active (`POST /oauth2/token/introspect`).
/// Accepted when active, refused `token_inactive` otherwise (step R1 at the reference). `claims:`
/// lists values the answer must carry; `mission_of:` names a token whose `mission_id` it must repeat.
struct IntrospectStep: ScenarioStepKind, Hashable {
    static let keyword = "introspect"
    static let isCheckpoint = true

    var token: String
    var claims: [String: JSONValue]
    var missionOf: String?

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> IntrospectStep {
        try f.rejectUnknownKeys(["token", "claims", "mission_of"])
        let s = IntrospectStep(
            token: try f["token"].string(), claims: try JWTAttack.jsonMapping(f["claims"]), missionOf: try f["mission_of"].optionalString())
        try context.token(s.token, f["token"])
        if let m = s.missionOf { try context.token(m, f["mission_of"]) }
        return s
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let sts = try run.tokenService()
        let call = ExchangeCall(
            profile: run.scenario.profile, session: run.session, client: "", parameters: [["token", run.state.tokens[token] ?? ""]], now: run.now,
            endpoint: "introspect")
        run.log("\(run.label): introspect \(token) [\(sts.descriptor.name)]")
        switch await sts.exchange(call) {
        case let .refused(outcome):
            run.log("      inactive: \(outcome.summary)")
            return outcome
        case let .token(text):
            guard let answer = try? JSONParser.parseObject(Array(text.utf8)) else { return .failed("introspection answered \(text.prefix(80))") }
            run.log("      \(answer.canonicalString)")
            guard answer["active"] == .bool(true) else {
                return Outcome(verdict: .reject, code: "token_inactive", message: "introspection answered active: false")
            }
            var expected = ZeroIDClaims.expand(claims, run: run)
            if let m = missionOf {
                expected["mission_id"] = ZeroIDClaims.payload(of: run.state.tokens[m])?["mission_id"] ?? .null
            }
            return ZeroIDClaims.compare(expected, in: answer, what: "the introspection answer")
        }
    }
}

/// `revoke_token`: revokes a token at the service (`POST /oauth2/token/revoke`); ZeroID revokes every
/// descendant along the lineage too.
struct RevokeTokenStep: ScenarioStepKind, Hashable {
    static let keyword = "revoke_token"
    var token: String

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> RevokeTokenStep {
        try f.rejectUnknownKeys(["token"])
        let s = RevokeTokenStep(token: try f["token"].string())
        try context.token(s.token, f["token"])
        return s
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let sts = run.implementation.supports(.sts) ? run.implementation : run.reference
        let call = ExchangeCall(
            profile: run.scenario.profile, session: run.session, client: "", parameters: [["token", run.state.tokens[token] ?? ""]], now: run.now,
            endpoint: "revoke")
        let answer = await sts.exchange(call)
        run.log("\(run.label): revoke \(token) [\(sts.descriptor.name)]: \(answer)")
        return nil
    }
}

/// `lineage`: the delegation chain of a token as the service records it (`GET /api/v1/delegations/by-jti/{jti}`,
/// ZeroID's `{"nodes", "edges"}` with the edges root first); accepted when there are `length` edges, the
/// first a root, each the child of the one before, the last the token's own credential, all of one mission.
struct LineageStep: ScenarioStepKind, Hashable {
    static let keyword = "lineage"
    static let isCheckpoint = true
    var token: String
    var length: Int

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> LineageStep {
        try f.rejectUnknownKeys(["token", "length"])
        let s = LineageStep(token: try f["token"].string(), length: try f["length"].int())
        try context.token(s.token, f["token"])
        return s
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let sts = try run.tokenService()
        let text = run.state.tokens[token] ?? ""
        let call = ExchangeCall(
            profile: run.scenario.profile, session: run.session, client: "", parameters: [["token", text]], now: run.now, endpoint: "lineage")
        run.log("\(run.label): lineage of \(token) [\(sts.descriptor.name)]")
        switch await sts.exchange(call) {
        case let .refused(outcome): return outcome
        case let .token(answer):
            guard let o = try? JSONParser.parseObject(Array(answer.utf8)), case let .array(items)? = o["edges"] else {
                return .failed("lineage answered \(answer.prefix(80)), not a delegation chain")
            }
            let edges = items.compactMap(\.objectValue)
            run.log("      \(edges.map { "\($0["jti"]?.stringValue ?? "?") ← \($0["parent_jti"]?.stringValue ?? "root")" })")
            return Self.judge(edges, expected: length, leaf: ZeroIDClaims.payload(of: text)?["jti"]?.stringValue)
        }
    }

    static func judge(_ edges: [JSONObject], expected length: Int, leaf: String?) -> Outcome {
        func mismatch(_ why: String) -> Outcome { Outcome(verdict: .reject, code: "lineage_mismatch", message: why) }
        guard edges.count == length else { return mismatch("\(edges.count) edges, expected \(length)") }
        guard let root = edges.first, root["parent_jti"] == nil || root["parent_jti"] == .null else {
            return mismatch("the lineage does not start at a root")
        }
        for (parent, child) in zip(edges, edges.dropFirst()) where child["parent_jti"] != parent["jti"] {
            return mismatch("edge \(child["jti"]?.canonicalString ?? "?") does not lead to \(parent["jti"]?.canonicalString ?? "?")")
        }
        if let leaf, edges.last?["jti"]?.stringValue != leaf { return mismatch("the lineage does not end at the token's own credential \(leaf)") }
        let missions = Set(edges.map { $0["mission_id"]?.stringValue ?? "(none)" })
        guard missions.count == 1 else { return mismatch("the chain spans missions \(missions.sorted())") }
        return .accepted
    }
}

/// `refuse_mission`: from now on, downstream verifiers refuse every token of `of`'s mission (its
/// `mission_id`), as an incident response quarantines a whole delegation tree that offline verifiers would
/// otherwise keep accepting until `exp`. Judged at J6 by the verifiers that take it.
struct RefuseMissionStep: ScenarioStepKind, Hashable {
    static let keyword = "refuse_mission"
    var of: String

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> RefuseMissionStep {
        try f.rejectUnknownKeys(["of"])
        let s = RefuseMissionStep(of: try f["of"].string())
        try context.token(s.of, f["of"])
        return s
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        guard let mission = ZeroIDClaims.payload(of: run.state.tokens[of])?["mission_id"]?.stringValue else {
            throw ForgeFailure("\(of) carries no mission_id to refuse")
        }
        run.state[ZeroIDRunState.self].refusedMissions.append(mission)
        run.log("\(run.label): downstream verifiers refuse mission \(mission) (of \(of))")
        return nil
    }
}

/// `claims`: what the service wrote into a token it issued, read without verifying it: `equal:` values
/// (`$agent` is the agent's WIMSE URI, `$agent.external_id` its external id, `$issuer` the service),
/// `header:` values, `absent:` claims, and
/// `same_as: TOKEN` with `same: [claims]` that must repeat that token's. Accepted when everything
/// holds, else refused `claims_mismatch`: how a scenario judges the shape of each token profile.
struct ClaimsStep: ScenarioStepKind, Hashable {
    static let keyword = "claims"
    static let isCheckpoint = true
    var token: String
    var equal: [String: JSONValue]
    var header: [String: JSONValue]
    var absent: [String]
    var sameAs: String?
    var same: [String]

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> ClaimsStep {
        try f.rejectUnknownKeys(["token", "equal", "header", "absent", "same_as", "same"])
        let s = ClaimsStep(
            token: try f["token"].string(), equal: try JWTAttack.jsonMapping(f["equal"]), header: try JWTAttack.jsonMapping(f["header"]),
            absent: f["absent"].exists ? try f["absent"].strings() : [], sameAs: try f["same_as"].optionalString(),
            same: f["same"].exists ? try f["same"].strings() : [])
        try context.token(s.token, f["token"])
        if let t = s.sameAs { try context.token(t, f["same_as"]) }
        guard (s.sameAs == nil) == s.same.isEmpty else { throw f.error("same_as and same go together") }
        return s
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let text = run.state.tokens[token]
        guard let text, let jws = try? JWS.parse(text) else {
            return Outcome(verdict: .reject, code: "claims_mismatch", message: "\(token) is not a JWS")
        }
        run.log("\(run.label): claims of \(token): \(jws.header.canonicalString) \(jws.claims.canonicalString)")
        var expected = ZeroIDClaims.expand(equal, run: run)
        if let other = sameAs.flatMap({ ZeroIDClaims.payload(of: run.state.tokens[$0]) }) {
            for name in same { expected[name] = other[name] ?? .null }
        }
        for name in absent where jws.claims[name] != nil {
            return Outcome(verdict: .reject, code: "claims_mismatch", message: "\(token) carries \(name) = \(jws.claims[name]!.canonicalString)")
        }
        let h = ZeroIDClaims.compare(header, in: jws.header, what: "the header of \(token)")
        guard h.verdict == .accept else { return h }
        return ZeroIDClaims.compare(expected, in: jws.claims, what: token)
    }
}

enum ZeroIDClaims {
    /// `$agent` → the agent's WIMSE URI, `$agent.external_id` → the last segment of it (a deployment over
    /// HTTP registers unique external ids), `$issuer` → the service's issuer, recursively.
    static func expand(_ values: [String: JSONValue], run: StepRun) -> [String: JSONValue] {
        values.mapValues { expand($0, run: run) }
    }

    static func expand(_ value: JSONValue, run: StepRun) -> JSONValue {
        switch value {
        case let .string(s) where s == "$issuer": return .string(run.state.tokenExchange.service?.issuer ?? s)
        case let .string(s) where s.hasPrefix("$") && s.hasSuffix(".external_id"):
            let uri = run.state.identity(String(s.dropFirst().dropLast(".external_id".count)))
            return .string(String(uri.split(separator: "/").last ?? Substring(uri)))
        case let .string(s) where s.hasPrefix("$"): return .string(run.state.identity(String(s.dropFirst())))
        case let .array(a): return .array(a.map { expand($0, run: run) })
        case let .object(o): return .object(JSONObject(o.entries.map { ($0.key, expand($0.value, run: run)) }))
        default: return value
        }
    }

    static func payload(of token: String?) -> JSONObject? { token.flatMap { try? JWS.parse($0).claims } }

    static func compare(_ expected: [String: JSONValue], in actual: JSONObject, what: String) -> Outcome {
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
            let found = actual[name]
            let matches = found == value || (value == .null && found == nil)
            guard matches else {
                return Outcome(
                    verdict: .reject, code: "claims_mismatch",
                    message: "\(what): \(name) is \(found?.canonicalString ?? "absent"), expected \(value.canonicalString)")
            }
        }
        return .accepted
    }
}
