// baton-bench: performance measurements for Baton.
//
//   swift run -c release baton-bench biscuit [--json] [--batches N] [--iterations N] [--warmup N]
//   baton-bench scale [AGENTS TASKS]... [--speedup-tasks N] [--rounds N] [--concurrency N]
//                                           (default 10000 100000 10000 1000000)
//   baton-bench testee [N] [COMMAND...]     (default 20000, python3 Interop/trivial_testee.py)
//   baton-bench python [--python PATH] [--script PATH] [--batches N] [--iterations N] [--warmup N]
//   baton-bench rust [--python PATH] [--script PATH] [--batches N] [--iterations N] [--warmup N]
//   baton-bench profile STAGE N             (one stage in a loop, for perf record)
//
// Only release builds give meaningful numbers.

import ArgumentParser
import BatonTestSupport
import Foundation

@main
struct BatonBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton-bench",
        abstract: "Performance measurements for Baton.",
        discussion: "Only release builds give meaningful numbers (swift run -c release baton-bench SUBCOMMAND).",
        subcommands: [BiscuitCommand.self, ScaleCommand.self, TesteeCommand.self, PythonCommand.self, RustCommand.self, ProfileCommand.self])

    /// Without a subcommand: the help on standard error, exit status 2.
    func run() throws {
        FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
        throw ExitCode(2)
    }

    /// Exit status 2 for usage errors (not ArgumentParser's 64) and for failed benchmarks,
    /// whose error is printed as `baton-bench: <error>`.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            switch exitCode(for: error) {
            case .success: exit(withError: error)  // --help, help: the help on standard output
            case .validationFailure: fail(fullMessage(for: error))
            default: if let code = error as? ExitCode { Foundation.exit(code.rawValue) } else { fail("baton-bench: \(error)") }
            }
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

/// The timing options of `biscuit` and `python`.
struct TimingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Timed batches; the median batch is reported.", valueName: "N")) var batches = BenchConfig().batches
    @Option(help: ArgumentHelp("Calls per batch.", valueName: "N")) var iterations = BenchConfig().iterations
    @Option(help: ArgumentHelp("Untimed calls before the first batch.", valueName: "N")) var warmup = BenchConfig().warmup

    func validate() throws {
        for (name, value) in [("--batches", batches), ("--iterations", iterations), ("--warmup", warmup)] where value <= 0 {
            throw ValidationError("\(name) needs a positive integer")
        }
    }

    var config: BenchConfig { BenchConfig(warmup: warmup, batches: batches, iterations: iterations) }
}

func warnIfDebugBuild() {
    if Report.configuration != "release" {
        FileHandle.standardError.write(Data("warning: debug build; numbers are meaningless (use swift run -c release)\n".utf8))
    }
}

/// `baton-bench biscuit`: the stages of a full verify against bare Ed25519.
struct BiscuitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biscuit", abstract: "Verification cost of a 3-block chain, stage by stage, vs bare Ed25519.")

    @Flag(help: "JSON instead of Markdown.") var json = false
    @OptionGroup var timing: TimingOptions

    func run() throws {
        warnIfDebugBuild()
        let config = timing.config
        let result = try BiscuitBench(chain: BenchChain(), config: config).run()
        let machine = Machine.current()
        print(
            json ? Report.json(result, machine: machine, config: config) : Report.markdown(result, machine: machine, config: config), terminator: "")
        FileHandle.standardError.write(Data("checksum \(checksum)\n".utf8))
    }
}

/// `baton-bench python`: Baton's AIP verifier vs agent-identity-protocol's on the same token.
struct PythonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python", abstract: "Baton's AIP verifier vs agent-identity-protocol's, same token.")

    @Option(help: ArgumentHelp("The Python with agent-identity-protocol (scripts/setup.sh).", valueName: "path"))
    var python = PythonInterpreter.venv ?? ".venv/bin/python"
    @Option(help: ArgumentHelp("The Python side of the benchmark.", valueName: "path"))
    var script = PackagePaths.interop.appendingPathComponent("bench_aip_verifier.py").path
    @OptionGroup var timing: TimingOptions

    func run() throws {
        warnIfDebugBuild()
        let config = timing.config
        let chain = try BenchChain()
        let result = try PythonComparison(chain: chain, config: config, python: python, script: script).run()
        print(PythonComparison.markdown(result, machine: Machine.current(), config: config, tokenBytes: chain.bytes.count), terminator: "")
        FileHandle.standardError.write(Data("checksum \(checksum)\n".utf8))
    }
}

