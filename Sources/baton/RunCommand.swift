import BatonAudit
import AIP
import ArgumentParser
import BatonConformance
import BatonReports
import Foundation

/// `baton run`: drives the scenarios against an implementation and writes reports.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run scenarios against an implementation under test and write reports.")

    @Argument(help: "Scenario files or directories (default: Scenarios).")
    var paths: [String] = []

    @Option(help: "Only scenarios whose id contains this text (repeatable).")
    var filter: [String] = []

    @Option(help: "Only scenarios of this token profile.")
    var profile: String?

    @Option(help: "The implementation under test: 'reference' (built in), 'flawed:<flaw>', or 'cmd:<command line>' (a baton-testee/1 subprocess), 'http://127.0.0.1:PORT' (A2A agents), 'oauth:http://127.0.0.1:PORT[#name]' (an OAuth token service).")
    var iut: [String] = []

    @Option(help: "Per-request timeout for a 'cmd:', HTTP or 'oauth:' testee, in seconds.")
    var timeout: Double = 10

    @Option(help: "Known-failure list (default: Fixtures/known-failures/<implementation>.txt when it exists).")
    var knownFailures: String?

    @Flag(help: "Rewrite the known-failure list from this run's failures.")
    var updateKnownFailures = false

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

    @Flag(help: "Record durations in the reports (they then differ from run to run).")
    var timings = false

    @Flag(help: "Print only failures and the summary.")
    var quiet = false

    @Option(help: "Seed for every derived key.")
    var seed: String = "baton"

    func run() throws {
        let names = iut.isEmpty ? ["reference"] : iut
        if names.count > 1, junit != nil || json != nil || markdown != nil || sarif != nil || tap != nil || html != nil || audit != nil || knownFailures != nil {
            throw ValidationError("with several --iut, reports go to --reports DIR (one set per implementation)")
        }
        var catalog = Catalogs.load(paths)
        catalog.scenarios = catalog.scenarios.filter { s in
            (filter.isEmpty || filter.contains { s.id.contains($0) }) && (profile == nil || s.profile == profile)
        }
        var reports: [RunReport] = []
        var succeeded = true
        for name in names {
            let (report, ok) = try runOne(name, catalog: catalog)
            reports.append(report)
            succeeded = succeeded && ok
        }
        if reports.count > 1 {
            let diff = DifferentialReport(reports)
            for line in diff.consoleLines() { Console.out(line) }
            try Console.write(diff.markdown(), to: "\(self.reports)/differential.md")
        }
        if !succeeded { throw ExitCode(1) }
    }

    /// Runs the suite against one implementation and writes its reports.
    func runOne(_ iut: String, catalog: ScenarioLoader.Catalog) throws -> (RunReport, Bool) {
        let implementation = try Implementations.make(iut, timeout: timeout)
        if let testee = implementation as? TesteeProcess, let failure = testee.startupFailure {
            Console.err("baton: the testee could not be started: \(failure)")
            throw ExitCode(2)
        }
        defer { (implementation as? TesteeProcess)?.close() }
        let name = implementation.descriptor.name
        let fileName = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }.map(String.init).joined()
        let knownPath = knownFailures ?? "Fixtures/known-failures/\(fileName).txt"
        let known = (try? String(contentsOfFile: knownPath, encoding: .utf8)).map(KnownFailures.init(text:)) ?? KnownFailures()

        Console.err("baton: \(catalog.scenarios.count) scenario(s), \(catalog.errors.count) broken file(s), implementation \(name) \(implementation.descriptor.version)")
        Interrupts.install()
        let suite = SuiteRun(runner: ScenarioRunner(implementation: implementation, seed: seed), knownFailures: known)
        var report = suite.run(catalog, profiles: implementation.descriptor.profiles, progress: { r in
            if !quiet || !(r.status.isAcceptable) { Console.out(Self.line(r)) }
        }, shouldStop: { Interrupts.requested })
        if !timings { report.results = report.results.map { var r = $0; r.durationMicros = 0; return r } }

        try Console.write(JUnitReport.render(report), to: junit ?? "\(reports)/\(fileName).junit.xml")
        try Console.write(JSONReport.render(report), to: json ?? "\(reports)/\(fileName).json")
        try Console.write(MarkdownReport.render(report), to: markdown ?? "\(reports)/\(fileName).md")
        try Console.write(SARIFReport.render(report), to: sarif ?? "\(reports)/\(fileName).sarif")
        try Console.write(TAPReport.render(report), to: tap ?? "\(reports)/\(fileName).tap")
        try Console.write(HTMLReport.render(report), to: html ?? "\(reports)/\(fileName).html")
        var log = AuditLog()
        for result in report.results { for record in result.audit { log.append(record) } }
        try Console.write(log.jsonLines(), to: audit ?? "\(reports)/\(fileName).audit.jsonl")
        if updateKnownFailures {
            let updated = known.updated(with: report.results)
            try Console.write(updated.render(header: "Known failures of \(name): one scenario id per line, '# reason' after it.\nRewritten by `baton run --update-known-failures`."), to: knownPath)
            Console.err("baton: wrote \(updated.reasons.count) known failure(s) to \(knownPath)")
        }
        let s = report.summary
        Console.out("baton: \(s.passed) passed, \(s.failed + s.errors + s.unexpectedPasses) failed, \(s.skipped) skipped")
        if s.expectedFailures > 0 || s.acceptedAttacks > 0 {
            Console.out("baton: \(s.expectedFailures) expected failure(s), \(s.acceptedAttacks) accepted attack(s), \(s.wrongCodes) wrong code(s)")
        }
        if report.interrupted { Console.err("baton: interrupted; partial reports written") }
        return (report, s.succeeded && !report.interrupted)
    }

    static func line(_ r: CaseResult) -> String {
        let tag: String
        switch r.status {
        case .passed: tag = "PASS "
        case .failed: tag = r.judgement == .acceptedAttack ? "VULN " : "FAIL "
        case .skipped: tag = "SKIP "
        case .expectedFailure: tag = "XFAIL"
        case .unexpectedPass: tag = "XPASS"
        case .error: tag = "ERROR"
        }
        return r.status == .passed ? "\(tag) \(r.scenarioId)" : "\(tag) \(r.scenarioId) — \(r.message)"
    }
}

