import BatonModel
import Foundation

/// The machine-readable report: the whole `RunReport` with its summary, keys
/// sorted so that the same run always gives the same bytes.
public enum JSONReport {
    struct Document: Encodable {
        let format = "baton-report/1"
        let summary: RunSummary
        let report: RunReport
    }

    public static func render(_ report: RunReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(summary: report.summary, report: report))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
