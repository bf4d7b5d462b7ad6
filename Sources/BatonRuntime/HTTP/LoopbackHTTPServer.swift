import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 server bound to 127.0.0.1, a thread per
/// connection, `Connection: close`: enough to put a reference A2A agent on loopback.
/// Requests over 1 MiB, malformed request lines and slow clients get an error
/// response or are dropped; the server never crashes on input.
public final class LoopbackHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var body: Data
        /// The header fields as sent (name, value), in order.
        public var headers: [(name: String, value: String)] = []

        public init(method: String, path: String, body: Data, headers: [(name: String, value: String)] = []) {
            self.method = method
            self.path = path
            self.body = body
            self.headers = headers
        }

        /// The first header of this name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        public var contentType: String
        /// Further header fields (name, value); `Content-Type`, `Content-Length` and `Connection` are written anyway.
        public var headers: [(name: String, value: String)]

        public init(status: Int, body: Data, contentType: String = "application/json", headers: [(name: String, value: String)] = []) {
            self.status = status
            self.body = body
            self.contentType = contentType
            self.headers = headers
        }
    }

    public typealias Handler = @Sendable (Request) -> Response

    private let fd: Int32
    public let port: UInt16
    private let handler: Handler
    /// Set by `stop()`, read by the serving thread.
    private let stopped = Mutex(false)
    static let maxRequest = 1 << 20

    /// Binds 127.0.0.1:`port` (0 picks a free port).
    public init(port: UInt16 = 0, handler: @escaping Handler) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(s, 16) == 0 else { close(s); throw POSIXError(.EADDRINUSE) }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        fd = s
        self.port = UInt16(bigEndian: actual.sin_port)
        self.handler = handler
    }

    /// Serves until `stop()`; call from a thread of its own.
    public func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if isStopped { return }
                continue
            }
            // Each connection on a thread of its own: a handler may wait on a request that comes back to
            // this same server (an agent whose tool call is verified by asking an agent here).
            Thread { [self] in answer(client) }.start()
            if isStopped { return }
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let response =
            readRequest(client).map(handler)
            ?? Response(status: 400, body: Data(#"{"error":{"code":"bad_request","message":"malformed HTTP request"}}"#.utf8))
        write(response, to: client)
        close(client)
    }

    /// Starts `serve()` on a background thread.
    public func start() {
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    public func stop() {
        stopped.withLock { $0 = true }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func readRequest(_ client: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            data.append(contentsOf: buffer[0..<n])
            if data.count > LoopbackHTTPServer.maxRequest { return nil }
            if headerEnd == nil, let range = data.range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: data[..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        guard let v = Int(parts[1].trimmingCharacters(in: .whitespaces)), v >= 0, v <= LoopbackHTTPServer.maxRequest else {
                            return nil
                        }
                        contentLength = v
                    }
                }
            }
            if let end = headerEnd, data.count - end >= contentLength {
                let head = String(decoding: data[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let requestLine = lines.first?.split(separator: " ") ?? []
                guard requestLine.count == 3 else { return nil }
                let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2 else { return nil }
                    return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
                }
                return Request(
                    method: String(requestLine[0]), path: String(requestLine[1]), body: data[end..<(end + contentLength)], headers: headers)
            }
        }
    }

    private func write(_ response: Response, to client: Int32) {
        let reason =
            [200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error"][response.status]
            ?? "Status"
        // Header values never carry a line break (a handler's mistake must not split the response).
        let extra = response.headers.map { h in
            "\(h.name): \(h.value)".replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") + "\r\n"
        }.joined()
        var out = Data(
            "HTTP/1.1 \(response.status) \(reason)\r\nContent-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\n\(extra)Connection: close\r\n\r\n"
                .utf8)
        out.append(response.body)
        out.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = send(client, raw.baseAddress!.advanced(by: sent), raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }
}
