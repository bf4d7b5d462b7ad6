import BatonTestSupport
import Foundation

/// Where the benchmark ran.
struct Machine {
    var cpus: Int
    var cpuModel: String
    var swiftVersion: String

    static func current() -> Machine {
        Machine(cpus: ProcessInfo.processInfo.activeProcessorCount, cpuModel: cpuModel(), swiftVersion: swiftVersion())
    }

    /// The first `model name` line of /proc/cpuinfo.
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// The toolchain's `swift --version` first line, or the compiler version this binary was built with.
    static func swiftVersion() -> String {
        if let output = try? ProcessRunner.run("swift", ["--version"], timeout: .seconds(60)),
            let line = output.stdoutText.split(separator: "\n").first(where: { $0.contains("Swift version") })
        {
            return line.trimmingCharacters(in: .whitespaces)
        }
        return compiledWith
    }

    static var compiledWith: String {
        #if compiler(>=6.4)
        return "Swift ≥ 6.4"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #else
        return "Swift < 6.2"
        #endif
    }
}
