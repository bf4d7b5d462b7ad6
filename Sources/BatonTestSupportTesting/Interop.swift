import BatonTestSupport
import Foundation
import Testing

/// The Testing side of ``PythonInterpreter``: what a test does when a peer outside the package
/// (a Python interpreter, a Python package) is missing. Used by test targets only; the
/// BatonTestSupport module itself stays free of Testing, for benches and fuzz seeds.
public enum Interop {
    /// Stops the current test because `message`'s peer is missing: when
    /// ``PythonInterpreter/interopRequired`` (as in CI) that is a recorded issue, else the test is
    /// cancelled, and the skip is printed loudly on standard error so that nobody mistakes it for a pass.
    public static func unavailable(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Never {
        if PythonInterpreter.interopRequired {
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            throw CancellationError()
        }
        FileHandle.standardError.write(Data("\n*** SKIPPED: \(message) ***\n".utf8))
        try Test.cancel(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    /// `python` when there is one, else ``unavailable(_:sourceLocation:)`` with
    /// ``PythonInterpreter/absentMessage(needs:notChecked:)``.
    public static func require(
        _ python: String?, needs: String, notChecked: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        guard let python else {
            try unavailable(PythonInterpreter.absentMessage(needs: needs, notChecked: notChecked), sourceLocation: sourceLocation)
        }
        return python
    }
}
