import ArgumentParser
import BatonAudit
import BatonModel
import BatonReports

/// Where a run's reports go, for the commands that write them (`run`, `merge`): a directory for the
/// default set, and a path per format to write that one elsewhere.
struct ReportOutputs: ParsableArguments {
    @Option(help: "Directory for the default reports.")
    var reports: String = "Reports"

    @Option(help: "JUnit XML output path (default: <reports>/<implementation>.junit.xml).")
    var junit: String?

    @Option(help: "JSON output path (default: <reports>/<implementation>.json).")
    var json: String?

    @Option(help: "Markdown summary path (default: <reports>/<implementation>.md).")
    var markdown: String?

    @Option(help: "SARIF output (security findings: accepted attacks, wrong codes).")
    var sarif: String?

    @Option(help: "HTML report (one self-contained file).")
    var html: String?

    @Option(help: "TAP output.")
    var tap: String?

    @Option(help: "Audit log (JSON Lines) of every call in the run (default: <reports>/<implementation>.audit.jsonl).")
    var audit: String?

    /// Whether a path was given for one of the formats (several implementations cannot share it).
    var namesAFile: Bool { [junit, json, markdown, sarif, html, tap, audit].contains { $0 != nil } }

    /// The name an implementation's reports take: its name with anything but letters, digits, `-`, `_`
    /// and `.` replaced by `-`.
    static func fileName(_ implementation: String) -> String {
        implementation.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }.map(String.init).joined()
    }

    /// Writes every format of `report`.
    func write(_ report: RunReport, fileName: String) throws {
        try Console.write(JUnitReport.render(report), to: junit ?? "\(reports)/\(fileName).junit.xml")
        try Console.write(JSONReport.render(report), to: json ?? "\(reports)/\(fileName).json")
        try Console.write(MarkdownReport.render(report), to: markdown ?? "\(reports)/\(fileName).md")
        try Console.write(SARIFReport.render(report), to: sarif ?? "\(reports)/\(fileName).sarif")
        try Console.write(TAPReport.render(report), to: tap ?? "\(reports)/\(fileName).tap")
        try Console.write(HTMLReport.render(report), to: html ?? "\(reports)/\(fileName).html")
        var log = AuditLog()
        for result in report.results { for record in result.audit { log.append(record) } }
        try Console.write(log.jsonLines(), to: audit ?? "\(reports)/\(fileName).audit.jsonl")
    }
}
