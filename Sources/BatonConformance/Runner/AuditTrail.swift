import AIP
import BatonAudit
import BatonCrypto
import BatonRuntime
import Biscuit
import JOSE
import TokenExchange

/// Builds audit records from bus exchanges, reading the token structurally (never verifying it:
/// the record says what was presented and what was decided).
enum AuditTrail {
    static func record(session: String, time: Int64, caller: String, receiver: String, scope: String,
                       token: String?, response: A2ATaskResponse, step: String? = nil) -> AuditRecord {
        let read = token.map(Self.read) ?? Reading()
        return AuditRecord(
            sequence: 0, time: time, session: session, principal: read.principal, issuer: read.issuer, caller: caller, receiver: receiver,
            chain: read.hops, scope: scope, decision: response.error == nil ? "accept" : "reject",
            step: response.error == nil ? nil : step, code: response.error?.aipCode, revocationIds: read.ids, previousHash: "", hash: "", signature: "")
    }

    /// What a token says about its chain, read structurally.
    struct Reading {
        var principal: String?
        var issuer: String?
        var hops: [AuditRecord.Hop] = []
        var ids: [String] = []
    }

    /// Reads a Biscuit AIP chain or a JWT without verifying it.
    static func read(_ token: String) -> Reading {
        var r = Reading()
        if let parsed = try? BiscuitToken(bytes: BiscuitToken.decodeBase64(token)) {
            r.ids = parsed.revocationIds.map(Hex.encode)
            if let blocks = try? parsed.decodedBlocks(), let chain = try? AIPChain(blocks: blocks, strict: false) {
                r.principal = chain.principal
                r.issuer = chain.links.first?.identity
                var scopes = chain.links.first?.scopes?.patterns ?? []
                for link in chain.links.dropFirst() {
                    if let s = link.scopes { scopes = s.patterns }
                    r.hops.append(.init(delegator: link.delegator ?? "?", delegate: link.delegate ?? "?", scopes: scopes, context: link.context))
                }
            }
        } else if let jws = try? JWS.parse(token) {
            let claims = JWTClaims(jws.claims)
            (r.principal, r.issuer, r.hops) = jwtChain(claims)
            if let jti = try? claims.jwtID { r.ids = [jti] }
        }
        return r
    }

    /// The delegation chain a token-exchange JWT records, read without verifying it: in the
    /// agent-subject layout the immediate delegator and `principal`; in RFC 8693's the nested
    /// `act` chain (current actor outermost) with `sub` as the person.
    static func jwtChain(_ claims: JWTClaims) -> (principal: String?, root: String?, hops: [AuditRecord.Hop]) {
        let sub = (try? claims.subject) ?? nil
        let actors = (try? claims.actorChain) ?? []
        let layout = ClaimLayout(of: claims) ?? .rfc8693
        let scopes = (try? layout.scopes(in: claims)) ?? []
        let principal = (try? layout.principal(subject: sub, claims: claims)) ?? nil
        switch layout {
        case .agentSubject:
            // sub holds the token, act names who delegated to it.
            guard let delegator = actors.first, let sub else { return (principal, sub, []) }
            return (principal, delegator, [.init(delegator: delegator, delegate: sub, scopes: scopes, context: nil)])
        case .rfc8693:
            // Actors current-first; the last is the agent the person authorized.
            let ordered = Array(actors.reversed())
            let hops = zip(ordered, ordered.dropFirst()).map { AuditRecord.Hop(delegator: $0, delegate: $1, scopes: scopes, context: nil) }
            return (principal, ordered.first, hops)
        }
    }

    /// What differs between an assertion and a record.
    static func check(_ a: ScenarioStep.AuditAssertion, against r: AuditRecord, identity: (String) -> String) -> [String] {
        var problems: [String] = []
        func compare(_ name: String, _ expected: String?, _ actual: String?) {
            if let expected, expected != actual { problems.append("\(name) is \(actual ?? "absent"), expected \(expected)") }
        }
        compare("decision", a.decision, r.decision)
        compare("code", a.code, r.code)
        compare("principal", a.principal, r.principal)
        compare("caller", a.caller.map(identity), r.caller)
        compare("receiver", a.receiver.map(identity), r.receiver)
        compare("root", a.root.map(identity), r.issuer)
        if let hops = a.hops, hops != r.chain.count { problems.append("the chain has \(r.chain.count) hop(s), expected \(hops)") }
        return problems
    }
}

