import Foundation
import Testing

@testable import Biscuit

/// An expected authorization result from samples.json, reduced to what we compare.
enum ExpectedResult: CustomStringConvertible {
    case ok(Int)
    /// The reference error path (e.g. `Format.Signature.InvalidSignature`) and,
    /// for logic errors, a canonical rendering of the failed checks.
    case error(kind: String, detail: String?)

    /// The offending JSON, printed (errors are Sendable; `Any` is not).
    struct Malformed: Error {
        let json: String
        init(json: Any?) { self.json = json.map { String(describing: $0) } ?? "nil" }
    }

    init(_ json: Any?) throws {
        guard let dict = json as? [String: Any] else { throw Malformed(json: json) }
        if let ok = dict["Ok"] as? Int { self = .ok(ok); return }
        guard var node = dict["Err"] else { throw Malformed(json: json) }
        var path: [String] = []
        var detail: String?
        while true {
            if let d = node as? [String: Any], d.count == 1, let (key, value) = d.first {
                path.append(key)
                if let s = value as? String {
                    // Unit variants of these enums are printed as plain strings.
                    if key == "Execution" || key == "RunLimit" { path.append(s) }
                    break
                }
                if key == "Unauthorized" || key == "NoMatchingPolicy" || key == "InvalidBlockRule" {
                    detail = ExpectedResult.canonical(logic: key, value)
                    break
                }
                node = value
            } else {
                break
            }
        }
        self = .error(kind: path.joined(separator: "."), detail: detail)
    }

    var kind: String {
        switch self {
        case .ok: return "Ok"
        case let .error(kind, _): return kind
        }
    }

    var description: String {
        switch self {
        case let .ok(i): return "Ok(\(i))"
        case let .error(kind, detail): return "\(kind)\(detail.map { " \($0)" } ?? "")"
        }
    }

    static func canonical(logic key: String, _ value: Any) -> String {
        if key == "InvalidBlockRule", let pair = value as? [Any] {
            return "\(pair.first as? Int ?? -1):\(pair.last as? String ?? "")"
        }
        let dict = value as? [String: Any] ?? [:]
        var parts: [String] = []
        if let policy = dict["policy"] as? [String: Int], let (k, v) = policy.first { parts.append("policy=\(k)(\(v))") }
        let checks = (dict["checks"] as? [[String: Any]] ?? []).map { check -> String in
            if let b = check["Block"] as? [String: Any] {
                return "Block(\(b["block_id"] as? Int ?? -1),\(b["check_id"] as? Int ?? -1),\(b["rule"] as? String ?? ""))"
            }
            if let a = check["Authorizer"] as? [String: Any] {
                return "Authorizer(\(a["check_id"] as? Int ?? -1),\(a["rule"] as? String ?? ""))"
            }
            return "?"
        }
        parts.append("checks=[\(checks.joined(separator: ", "))]")
        return parts.joined(separator: "; ")
    }

    /// The same canonical rendering for one of our errors.
    static func detail(of error: BiscuitError) -> String? {
        guard case let .logic(logic) = error else { return nil }
        let checks = logic.failedChecks.map { c -> String in
            switch c {
            case let .block(b, i, rule): return "Block(\(b),\(i),\(rule))"
            case let .authorizer(i, rule): return "Authorizer(\(i),\(rule))"
            }
        }
        switch logic {
        case let .unauthorized(.allow(i), _): return "policy=Allow(\(i)); checks=[\(checks.joined(separator: ", "))]"
        case let .unauthorized(.deny(i), _): return "policy=Deny(\(i)); checks=[\(checks.joined(separator: ", "))]"
        case .noMatchingPolicy: return "checks=[\(checks.joined(separator: ", "))]"
        case let .invalidBlockRule(b, rule): return "\(b):\(rule)"
        }
    }
}

/// Compares our world snapshot with a sample's `world`.
enum SampleWorld {
    static func compare(_ world: AuthorizerWorld, with expected: [String: Any], validation: String) throws {
        let expectedFacts = (expected["facts"] as? [[String: Any]] ?? []).map { group -> String in
            let origins = (group["origin"] as? [Any] ?? []).map { o -> String in (o as? Int).map(String.init) ?? "authorizer" }
            return "\(origins): \(group["facts"] as? [String] ?? [])"
        }
        let ourFacts = world.facts.map { group in
            "\(group.origins.map { $0.map(String.init) ?? "authorizer" }): \(group.facts)"
        }
        #expect(ourFacts == expectedFacts, "validation '\(validation)': world facts")

        func origin(_ any: Any?) -> String {
            if let i = any as? Int, i >= 0, i < Int(Int32.max) { return String(i) }
            return "authorizer"
        }
        let expectedRules = Set((expected["rules"] as? [[String: Any]] ?? []).map { "\(origin($0["origin"])): \($0["rules"] as? [String] ?? [])" })
        let ourRules = Set(world.rules.map { "\($0.origin.map(String.init) ?? "authorizer"): \($0.rules)" })
        #expect(ourRules == expectedRules, "validation '\(validation)': world rules")

        let expectedChecks = Set((expected["checks"] as? [[String: Any]] ?? []).map { "\(origin($0["origin"])): \($0["checks"] as? [String] ?? [])" })
        let ourChecks = Set(world.checks.map { "\($0.origin.map(String.init) ?? "authorizer"): \($0.checks)" })
        #expect(ourChecks == expectedChecks, "validation '\(validation)': world checks")

        #expect(world.policies == expected["policies"] as? [String], "validation '\(validation)': world policies")
    }
}
