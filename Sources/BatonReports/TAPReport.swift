import BatonModel
import Foundation

/// TAP version 13: one test point per scenario; skips and expected failures use the SKIP and TODO directives.
public enum TAPReport {
    public static func render(_ report: RunReport) -> String {
        var out = "TAP version 13\n1..\(report.results.count)\n"
        for (i, r) in report.results.enumerated() {
            let n = i + 1
            let desc = "\(r.scenarioId) - \(r.title)".replacingHash()
            switch r.status {
            case .passed: out += "ok \(n) \(desc)\n"
            case .skipped: out += "ok \(n) \(desc) # SKIP \(r.message.replacingHash())\n"
            case .expectedFailure: out += "not ok \(n) \(desc) # TODO \(r.message.replacingHash())\n"
            case .failed, .unexpectedPass, .error:
                out += "not ok \(n) \(desc)\n  ---\n  message: \(yamlString(r.message))\n"
                if let j = r.judgement { out += "  judgement: \(j.rawValue)\n" }
                out += "  file: \(yamlString(r.file))\n  ...\n"
            }
        }
        return out
    }

    static func yamlString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            + "\""
    }
}

extension String {
    /// `#` starts a TAP directive; keep it out of descriptions.
    func replacingHash() -> String { replacingOccurrences(of: "#", with: "no.").replacingOccurrences(of: "\n", with: " ") }
}
