import BatonModel
import Foundation

/// SARIF 2.1.0 for security tooling: one result per accepted attack (error level),
/// and per rejection with the wrong code (warning level), located at the scenario file.
public enum SARIFReport {
    public static func render(_ report: RunReport, scenarioRoot: String = "Scenarios") throws -> String {
        let findings = report.results.filter {
            ($0.status == .failed || $0.status == .expectedFailure)
                && ($0.judgement == .acceptedAttack || $0.judgement == .wrongCode || $0.judgement == .wrongStep
                    || $0.judgement == .unsupportedMandatoryCheck)
        }
        var rules: [String: [String: Any]] = [:]
        let results: [[String: Any]] = findings.map { r in
            let ruleId = r.scenarioId
            rules[ruleId] = [
                "id": ruleId, "name": r.title,
                "shortDescription": ["text": r.title],
                "properties": ["tags": r.tags, "spec": r.spec],
            ]
            return [
                "ruleId": ruleId,
                "level": r.judgement == .acceptedAttack ? "error" : "warning",
                "message": ["text": "\(report.implementation): \(Self.finding(r.judgement)) — \(r.message)"],
                "locations": [["physicalLocation": ["artifactLocation": ["uri": "\(scenarioRoot)/\(r.file)"], "region": ["startLine": 1]]]],
            ]
        }
        let doc: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "baton", "version": report.toolVersion, "informationUri": "https://example.invalid/baton",
                            "rules": rules.keys.sorted().map { rules[$0]! },
                        ]
                    ],
                    "results": results,
                ]
            ],
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
