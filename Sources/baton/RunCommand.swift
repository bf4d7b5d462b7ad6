import AIP
import ArgumentParser
import BatonAudit
import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports
import BatonTargets
import Foundation
import Synchronization

/// `baton run`: drives the scenarios against an implementation and writes reports.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run scenarios against an implementation under test and write reports.")

    @OptionGroup var scenarios: ScenarioPaths

    @Option(help: "Only scenarios whose id contains this text (repeatable).")
    var filter: [String] = []

    @Option(help: "Only scenarios of this token profile.")
    var profile: TokenProfile?

    @OptionGroup var targets: TargetOptions

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

    @Option(help: "With several --iut: also write the full differential table (every scenario, skips included) to this Markdown file.")
    var differential: String?

    @Option(help: "Title of the --differential table.")
    var differentialTitle = "Differential run"

    @Option(help: "Seed for every derived key.")
    var seed: String = "baton"

    func run() async throws {
        let names = targets.specs
        if names.count > 1,
            junit != nil || json != nil || markdown != nil || sarif != nil || tap != nil || html != nil || audit != nil || knownFailures != nil
        {
            throw ValidationError("with several --iut, reports go to --reports DIR (one set per implementation)")
        }
        if let profile, ProfileRegistry.driver(for: profile) == nil {
            throw ValidationError("unknown profile '\(profile)' (known: \(ProfileRegistry.standard.map(\.profile.rawValue).joined(separator: ", ")))")
        }
        var catalog = scenarios.load()
        catalog.scenarios = catalog.scenarios.filter { s in
            (filter.isEmpty || filter.contains { s.id.contains($0) }) && (profile == nil || s.profile == profile)
        }
        var reports: [RunReport] = []
        var succeeded = true
        for name in names {
            let (report, ok) = try await runOne(name, catalog: catalog)
            reports.append(report)
            succeeded = succeeded && ok
        }
        if reports.count > 1 {
            let diff = DifferentialReport(reports)
            for line in diff.consoleLines() { Console.out(line) }
            try Console.write(diff.markdown(), to: "\(self.reports)/differential.md")
            if let differential { try Console.write(diff.tableMarkdown(title: differentialTitle), to: differential) }
        }
        if !succeeded { throw ExitCode(1) }
    }

    /// Runs the suite against one implementation and writes its reports.
    func runOne(_ iut: ImplementationSpec, catalog: ScenarioLoader.Catalog) async throws -> (RunReport, Bool) {
        let implementation = try iut.make(timeout: targets.timeout)
        if let testee = implementation as? TesteeProcess, let failure = await testee.start() {
            Console.err("baton: the testee could not be started: \(failure)")
            throw ExitCode(2)
        }
        defer { (implementation as? TesteeProcess)?.close() }
        let name = implementation.descriptor.name
        let fileName = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }.map(String.init).joined()
        let knownPath = knownFailures ?? "Fixtures/known-failures/\(fileName).txt"
        var known = (try? String(contentsOfFile: knownPath, encoding: .utf8)).map { KnownFailures(text: $0) } ?? KnownFailures()
        known.today = KnownFailures.date(Date())
        for problem in known.problems { Console.err("baton: \(knownPath): \(problem)") }
        if !known.problems.isEmpty { throw ExitCode(2) }

        Console.err(
            "baton: \(catalog.scenarios.count) scenario(s), \(catalog.errors.count) broken file(s), implementation \(name) \(implementation.descriptor.version)"
        )
        Interrupts.install()
        let suite = SuiteRun(runner: ScenarioRunner(implementation: implementation, seed: seed), knownFailures: known)
        var report = await suite.run(
            catalog, profiles: implementation.descriptor.profiles,
            progress: { r in
                if !quiet || !(r.status.isAcceptable) { Console.out(Self.line(r)) }
            }, shouldStop: { Interrupts.requested })
        let soon = known.expiringSoon()
        report.expiringKnownFailures = soon.isEmpty ? nil : soon
        if !timings {
            report.results = report.results.map {
                var r = $0; r.durationMicros = 0; return r
            }
        }

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
            try Console.write(
                updated.render(
                    header:
                        "Known failures of \(name): one scenario id per line, '# reason' after it.\nRewritten by `baton run --update-known-failures`."
                ), to: knownPath)
            Console.err("baton: wrote \(updated.reasons.count) known failure(s) to \(knownPath)")
        }
        let s = report.summary
        Console.out("baton: \(s.passed) passed, \(s.failed + s.errors + s.unexpectedPasses) failed, \(s.skipped) skipped")
        if s.expectedFailures > 0 || s.acceptedAttacks > 0 || s.wrongSteps > 0 {
            Console.out(
                "baton: \(s.expectedFailures) expected failure(s), \(s.acceptedAttacks) accepted attack(s), \(s.wrongCodes) wrong code(s)"
                    + (s.wrongSteps > 0 ? ", \(s.wrongSteps) wrong step(s)" : ""))
        }
        for line in report.expiringKnownFailures ?? [] { Console.err("baton: a known failure expires soon: \(line)") }
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
    /// Set by the signal handler: a lock-free atomic store is async-signal-safe.
    static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        signal(SIGINT) { _ in Interrupts.flag.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in Interrupts.flag.store(true, ordering: .relaxed) }
    }
}

extension TokenProfile: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
