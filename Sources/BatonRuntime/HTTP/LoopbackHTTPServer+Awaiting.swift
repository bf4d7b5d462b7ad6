import Foundation
import Synchronization

extension LoopbackHTTPServer {
    /// Runs an async handler to completion from the server's own thread and returns its response, or
    /// `timedOut` when it takes longer than `timeoutSeconds` (nil: no limit). The server calls its
    /// handler synchronously on a thread of its own (never a thread of the cooperative pool), so
    /// blocking that thread starves nothing.
    public static func awaiting(
        timeoutSeconds: Int? = nil, timedOut: @autoclosure () -> Response = Response(status: 500, body: Data()),
        _ body: @escaping @Sendable () async -> Response
    ) -> Response {
        let answer = Mutex<Response?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            answer.withLock { $0 = value }
            done.signal()
        }
        if let timeoutSeconds {
            guard done.wait(timeout: .now() + .seconds(timeoutSeconds)) == .success else { return timedOut() }
        } else {
            done.wait()
        }
        return answer.withLock { $0 } ?? timedOut()
    }
}
