import BatonModel

/// JUnit XML, as CI systems read it: one `<testsuite>` per implementation, one
/// `<testcase>` per scenario, grouped by the scenario's topic (its id's first part).
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        let s = report.summary
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let time = seconds(report.results.reduce(0) { $0 + $1.durationMicros })
        out +=
            #"<testsuites name="baton" tests="\#(s.total)" failures="\#(s.failed + s.unexpectedPasses)" errors="\#(s.errors)" skipped="\#(s.skipped + s.expectedFailures)" time="\#(time)">"#
            + "\n"
        out +=
            #"  <testsuite name="\#(escape(report.implementation))" tests="\#(s.total)" failures="\#(s.failed + s.unexpectedPasses)" errors="\#(s.errors)" skipped="\#(s.skipped + s.expectedFailures)" time="\#(time)">"#
            + "\n"
        for r in report.results {
            let topic = r.scenarioId.split(separator: "/").first.map(String.init) ?? r.scenarioId
            out +=
                #"    <testcase classname="\#(escape(report.implementation)).\#(escape(topic))" name="\#(escape(r.scenarioId))" file="\#(escape(r.file))" time="\#(seconds(r.durationMicros))">"#
            let detail = escape(([r.message] + r.trace).joined(separator: "\n"))
            switch r.status {
            case .passed: break
            case .skipped:
                out += "\n" + #"      <skipped message="\#(escape(r.message))"/>"#
            case .expectedFailure:
                out += "\n" + #"      <skipped message="expected failure: \#(escape(r.message))"/>"#
            case .failed:
                out += "\n" + #"      <failure type="\#(r.judgement?.rawValue ?? "failed")" message="\#(escape(r.message))">\#(detail)</failure>"#
            case .unexpectedPass:
                out += "\n" + #"      <failure type="unexpected_pass" message="\#(escape(r.message))">\#(detail)</failure>"#
            case .error:
                out += "\n" + #"      <error type="scenario_error" message="\#(escape(r.message))">\#(detail)</error>"#
            }
            if r.status != .passed { out += "\n    " }
            out += "</testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func seconds(_ micros: Int) -> String {
        let whole = micros / 1_000_000
        let frac = micros % 1_000_000
        let digits = String(frac)
        return "\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    }

    /// Escapes XML text and attribute values; drops characters XML 1.0 cannot carry.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
