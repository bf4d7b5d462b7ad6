import BatonHarness
import BatonModel
import JOSE

/// `attack: jwt`: rewrite a JWT's header, claims or `act` chain and sign it as told (see
/// `JWTForgery`); the attack of both JWT profiles.
struct JWTAttack: ForgeAttack {
    var forgery: JWTForgery

    func forge(_ source: String, run: StepRun) throws -> String {
        try JWTForger(state: run.state, salt: "\(run.scenario.id):\(run.index)").apply(forgery, to: source)
    }

    /// A rewritten JWT is altered in place: every hop it records stays as it was.
    func honestHops(sourceHops: Int) -> Int { sourceHops }

    var description: String { forgery.description }

    static let names = ["jwt"]

    /// Reads `header`, `remove_header`, `set`, `remove`, `act`, `sign` and `embed_jwk`.
    static func parse(_ f: YAMLField, context: ScenarioContext) throws -> JWTAttack {
        JWTAttack(forgery: try parseForgery(f, context: context))
    }

    /// Reads a JWT forgery from a forge step (`extraKeys`: the step's other keys, such as `link`).
    static func parseForgery(_ f: YAMLField, context: ScenarioContext, extraKeys: Set<String> = []) throws -> JWTForgery {
        try f.rejectUnknownKeys(
            ForgeStep.commonKeys.union(["header", "remove_header", "set", "remove", "act", "sign", "embed_jwk"]).union(extraKeys))
        var j = JWTForgery()
        j.header = try jsonMapping(f["header"])
        j.removeHeader = f["remove_header"].exists ? try f["remove_header"].strings() : []
        j.set = try jsonMapping(f["set"])
        j.remove = f["remove"].exists ? try f["remove"].strings() : []
        j.embedJWK = try f["embed_jwk"].optionalBool() ?? false
        if f["act"].exists {
            if f["act"].isSequence {
                let agents = try f["act"].strings()
                for a in agents { try context.agent(a, f["act"]) }
                j.act = .replace(agents)
            } else {
                switch try f["act"].string() {
                case "swap": j.act = .swapOutermost
                case "drop": j.act = .dropOutermost
                case let other: throw f["act"].error("act is swap, drop or a list of agents, found '\(other)'")
                }
            }
        }
        let sign = try f["sign"].optionalString() ?? "keep"
        switch sign {
        case "keep": j.signing = .keep
        case "strip": j.signing = .strip
        case "sts", "random": j.signing = .key(sign)
        case _ where sign.lowercased() == "none": j.signing = .unsecured(sign)
        case _ where sign.hasPrefix("hmac-public-key"):
            let form = sign.split(separator: ":").dropFirst().first.map(String.init) ?? "pem"
            j.signing = .hmacPublicKey(form)
        default:
            try context.agent(sign, f["sign"])
            j.signing = .key(sign)
        }
        return j
    }

    static func jsonMapping(_ f: YAMLField) throws -> [String: JSONValue] {
        guard f.exists else { return [:] }
        var out: [String: JSONValue] = [:]
        for key in try f.keys() { out[key] = try f[key].jsonValue() }
        return out
    }
}
