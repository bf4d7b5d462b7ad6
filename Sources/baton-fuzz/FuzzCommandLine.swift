import BatonFuzzing
import Foundation

/// The `baton-fuzz` subcommands shared by the normal and the libFuzzer build:
///
///     baton-fuzz list
///     baton-fuzz replay [-v] TARGET PATH...     (files, or directories searched recursively)
///     baton-fuzz seeds DIR [--samples DIR] [--vectors DIR] [--scenarios DIR]
enum FuzzCommandLine {
    static let commands: Set<String> = ["list", "replay", "seeds", "help", "--help", "-h"]

    static let usage = """
        usage: baton-fuzz list
               baton-fuzz replay [-v] TARGET PATH...
               baton-fuzz seeds DIR [--samples DIR] [--vectors DIR] [--scenarios DIR]

        replay   runs every file (directories: recursively, README* and dot files skipped)
                 through TARGET and reports the files that break an invariant; a crash
                 stops the run, and the last 'replaying' line on stderr names the file.
                 -v lists the stages each file reached.
        seeds    writes the minted seeds to DIR/<target>/, plus files derived from the
                 Biscuit samples, the AIP vectors and the scenario files when given.
        targets  \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))
        """

    /// Runs a subcommand; returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else { return fail(usage) }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "list":
            for target in FuzzTarget.allCases { print("\(target.rawValue)\tmax_len \(target.maxInputLength)") }
            return 0
        case "replay":
            let verbose = rest.contains("-v") || rest.contains("--verbose")
            let operands = rest.filter { $0 != "-v" && $0 != "--verbose" }
            guard let name = operands.first, let target = FuzzTarget(rawValue: name), operands.count >= 2 else { return fail(usage) }
            return replay(target, paths: Array(operands.dropFirst()), verbose: verbose)
        case "seeds":
            return SeedWriter.run(rest)
        case "help", "--help", "-h":
            print(usage)
            return 0
        default:
            return fail(usage)
        }
    }

    /// Replays every file; 0 when all pass, 1 when one breaks an invariant, 2 on a usage error.
    static func replay(_ target: FuzzTarget, paths: [String], verbose: Bool = false) -> Int32 {
        var files: [String] = []
        for path in paths {
            guard let found = corpusFiles(at: path) else { return fail("baton-fuzz: no such file or directory: \(path)") }
            files += found
        }
        var failures = 0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                failures += 1
                FileHandle.standardError.write(Data("FAIL \(file): cannot read\n".utf8))
                continue
            }
            // Written before running, so that a crash leaves the file's name behind.
            FileHandle.standardError.write(Data("replaying \(file)\n".utf8))
            do {
                let report = try target.run(Array(data))
                if verbose { print("ok \(file): \(report.milestones.joined(separator: ", "))") }
            } catch {
                failures += 1
                print("FAIL \(file): \(error)")
            }
        }
        print("\(target.rawValue): \(files.count - failures) of \(files.count) file(s) passed")
        return failures == 0 ? 0 : 1
    }

    /// The file itself, or the regular files under a directory (sorted; README* and dot files skipped); nil if absent.
    static func corpusFiles(at path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return [path] }
        let items = FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []
        return items.sorted().compactMap { item in
            let name = (item as NSString).lastPathComponent
            guard !name.hasPrefix("."), !name.hasPrefix("README"), !item.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
            let full = (path as NSString).appendingPathComponent(item)
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue else { return nil }
            return full
        }
    }

    static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return 2
    }
}
