import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// Drives Interop/biscuit_python_peer.py (biscuit-python, i.e. the Rust reference)
/// over JSON lines, on ``PythonInterpreter/venv``.
final class PythonPeer {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()

    /// Starts the peer, or stops the test (``Interop/unavailable(_:sourceLocation:)``) when Python or
    /// biscuit-python is missing.
    static func start() throws -> PythonPeer {
        guard let python = PythonInterpreter.venv, let peer = try? PythonPeer(python: python), peer.isUsable else {
            try Interop.unavailable(PythonInterpreter.absentMessage(needs: "biscuit-python", notChecked: "interop with the Rust reference"))
        }
        return peer
    }

    private init(python: String) throws {
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PackagePaths.interop.appendingPathComponent("biscuit_python_peer.py").path]
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
