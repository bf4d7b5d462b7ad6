import ArgumentParser
import Foundation

/// `baton init`: starting points for implementers.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write starting points for implementers (an adapter skeleton).", subcommands: [InitAdapterCommand.self])
}

/// `baton init adapter --lang python|typescript DIR`: a testee skeleton that `baton run --iut cmd:...`
/// drives as it is written: it completes the handshake and answers every operation, `unsupported`
/// until its functions are filled in.
struct InitAdapterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapter",
        abstract: "Write a testee skeleton (baton-testee/1) in Python or TypeScript.",
        discussion: """
            Python: DIR/adapter.py (standard library only). TypeScript: DIR/adapter.mjs, JavaScript typed \
            with JSDoc that node runs as it is, DIR/protocol.d.ts (the protocol's types), DIR/node-shim.d.ts \
            (the little of node's API it uses), DIR/tsconfig.json (tsc -p DIR type-checks the adapter) and DIR/package.json. Each answers the handshake, refuses \
            a request without a token, and answers `unsupported` to everything else, naming the function \
            to write.
            """)

    /// The adapter's language.
    enum Language: String, ExpressibleByArgument, CaseIterable {
        case python, typescript
    }

    @Option(help: "The adapter's language: python or typescript.")
    var lang: Language

    @Argument(help: "The directory to write it in (created if needed).")
    var directory: String

    @Option(help: "The implementation's name in the handshake (default: the directory's name).")
    var name: String?

    @Flag(help: "Overwrite files that exist.")
    var force = false

    /// The files of a skeleton, by name.
    static func files(_ language: Language, name: String) -> [(name: String, text: String)] {
        let files: [(String, String)]
        switch language {
        case .python: files = [("adapter.py", PythonAdapterTemplate.adapter)]
        case .typescript:
            files = [
                ("adapter.mjs", TypeScriptAdapterTemplate.adapter), ("protocol.d.ts", TypeScriptAdapterTemplate.protocolTypes),
                ("node-shim.d.ts", TypeScriptAdapterTemplate.nodeShim),
                ("tsconfig.json", TypeScriptAdapterTemplate.tsconfig), ("package.json", TypeScriptAdapterTemplate.packageJSON),
            ]
        }
        return files.map { ($0.0, $0.1.replacingOccurrences(of: "__NAME__", with: name)) }
    }

    /// The handshake name from a directory name: letters, digits, `-`, `_` and `.`; others become `-`.
    static func defaultName(_ directory: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        let name = base.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") ? $0 : "-" }.map(String.init).joined()
        return name.isEmpty || name == "-" ? "my-adapter" : name
    }

    func validate() throws {
        if let name, name.isEmpty || name.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline || !$0.isASCII }) {
            throw ValidationError("--name must be plain ASCII without quotes, backslashes or line breaks: it is written into source code")
        }
    }

    func run() throws {
        let name = self.name ?? Self.defaultName(directory)
        let files = Self.files(lang, name: name)
        let existing = files.map { "\(directory)/\($0.name)" }.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty && !force {
            throw ValidationError("\(existing.joined(separator: ", ")) already exist(s); --force overwrites")
        }
        for file in files { try Console.write(file.text, to: "\(directory)/\(file.name)") }
        let program = lang == .python ? "python3 \(directory)/adapter.py" : "node \(directory)/adapter.mjs"
        if lang == .python {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(directory)/adapter.py")
        }
        Console.err("baton: wrote \(files.map(\.name).joined(separator: ", ")) in \(directory) (handshake name \(name))")
        Console.out("baton run --iut 'cmd:\(program)'")
    }
}