/// Records SIGINT/SIGTERM so that a run stops between cases and still writes its reports.
enum Interrupts {
    nonisolated(unsafe) static var requested = false

    static func install() {
        signal(SIGINT) { _ in Interrupts.requested = true }
        signal(SIGTERM) { _ in Interrupts.requested = true }
    }
}

/// The implementations `--iut` can name.
enum Implementations {
    static func make(_ name: String, timeout seconds: Double = 10) throws -> any ImplementationUnderTest {
        switch name {
        case "reference": return ReferenceImplementation()
        case let n where n.hasPrefix("cmd:"):
            let line = String(n.dropFirst("cmd:".count)).trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { throw ValidationError("'cmd:' needs a command line, e.g. cmd:python3 Interop/minimal_testee.py") }
            guard seconds > 0, seconds <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
            return TesteeProcess(commandLine: line, timeout: .milliseconds(Int64(seconds * 1000)))
        case let n where n.hasPrefix("oauth:"):
            // An OAuth token service (RFC 8414 discovery, RFC 7591 registration, RFC 8693 exchange) on loopback;
            // a URL fragment names the implementation in reports and may carry options after '&':
            // oauth:http://127.0.0.1:8000#authgent-server&subject_token_type=access_token sends
            // urn:ietf:params:oauth:token-type:access_token where a scenario says ...:jwt.
            let text = String(n.dropFirst("oauth:".count))
            guard let url = URL(string: text), url.isLoopbackHTTP else {
                throw ValidationError("'oauth:' needs a loopback http URL (127.0.0.1, localhost or [::1]): \(text)")
            }
            guard seconds > 0, seconds <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
            var base = URLComponents(url: url, resolvingAgainstBaseURL: false)
            let parts = (base?.fragment ?? "").split(separator: "&").map(String.init)
            let name = parts.first.flatMap { $0.isEmpty || $0.contains("=") ? nil : $0 } ?? "oauth-sts"
            var tokenType: String?
            for option in parts where option.contains("=") {
                let kv = option.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, kv[0] == "subject_token_type", !kv[1].isEmpty else {
                    throw ValidationError("unknown 'oauth:' option '\(option)' (known: subject_token_type=<type>)")
                }
                tokenType = kv[1].contains(":") ? kv[1] : "urn:ietf:params:oauth:token-type:\(kv[1])"
            }
            base?.fragment = nil
            return TokenEndpointTarget(baseURL: base?.url ?? url, timeout: seconds, name: name, subjectTokenTypeForJWT: tokenType)
        case let n where n.hasPrefix("http"):
            guard let url = URL(string: n), url.isLoopbackHTTP else {
                throw ValidationError("HTTP targets must be http URLs on loopback (127.0.0.1, localhost or [::1]): \(n)")
            }
            return HTTPAgentTarget(baseURL: url, timeout: seconds)
        case let n where n.hasPrefix("flawed:"):
            guard let flawed = ReferenceImplementation.flawed(named: String(n.dropFirst("flawed:".count))) else {
                throw ValidationError("unknown flaw in '\(n)' (known: \(ReferenceImplementation.gallery.map(\.name).joined(separator: ", ")))")
            }
            return flawed
        default: throw ValidationError("unknown implementation '\(name)' (known: reference, flawed:<flaw>, cmd:<command line>, http://127.0.0.1:PORT, oauth:http://127.0.0.1:PORT)")
        }
    }
}
