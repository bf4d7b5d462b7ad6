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

/// `lineage`: the delegation edges from a token up to the root (`GET /api/v1/delegations/by-jti/{jti}`);
/// accepted when there are `length` of them, each the parent of the one before, ending at the root.
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
        let call = ExchangeCall(
            profile: run.scenario.profile, session: run.session, client: "", parameters: [["token", run.state.tokens[token] ?? ""]], now: run.now,
            endpoint: "lineage")
        run.log("\(run.label): lineage of \(token) [\(sts.descriptor.name)]")
        switch await sts.exchange(call) {
        case let .refused(outcome): return outcome
        case let .token(text):
            guard let value = try? JSONParser.parse(Array(text.utf8)), case let .array(items) = value else {
                return .failed("lineage answered \(text.prefix(80))")
            }
            let edges = items.compactMap(\.objectValue)
            run.log("      \(edges.map(\.canonicalString))")
            guard edges.count == length else {
                return Outcome(verdict: .reject, code: "lineage_mismatch", message: "\(edges.count) edges, expected \(length)")
            }
            for (child, parent) in zip(edges, edges.dropFirst()) where child["parent_jti"] != parent["jti"] {
                return Outcome(
                    verdict: .reject, code: "lineage_mismatch", message: "edge \(child.canonicalString) does not lead to \(parent.canonicalString)")
            }
            guard edges.last?["parent_jti"] == .null || edges.last?["parent_jti"] == nil else {
                return Outcome(verdict: .reject, code: "lineage_mismatch", message: "the lineage does not end at a root")
            }
            return .accepted
        }
    }
}

/// `claims`: what the service wrote into a token it issued, read without verifying it: `equal:` values
/// (`$agent` is the agent's WIMSE URI, `$issuer` the service), `header:` values, `absent:` claims, and
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
    /// `$agent` → the agent's WIMSE URI, `$issuer` → the service's issuer, recursively.
    static func expand(_ values: [String: JSONValue], run: StepRun) -> [String: JSONValue] {
        values.mapValues { expand($0, run: run) }
    }

    static func expand(_ value: JSONValue, run: StepRun) -> JSONValue {
        switch value {
        case let .string(s) where s == "$issuer": return .string(run.state.tokenExchange.service?.issuer ?? s)
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
