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

    @Option(
        help: ArgumentHelp(
            "Run only this part of the selected scenarios, e.g. 2/4: a deterministic split balanced by expected cost; 'baton merge' joins the shards' JSON reports.",
            valueName: "index/count"),
        transform: { try Shard(parsing: $0) })
    var shard: Shard?

    @Option(help: "Known-failure list (default: Fixtures/known-failures/<implementation>.txt when it exists).")
    var knownFailures: String?

    @Flag(help: "Rewrite the known-failure list from this run's failures.")
    var updateKnownFailures = false

    @OptionGroup var outputs: ReportOutputs

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
        if names.count > 1, outputs.namesAFile || knownFailures != nil {
            throw ValidationError("with several --iut, reports go to --reports DIR (one set per implementation)")
        }
        if shard != nil, updateKnownFailures {
            throw ValidationError("--update-known-failures rewrites the list from the whole run: merge the shards first, or run without --shard")
        }
        if let profile, ProfileRegistry.driver(for: profile) == nil {
            throw ValidationError("unknown profile '\(profile)' (known: \(ProfileRegistry.standard.map(\.profile.rawValue).joined(separator: ", ")))")
        }
        var catalog = scenarios.load()
        catalog.scenarios = catalog.scenarios.filter { s in
            (filter.isEmpty || filter.contains { s.id.contains($0) }) && (profile == nil || s.profile == profile)
        }
        if let shard {
            // Broken files are reported once, by the first shard.
            catalog.scenarios = shard.select(catalog.scenarios)
            if shard.index != 1 { catalog.errors = [] }
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
            try Console.write(diff.markdown(), to: "\(outputs.reports)/differential.md")
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
        let fileName = ReportOutputs.fileName(name)
        let knownPath = knownFailures ?? "Fixtures/known-failures/\(fileName).txt"
        var known = (try? String(contentsOfFile: knownPath, encoding: .utf8)).map { KnownFailures(text: $0) } ?? KnownFailures()
        known.today = KnownFailures.date(Date())
        for problem in known.problems { Console.err("baton: \(knownPath): \(problem)") }
        if !known.problems.isEmpty { throw ExitCode(2) }

        Console.err(
            "baton: \(shard.map { "shard \($0): " } ?? "")\(catalog.scenarios.count) scenario(s), \(catalog.errors.count) broken file(s), implementation \(name) \(implementation.descriptor.version)"
        )
        Interrupts.install()
        // On a terminal, a live line under the results; its requests are timed for implementations outside the process.
        let live = LiveProgress.wanted(quiet: quiet) ? LiveProgress(total: catalog.scenarios.count + catalog.errors.count) : nil
        var driven = implementation
        if let live {
            switch iut {
            case .reference, .flawed: break
            default: driven = TimedImplementation(base: implementation, progress: live)
            }
        }
        let suite = SuiteRun(runner: ScenarioRunner(implementation: driven, seed: seed), knownFailures: known)
        var report = await suite.run(
            catalog, profiles: implementation.descriptor.profiles, starting: { live?.starting($0.id) },
            progress: { r in
                let line = !quiet || !(r.status.isAcceptable) ? Self.line(r) : nil
                if let live { live.finished(r, line: line) } else if let line { Console.out(line) }
            }, shouldStop: { Interrupts.requested })
        live?.finish()
        let digest = scenarios.digest()
        let d = implementation.descriptor
        report.manifest = RunManifest(
            batonVersion: BatonVersion.current, scenariosSHA256: digest.sha256, scenarioFiles: digest.files, implementation: d.name,
            implementationVersion: d.version, roles: d.roles, options: d.options, seed: seed, filters: manifestFilters, shard: shard?.description)
        let soon = known.expiringSoon()
        report.expiringKnownFailures = soon.isEmpty ? nil : soon
        if !timings {
            report.results = report.results.map {
                var r = $0; r.durationMicros = 0; return r
            }
        }

        try outputs.write(report, fileName: fileName)
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

    /// The selections a manifest records.
    var manifestFilters: [String] { filter.map { "filter \($0)" } + (profile.map { ["profile \($0.rawValue)"] } ?? []) }

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

extension Shard: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension TokenProfile: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
