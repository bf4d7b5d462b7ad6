import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one HTTP client of the targets: a request to a loopback server, answered within a
/// deadline. `ImplementationUnderTest` is synchronous, so the call blocks the calling thread
/// until URLSession's completion handler (on its own queue) has run.
public enum LoopbackHTTPClient {
    /// Sends one request and waits at most `timeout` (+1 s): (body, HTTP status, transport error).
    public static func send(_ request: URLRequest, timeout: TimeInterval) -> (Data?, Int, String?) {
        let done = DispatchSemaphore(value: 0)
        let answer = Mutex<(Data?, Int, String?)>((nil, 0, nil))
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            answer.withLock { $0 = (data, (response as? HTTPURLResponse)?.statusCode ?? 0, error.map { "\($0)" }) }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            return (nil, 0, "no answer within \(Int(timeout)) s")
        }
        return answer.withLock { $0 }
    }
}
