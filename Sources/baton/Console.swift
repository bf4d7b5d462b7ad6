import Foundation

/// Console output: stdout for results, stderr for diagnostics; no colour when not a terminal.
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Writes a file atomically (write to a temporary file, then rename), creating directories.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// Reads a token given inline, as `@file`, or `-` for standard input.
    static func readToken(_ argument: String) throws -> String {
        if argument == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if argument.hasPrefix("@") {
            return try String(contentsOfFile: String(argument.dropFirst()), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return argument
    }
}
