// baton-bench: performance measurements for Baton.
//
//   swift run -c release baton-bench biscuit [--json] [--batches N] [--iterations N] [--warmup N]
//   baton-bench scale [AGENTS TASKS]...     (default 10000 10000 10000 100000)
//   baton-bench testee [N] [COMMAND...]     (default 20000, python3 Interop/trivial_testee.py)
//   baton-bench python [--python PATH] [--script PATH] [--batches N] [--iterations N] [--warmup N]
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
        subcommands: [BiscuitCommand.self, ScaleCommand.self, TesteeCommand.self, PythonCommand.self, ProfileCommand.self])

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

/// `baton-bench scale [AGENTS TASKS]...`: one line per size, to show how time grows.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Simulation at scale: delegated 3-hop tasks between agents on one in-memory bus.")

    @Argument(help: ArgumentHelp("Pairs of agent and task counts (default 10000 10000 10000 100000).", valueName: "AGENTS TASKS"))
    var sizes: [Int] = [10_000, 10_000, 10_000, 100_000]

    func validate() throws {
        guard sizes.count % 2 == 0 else { throw ValidationError("sizes come in pairs: AGENTS TASKS") }
        guard sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("agent and task counts must be positive") }
    }

    func run() async throws {
        let pairs = stride(from: 0, to: sizes.count, by: 2).map { (sizes[$0], sizes[$0 + 1]) }
        print("| agents | tasks (3-hop chains) | wall s | tasks/s | µs/task | accepted | peak RSS MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        var results: [ScaleBench.Result] = []
        for (a, t) in pairs {
            let r = try await ScaleBench(agents: a, tasks: t).run()
            results.append(r)
            print(
                String(
                    format: "| %d | %d | %.2f | %.0f | %.1f | %d | %.0f |", r.agents, r.tasks, r.seconds, Double(r.tasks) / r.seconds,
                    r.seconds * 1e6 / Double(r.tasks), r.accepted, r.peakMemoryMiB))
            guard r.accepted == r.tasks else { throw BenchFailure("\(r.tasks - r.accepted) honest task(s) were refused") }
        }
        if let small = results.first, let large = results.last, large.tasks > small.tasks {
            let taskRatio = Double(large.tasks) / Double(small.tasks), timeRatio = large.seconds / small.seconds
            print(
                String(
                    format: "\nGrowth: %.0f× the tasks took %.2f× the time (%.2f of linear); peak RSS %.0f MiB (limit 1024).",
                    taskRatio, timeRatio, timeRatio / taskRatio, results.map(\.peakMemoryMiB).max() ?? 0))
        }
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
