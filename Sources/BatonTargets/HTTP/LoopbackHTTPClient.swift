import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one HTTP client of the targets: a request to a loopback server, answered within a
/// deadline. The caller waits without holding a thread: URLSession's completion handler, or
/// the deadline, resumes it, whichever comes first.
public enum LoopbackHTTPClient {
    /// Sends one request and waits at most `timeout` (+1 s): (body, HTTP status, transport error).
    public static func send(_ request: URLRequest, timeout: TimeInterval) async -> (Data?, Int, String?) {
        await withCheckedContinuation { (continuation: CheckedContinuation<(Data?, Int, String?), Never>) in
            // Resumed exactly once: by the answer or by the deadline.
            let pending = Mutex<CheckedContinuation<(Data?, Int, String?), Never>?>(continuation)
            let task = URLSession.shared.dataTask(with: request) { data, response, error in
                let answer = (data, (response as? HTTPURLResponse)?.statusCode ?? 0, error.map { "\($0)" })
                pending.withLock { $0.take() }?.resume(returning: answer)
            }
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout + 1) {
                guard let continuation = pending.withLock({ $0.take() }) else { return }
                task.cancel()
                continuation.resume(returning: (nil, 0, "no answer within \(Int(timeout)) s"))
            }
        }
    }
}
