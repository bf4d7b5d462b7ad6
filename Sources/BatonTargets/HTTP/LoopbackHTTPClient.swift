import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one HTTP client of the targets: a request to a loopback server, answered within a
/// deadline. The caller waits without holding a thread: URLSession's completion handler, or
/// the deadline, resumes it, whichever comes first.
public enum LoopbackHTTPClient {
    /// An answer, or why there is none.
    public struct Answer: Sendable {
        public var body: Data?
        /// The HTTP status; 0 when there was no answer.
        public var status: Int
        /// The response's header fields (names as the server wrote them).
        public var headers: [String: String]
        /// The transport error (refused, reset, timed out …); nil when the server answered.
        public var error: String?

        /// The first header of this name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// Sends one request and waits at most `timeout` (+1 s): (body, HTTP status, transport error).
    public static func send(_ request: URLRequest, timeout: TimeInterval) async -> (Data?, Int, String?) {
        let answer = await exchange(request, timeout: timeout)
        return (answer.body, answer.status, answer.error)
    }

    /// Sends one request and waits at most `timeout` (+1 s) for the whole answer, headers included.
    public static func exchange(_ request: URLRequest, timeout: TimeInterval) async -> Answer {
        await withCheckedContinuation { (continuation: CheckedContinuation<Answer, Never>) in
            // Resumed exactly once: by the answer or by the deadline.
            let pending = Mutex<CheckedContinuation<Answer, Never>?>(continuation)
            let task = URLSession.shared.dataTask(with: request) { data, response, error in
                let http = response as? HTTPURLResponse
                var headers: [String: String] = [:]
                for (name, value) in http?.allHeaderFields ?? [:] {
                    if let name = name as? String, let value = value as? String { headers[name] = value }
                }
                let answer = Answer(body: data, status: http?.statusCode ?? 0, headers: headers, error: error.map { "\($0)" })
                pending.withLock { $0.take() }?.resume(returning: answer)
            }
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout + 1) {
                guard let continuation = pending.withLock({ $0.take() }) else { return }
                task.cancel()
                continuation.resume(returning: Answer(body: nil, status: 0, headers: [:], error: "no answer within \(Int(timeout)) s"))
            }
        }
    }
}
