// baton-bench: performance measurements for Baton.
//
//   swift run -c release baton-bench biscuit [--json] [--batches N] [--iterations N] [--warmup N]
//
// Only release builds give meaningful numbers.

import Foundation

let usage = """
    usage: baton-bench biscuit [--json] [--batches N] [--iterations N] [--warmup N]
           baton-bench scale [AGENTS TASKS]...   (simulation at scale; default 10000 10000 10000 100000)
           baton-bench testee [N] [COMMAND]   (verify round trips/s against a trivial testee; default 20000, python3 Interop/trivial_testee.py)
           baton-bench python [--python PATH] [--script PATH] [--batches N] [--iterations N] [--warmup N]
                      (Baton's AIP verifier vs agent-identity-protocol's, same token; default .venv/bin/python)
           baton-bench profile STAGE N   (loop one stage N times, for perf record; \(ProfileLoop.stages.joined(separator: "|")))
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
if args.first == "profile" {
    guard args.count == 3, let n = Int(args[2]), n > 0 else { fail(usage) }
    do { try ProfileLoop.run(stage: args[1], iterations: n) } catch { fail("baton-bench: \(error)") }
    exit(0)
}
if args.first == "testee" {
    let n = args.count > 1 ? Int(args[1]) ?? 20_000 : 20_000
    let command = args.count > 2 ? args[2...].joined(separator: " ") : "python3 Interop/trivial_testee.py"
    do {
        let r = try TesteeBench(commandLine: command, requests: n).run()
        print(String(format: "testee round trips: %d in %.2f s = %.0f verify/s (%.1f µs each) against `%@`",
                     r.requests, r.seconds, r.perSecond, r.seconds * 1e6 / Double(r.requests), command))
    } catch { fail("baton-bench: \(error)") }
    exit(0)
}
if args.first == "scale" {
    // baton-bench scale [AGENTS TASKS]...: one line per size, to show how time grows.
    var sizes: [(Int, Int)] = []
    var rest = Array(args.dropFirst())
    while rest.count >= 2, let a = Int(rest[0]), let t = Int(rest[1]) { sizes.append((a, t)); rest.removeFirst(2) }
    if sizes.isEmpty { sizes = [(10_000, 10_000), (10_000, 100_000)] }
    print("| agents | tasks (3-hop chains) | wall s | tasks/s | µs/task | accepted | peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    var results: [ScaleBench.Result] = []
    for (a, t) in sizes {
        do {
            let r = try ScaleBench(agents: a, tasks: t).run()
            results.append(r)
            print(String(format: "| %d | %d | %.2f | %.0f | %.1f | %d | %.0f |", r.agents, r.tasks, r.seconds, Double(r.tasks) / r.seconds,
                         r.seconds * 1e6 / Double(r.tasks), r.accepted, r.peakMemoryMiB))
            guard r.accepted == r.tasks else { fail("baton-bench: \(r.tasks - r.accepted) honest task(s) were refused") }
        } catch { fail("baton-bench: \(error)") }
    }
    if let small = results.first, let large = results.last, large.tasks > small.tasks {
        let taskRatio = Double(large.tasks) / Double(small.tasks), timeRatio = large.seconds / small.seconds
        print(String(format: "\nGrowth: %.0f× the tasks took %.2f× the time (%.2f of linear); peak RSS %.0f MiB (limit 1024).",
                     taskRatio, timeRatio, timeRatio / taskRatio, results.map(\.peakMemoryMiB).max() ?? 0))
    }
    exit(0)
}
guard let benchmark = args.first, benchmark == "biscuit" || benchmark == "python" else { fail(usage) }
args.removeFirst()
var config = BenchConfig()
var json = false
var python = ".venv/bin/python"
var script = "Interop/bench_aip_verifier.py"
while let arg = args.first {
    args.removeFirst()
    func count() -> Int {
        guard let v = args.first, let n = Int(v), n > 0 else { fail("\(arg) needs a positive integer\n\(usage)") }
        args.removeFirst()
        return n
    }
    switch arg {
    case "--json": json = true
    case "--batches": config.batches = count()
    case "--iterations": config.iterations = count()
    case "--warmup": config.warmup = count()
    case "--python" where benchmark == "python", "--script" where benchmark == "python":
        guard let v = args.first else { fail("\(arg) needs a path\n\(usage)") }
        args.removeFirst()
        if arg == "--python" { python = v } else { script = v }
    default: fail("unknown option \(arg)\n\(usage)")
    }
}

if Report.configuration != "release" {
    FileHandle.standardError.write(Data("warning: debug build; numbers are meaningless (use swift run -c release)\n".utf8))
}

if benchmark == "python" {
    do {
        let chain = try BenchChain()
        let result = try PythonComparison(chain: chain, config: config, python: python, script: script).run()
        print(PythonComparison.markdown(result, machine: Machine.current(), config: config, tokenBytes: chain.bytes.count), terminator: "")
        FileHandle.standardError.write(Data("checksum \(checksum)\n".utf8))
    } catch {
        fail("baton-bench: \(error)")
    }
    exit(0)
}

do {
    let result = try BiscuitBench(chain: BenchChain(), config: config).run()
    let machine = Machine.current()
    print(json ? Report.json(result, machine: machine, config: config) : Report.markdown(result, machine: machine, config: config), terminator: "")
    FileHandle.standardError.write(Data("checksum \(checksum)\n".utf8))
} catch {
    fail("baton-bench: \(error)")
}