/// `baton-bench rust`: Baton's Biscuit path vs the Rust Biscuit reference on the same token.
struct RustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rust", abstract: "Baton's Biscuit path vs the Rust Biscuit reference (biscuit-python), same token, stage by stage.")

    @Option(help: ArgumentHelp("The Python with biscuit-python (scripts/setup.sh).", valueName: "path"))
    var python = PythonInterpreter.venv ?? ".venv/bin/python"
    @Option(help: ArgumentHelp("The Rust side of the benchmark.", valueName: "path"))
    var script = PackagePaths.interop.appendingPathComponent("bench_biscuit_rust.py").path
    @OptionGroup var timing: TimingOptions

    func run() throws {
        warnIfDebugBuild()
        let config = timing.config
        let chain = try BenchChain()
        let result = try RustComparison(chain: chain, config: config, python: python, script: script).run()
        print(RustComparison.markdown(result, machine: Machine.current(), config: config, tokenBytes: chain.bytes.count), terminator: "")
        FileHandle.standardError.write(Data("checksum \(checksum)\n".utf8))
    }
}

/// `baton-bench scale [AGENTS TASKS]...`: the speed-up from one core to all of them on one
/// workload, then one line per size at full concurrency, to show how time and memory grow.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Simulation at scale: delegated 3-hop tasks between agents on one in-memory bus.")

    @Argument(help: ArgumentHelp("Pairs of agent and task counts (default 10000 100000 10000 1000000).", valueName: "AGENTS TASKS"))
    var sizes: [Int] = [10_000, 100_000, 10_000, 1_000_000]
    @Option(help: ArgumentHelp("Tasks (among 10,000 agents) of the speed-up run; 0 skips it.", valueName: "N"))
    var speedupTasks = 20_000
    @Option(help: ArgumentHelp("Rounds of the speed-up run, each at concurrency 1 then at full width; the fastest of each counts.", valueName: "N"))
    var rounds = 2
    @Option(
        help: ArgumentHelp("Work units in flight for the size rows and the wide side of the speed-up (default: the number of cores).", valueName: "N")
    )
    var concurrency = ProcessInfo.processInfo.activeProcessorCount

    /// The peak memory target of the size rows.
    static let memoryLimitMiB = 512.0

    func validate() throws {
        guard sizes.count % 2 == 0 else { throw ValidationError("sizes come in pairs: AGENTS TASKS") }
        guard sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("agent and task counts must be positive") }
        guard speedupTasks >= 0 else { throw ValidationError("--speedup-tasks needs 0 or a positive integer") }
        guard rounds > 0, concurrency > 0 else { throw ValidationError("--rounds and --concurrency need positive integers") }
    }

    func run() async throws {
        warnIfDebugBuild()
        var populations: [Int: ScaleBench.Population] = [:]
        func population(_ agents: Int) -> ScaleBench.Population {
            if let p = populations[agents] { return p }
            let p = ScaleBench.Population(count: agents)
            populations[agents] = p
            return p
        }
        let loadAtStart = Self.loadAverage()
        if speedupTasks > 0 {
            try await speedup(population(10_000))
        }
        let pairs = stride(from: 0, to: sizes.count, by: 2).map { (sizes[$0], sizes[$0 + 1]) }
        print("Sizes, \(concurrency) work unit(s) in flight:")
        print("")
        print("| agents | tasks (3-hop chains) | wall s | CPU s | tasks/s | µs/task | accepted | digest | peak RSS MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
        var results: [ScaleBench.Result] = []
        for (a, t) in pairs {
            let r = try await ScaleBench(agents: a, tasks: t, concurrency: concurrency).run(population: population(a))
            results.append(r)
            print(
                "| \(r.agents) | \(r.tasks) | \(Report.fmt(r.seconds, 2)) | \(Report.fmt(r.cpuSeconds, 2)) | \(Report.fmt(Double(r.tasks) / r.seconds, 0)) "
                    + "| \(Report.fmt(r.seconds * 1e6 / Double(r.tasks), 1)) | \(r.accepted) | \(Self.hex(r.digest)) | \(Report.fmt(r.peakMemoryMiB, 0)) |"
            )
            guard r.accepted == r.tasks else {
                throw BenchFailure("\(r.tasks - r.accepted) honest task(s) were refused; the first: \(r.firstRefusal ?? "?")")
            }
        }
        if let small = results.first, let large = results.last, large.tasks > small.tasks {
            let taskRatio = Double(large.tasks) / Double(small.tasks), timeRatio = large.seconds / small.seconds
            let cpuRatio = large.cpuSeconds / small.cpuSeconds
            let peak = results.map(\.peakMemoryMiB).max() ?? 0
            print("")
            print(
                "Growth: \(Report.fmt(taskRatio, 0))× the tasks took \(Report.fmt(timeRatio, 2))× the time (\(Report.fmt(timeRatio / taskRatio, 2)) of linear) "
                    + "and \(Report.fmt(cpuRatio, 2))× the CPU time (\(Report.fmt(cpuRatio / taskRatio, 2)) of linear CPU); "
                    + "peak RSS \(Report.fmt(peak, 0)) MiB (limit \(Report.fmt(Self.memoryLimitMiB, 0))) \(peak <= Self.memoryLimitMiB ? "✅" : "❌").")
        }
        print("")
        print("Load average (1, 5, 15 min) at start: \(loadAtStart); at end: \(Self.loadAverage()).")
    }

    /// The same workload at concurrency 1 and at full width, alternating, with the digests compared.
    func speedup(_ population: ScaleBench.Population) async throws {
        let width = concurrency
        print("Speed-up: \(speedupTasks) tasks among 10000 agents, \(rounds) round(s), each at 1 then \(width) work unit(s) in flight:")
        print("")
        print("| round | units in flight | wall s | CPU s | cores busy (CPU/wall) | tasks/s | digest |")
        print("|---:|---:|---:|---:|---:|---:|---|")
        var narrow: [ScaleBench.Result] = [], wide: [ScaleBench.Result] = []
        for round in 1...rounds {
            for c in [1, width] {
                let r = try await ScaleBench(agents: 10_000, tasks: speedupTasks, concurrency: c).run(population: population)
                guard r.accepted == r.tasks else {
                    throw BenchFailure("\(r.tasks - r.accepted) honest task(s) were refused; the first: \(r.firstRefusal ?? "?")")
                }
                if c == 1 { narrow.append(r) } else { wide.append(r) }
                print(
                    "| \(round) | \(r.concurrency) | \(Report.fmt(r.seconds, 2)) | \(Report.fmt(r.cpuSeconds, 2)) | \(Report.fmt(r.cpuSeconds / r.seconds, 2)) "
                        + "| \(Report.fmt(Double(r.tasks) / r.seconds, 0)) | \(Self.hex(r.digest)) |")
            }
        }
        let digests = Set((narrow + wide).map(\.digest))
        guard digests.count == 1 else {
            throw BenchFailure("the scale run's digest depends on scheduling: \(digests.map(Self.hex).sorted().joined(separator: ", "))")
        }
        let best1 = narrow.map(\.seconds).min() ?? 0, bestN = wide.map(\.seconds).min() ?? 1
        let speedup = best1 / bestN
        print("")
        print(
            "**Speed-up 1 → \(width) units in flight: \(Report.fmt(speedup, 2))×** (fastest round each; target ≥ 1.8× on 2 cores) "
                + "\(speedup >= 1.8 ? "✅" : "❌"); every run gave the same digest.")
        print("")
    }

    static func hex(_ x: UInt64) -> String {
        let s = String(x, radix: 16)
        return "`" + String(repeating: "0", count: 16 - s.count) + s + "`"
    }

    /// The first three fields of /proc/loadavg.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// `baton-bench testee [N] [COMMAND]`: verify round trips per second through the testee protocol.
struct TesteeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testee", abstract: "Verify round trips/s against a trivial testee.")

    @Argument(help: ArgumentHelp("Round trips to time.", valueName: "N")) var requests = 20_000
    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp("The testee's command line, the rest of the arguments (default: python3 Interop/trivial_testee.py).", valueName: "COMMAND")
    )
    var command: [String] = []

    func validate() throws {
        guard requests > 0 else { throw ValidationError("N needs a positive integer") }
    }

    func run() async throws {
        let commandLine = command.isEmpty ? "python3 Interop/trivial_testee.py" : command.joined(separator: " ")
        let r = try await TesteeBench(commandLine: commandLine, requests: requests).run()
        print(
            String(
                format: "testee round trips: %d in %.2f s = %.0f verify/s (%.1f µs each) against `%@`",
                r.requests, r.seconds, r.perSecond, r.seconds * 1e6 / Double(r.requests), commandLine))
    }
}

/// `baton-bench profile STAGE N`: one stage in a loop, for `perf record`.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Loop one stage of the full verify N times, for perf record.")

    @Argument(help: "The stage to loop.") var stage: ProfileStage
    @Argument(help: ArgumentHelp("How many times.", valueName: "N")) var iterations: Int

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("N needs a positive integer") }
    }

    func run() throws {
        try ProfileLoop.run(stage: stage, iterations: iterations)
    }
}
