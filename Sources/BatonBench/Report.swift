/// Markdown and JSON renderings of a benchmark result.
enum Report {
    static let target = 1.3

    static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    static func markdown(_ r: BiscuitBench.Result, machine: Machine, config: BenchConfig) -> String {
        var out: [String] = []
        out.append("### Biscuit verification: bare signatures vs full verifier path")
        out.append("")
        out.append("Machine: \(machine.cpus) CPU (`nproc`), \(machine.cpuModel); \(machine.swiftVersion); `\(configuration)` build.")
        out.append(
            "Token: 3-block AIP chain (authority by orchestrator, delegations orchestrator→researcher, researcher→writer), "
                + "\(r.tokenBytes) bytes, \(r.base64Chars) base64 characters; seeded Ed25519 keys.")
        out.append(
            "Authorizer: `tool(\"research:read\"); time(2026-06-01T00:00:00Z); depth(2); allow if true;` (parsed once, outside the timed path).")
        out.append(
            "Timing: \(config.warmup) warm-up calls, then the median of \(config.batches) batches × \(config.iterations) calls (`ContinuousClock`); "
                + "bare and full alternate batch by batch.")
        out.append("")
        out.append("| Measurement | µs/op (median) | min…max batch |")
        out.append("|---|---:|---:|")
        out.append(row(r.bare))
        out.append(row(r.full))
        out.append("| **ratio full / bare** (target ≤ \(fmt(target, 1))×) | **\(fmt(r.ratio, 2))×** \(r.ratio <= target ? "✅" : "❌") | |")
        out.append("")
        out.append("Breakdown of the full path (each stage timed alone):")
        out.append("")
        out.append("| Stage | µs/op (median) | share |")
        out.append("|---|---:|---:|")
        for s in r.stages {
            out.append("| \(s.name) | \(fmt(s.medianNs / 1000, 2)) | \(fmt(100 * s.medianNs / r.stageSum, 1)) % |")
        }
        out.append("| sum of stages | \(fmt(r.stageSum / 1000, 2)) | |")
        out.append("")
        out.append("Reference points:")
        out.append("")
        out.append("| Measurement | µs/op (median) |")
        out.append("|---|---:|")
        for e in r.extras { out.append("| \(e.name) | \(fmt(e.medianNs / 1000, 2)) |") }
        return out.joined(separator: "\n") + "\n"
    }

    static func json(_ r: BiscuitBench.Result, machine: Machine, config: BenchConfig) -> String {
        func m(_ x: Measurement) -> String {
            "{\"name\": \(quote(x.name)), \"median_ns\": \(fmt(x.medianNs, 1)), \"min_ns\": \(fmt(x.minNs, 1)), \"max_ns\": \(fmt(x.maxNs, 1))}"
        }
        var out = "{\n"
        out += "  \"benchmark\": \"biscuit\",\n"
        out += "  \"configuration\": \(quote(configuration)),\n"
        out += "  \"machine\": {\"nproc\": \(machine.cpus), \"cpu_model\": \(quote(machine.cpuModel)), \"swift\": \(quote(machine.swiftVersion))},\n"
        out +=
            "  \"timing\": {\"warmup\": \(config.warmup), \"batches\": \(config.batches), \"iterations\": \(config.iterations), \"statistic\": \"median of batches\"},\n"
        out += "  \"token\": {\"blocks\": \(r.blocks), \"bytes\": \(r.tokenBytes), \"base64_chars\": \(r.base64Chars)},\n"
        out += "  \"bare\": \(m(r.bare)),\n"
        out += "  \"full\": \(m(r.full)),\n"
        out += "  \"ratio\": \(fmt(r.ratio, 3)),\n"
        out += "  \"target_ratio\": \(fmt(target, 1)),\n"
        out += "  \"meets_target\": \(r.ratio <= target),\n"
        out += "  \"stages\": [\n" + r.stages.map { "    " + m($0) }.joined(separator: ",\n") + "\n  ],\n"
        out += "  \"extras\": [\n" + r.extras.map { "    " + m($0) }.joined(separator: ",\n") + "\n  ]\n"
        out += "}\n"
        return out
    }

    static func row(_ m: Measurement) -> String {
        "| \(m.name) | \(fmt(m.medianNs / 1000, 2)) | \(fmt(m.minNs / 1000, 2))…\(fmt(m.maxNs / 1000, 2)) |"
    }

    /// Fixed-point formatting without Foundation's locale-dependent `String(format:)`.
    static func fmt(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale)
        let frac = Int(scaled - Double(whole) * scale)
        var s = (x < 0 && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where u.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
