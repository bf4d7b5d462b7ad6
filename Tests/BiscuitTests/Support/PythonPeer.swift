import Foundation
import Testing

/// Drives Interop/biscuit_python_peer.py (biscuit-python, i.e. the Rust reference)
/// over JSON lines. Found through BATON_PYTHON or the package's .venv.
final class PythonPeer {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var python: String? {
        let env = ProcessInfo.processInfo.environment["BATON_PYTHON"] ?? ""
        let candidates = [env, packageRoot.appendingPathComponent(".venv/bin/python").path]
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the peer, or cancels the test (loudly) when Python or biscuit-python is missing —
    /// unless BATON_REQUIRE_INTEROP is set (as in CI), where that is a failure.
    static func start() throws -> PythonPeer {
        guard let python, let peer = try? PythonPeer(python: python), peer.isUsable else {
            let msg = "interop peer unavailable (no .venv with biscuit-python; run scripts/setup.sh or set BATON_PYTHON)"
            if ProcessInfo.processInfo.environment["BATON_REQUIRE_INTEROP"] != nil {
                Issue.record(Comment(rawValue: msg))
                throw CancellationError()
            }
            FileHandle.standardError.write(Data("\n*** SKIPPED: \(msg) ***\n".utf8))
            try Test.cancel(Comment(rawValue: msg))
        }
        return peer
    }

    private init(python: String) throws {
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PythonPeer.packageRoot.appendingPathComponent("Interop/biscuit_python_peer.py").path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    private var isUsable: Bool {
        (try? call(["op": "ping"]))?["error"] as? String == "unknown op 'ping'"
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends one request and waits for its answer.
    func call(_ request: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: request)
        line.append(0x0a)
        input.fileHandleForWriting.write(line)
        while true {
            if let nl = buffer.firstIndex(of: 0x0a) {
                let answer = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                return try JSONSerialization.jsonObject(with: answer) as? [String: Any] ?? [:]
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw CocoaError(.fileReadUnknown) }
            buffer.append(chunk)
        }
    }
}
