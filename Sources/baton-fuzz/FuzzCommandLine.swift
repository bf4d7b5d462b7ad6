import ArgumentParser
import BatonFuzzing
import Foundation

/// The `baton-fuzz` subcommands shared by the normal and the libFuzzer build:
///
///     baton-fuzz list
///     baton-fuzz replay [-v] TARGET PATH...     (files, or directories searched recursively)
///     baton-fuzz seeds DIR [--samples DIR] [--vectors DIR] [--scenarios DIR]
///
/// Not `@main`: BatonFuzz.swift (normal build) and LibFuzzerEntry.swift (libFuzzer build)
/// call ``run(_:)``.
struct FuzzCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton-fuzz",
        abstract: "Replays inputs through Baton's fuzz targets and writes their seed corpus.",
        discussion: """
            targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))

            Built by scripts/fuzz.sh (-DBATON_LIBFUZZER), the same executable is a libFuzzer \
            binary: any other command line goes to libFuzzer, for the target named by BATON_FUZZ_TARGET.
            """,
        subcommands: [ListCommand.self, ReplayCommand.self, SeedsCommand.self])

    /// The first arguments that select a subcommand here rather than libFuzzer's driver.
    static let commands: Set<String> =
        Set(configuration.subcommands.compactMap { $0.configuration.commandName }).union(["help", "--help", "-h"])

    /// Without a subcommand: the help on standard error, exit status 2.
    func run() throws {
        FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
        throw ExitCode(2)
    }

    /// Parses and runs a command line (without the program name); returns the exit status:
    /// 0 on success, 2 on a usage error, or what the subcommand chose (replay: 1 when a file
    /// breaks an invariant).
    static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let status = exitCode(for: error)
            if status == .success {  // --help, help
                print(fullMessage(for: error))
                return 0
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            // Usage errors exit with 2, as before the move to ArgumentParser (not EX_USAGE, 64).
            return status == .validationFailure ? 2 : status.rawValue
        }
    }

    /// Writes `message` to standard error and returns exit status 2, to be thrown.
    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(2)
    }
}

/// TARGET on the command line: the raw value (`testee-frame`), completed from `allCases`.
extension FuzzTarget: ExpressibleByArgument {}

/// `baton-fuzz list`: the targets and their libFuzzer `-max_len`.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the fuzz targets.")

    func run() {
        for target in FuzzTarget.allCases { print("\(target.rawValue)\tmax_len \(target.maxInputLength)") }
    }
}

/// `baton-fuzz replay [-v] TARGET PATH...`.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run files through a fuzz target and report the ones that break an invariant.",
        discussion: """
            Runs every file (directories: recursively, README* and dot files skipped) through \
            TARGET and reports the files that break an invariant; a crash stops the run, and \
            the last 'replaying' line on stderr names the file. Exit status: 0 when every file \
            passes, 1 when one breaks an invariant, 2 on a usage error.
            """)

    @Flag(name: .shortAndLong, help: "List the stages each file reached.") var verbose = false
    @Argument(help: "The fuzz target.") var target: FuzzTarget
    @Argument(help: "Files, or directories searched recursively.") var paths: [String]

    func run() throws {
        let status = Self.replay(target, paths: paths, verbose: verbose)
        if status != 0 { throw ExitCode(status) }
    }

    /// Replays every file; 0 when all pass, 1 when one breaks an invariant, 2 on a usage error.
    static func replay(_ target: FuzzTarget, paths: [String], verbose: Bool = false) -> Int32 {
        var files: [String] = []
        for path in paths {
            guard let found = corpusFiles(at: path) else {
                return FuzzCommandLine.fail("baton-fuzz: no such file or directory: \(path)").rawValue
            }
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
            guard !name.hasPrefix("."), !name.hasPrefix("README"), !item.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
                return nil
            }
            let full = (path as NSString).appendingPathComponent(item)
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue else { return nil }
            return full
        }
    }
}
