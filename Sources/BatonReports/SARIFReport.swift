import BatonModel
import Foundation

/// SARIF 2.1.0 for security tooling: one result per accepted attack (error level),
/// and per rejection with the wrong code (warning level), located at the scenario file.
/// A finding whose scenario names an OWASP Top 10 for Agentic Applications category or a CWE
/// carries it as a tag (`external/cwe/cwe-347`, `external/owasp-agentic/asi03`), in its rule's
/// properties and relationships, and in the result's `taxa`, against the run's two taxonomies.
public enum SARIFReport {
    static var owaspComponent: [String: Any] { ["name": AgenticRisk.taxonomyName] }
    static var cweComponent: [String: Any] { ["name": CWE.taxonomyName] }

    public static func render(_ report: RunReport, scenarioRoot: String = "Scenarios") throws -> String {
        let findings = report.results.filter {
            ($0.status == .failed || $0.status == .expectedFailure)
                && ($0.judgement == .acceptedAttack || $0.judgement == .wrongCode || $0.judgement == .wrongStep
                    || $0.judgement == .unsupportedMandatoryCheck)
        }
        var rules: [String: [String: Any]] = [:]
        var risks: Set<AgenticRisk> = []
        var weaknesses: Set<CWE> = []
        let results: [[String: Any]] = findings.map { r in
            let ruleId = r.scenarioId
            var tags = r.tags
            var properties: [String: Any] = ["spec": r.spec]
            var relationships: [[String: Any]] = []
            var taxa: [[String: Any]] = []
            if let risk = r.owasp {
                risks.insert(risk)
                tags += ["security", "external/owasp-agentic/\(risk.rawValue.lowercased())"]
                properties["owasp"] = risk.rawValue
                relationships.append(["target": ["id": risk.rawValue, "toolComponent": owaspComponent], "kinds": ["relevant"]])
                taxa.append(["id": risk.rawValue, "toolComponent": owaspComponent])
            }
            if let cwe = r.cwe {
                weaknesses.insert(cwe)
                if !tags.contains("security") { tags.append("security") }
                tags.append("external/cwe/cwe-\(cwe.number)")
                properties["cwe"] = cwe.id
                relationships.append(["target": ["id": String(cwe.number), "toolComponent": cweComponent], "kinds": ["relevant"]])
                taxa.append(["id": String(cwe.number), "toolComponent": cweComponent])
            }
            properties["tags"] = tags
            var rule: [String: Any] = ["id": ruleId, "name": r.title, "shortDescription": ["text": r.title], "properties": properties]
            if !relationships.isEmpty { rule["relationships"] = relationships }
            rules[ruleId] = rule
            var result: [String: Any] = [
                "ruleId": ruleId,
                "level": r.judgement == .acceptedAttack ? "error" : "warning",
                "message": ["text": "\(report.implementation): \(Self.finding(r.judgement)) — \(r.message)"],
                "locations": [["physicalLocation": ["artifactLocation": ["uri": "\(scenarioRoot)/\(r.file)"], "region": ["startLine": 1]]]],
            ]
            if !taxa.isEmpty { result["taxa"] = taxa }
            return result
        }
        var run: [String: Any] = [
            "tool": [
                "driver": [
                    "name": "baton", "version": report.toolVersion, "informationUri": "https://example.invalid/baton",
                    "rules": rules.keys.sorted().map { rules[$0]! },
                    "supportedTaxonomies": [owaspComponent, cweComponent],
                ]
            ],
            "results": results,
        ]
        run["taxonomies"] = [
            [
                "name": AgenticRisk.taxonomyName, "version": AgenticRisk.taxonomyVersion, "organization": "OWASP GenAI Security Project",
                "informationUri": AgenticRisk.taxonomyURI, "shortDescription": ["text": "OWASP Top 10 for Agentic Applications (2026)"],
                "taxa": risks.sorted().map { ["id": $0.rawValue, "name": $0.name] },
            ],
            [
                "name": CWE.taxonomyName, "organization": "MITRE", "informationUri": CWE.taxonomyURI,
                "shortDescription": ["text": "The MITRE Common Weakness Enumeration"],
                "taxa": weaknesses.sorted().map { ["id": String($0.number), "name": $0.name] },
            ],
        ]
        let doc: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func finding(_ judgement: Judgement?) -> String {
        switch judgement {
        case .acceptedAttack?: return "accepted an attack"
        case .wrongStep?: return "refused by another step than the check that must stop it"
        case .unsupportedMandatoryCheck?: return "cannot be set up for a check the specification makes mandatory"
        default: return "rejected for the wrong reason"
        }
    }
}
