import Foundation

extension URL {
    /// An `http` URL whose host is 127.0.0.1, localhost or [::1]: the only kind of HTTP target
    /// Baton talks to (it sends forged tokens and registers agents, never off the machine).
    public var isLoopbackHTTP: Bool {
        guard scheme == "http", let host else { return false }
        return ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    }
}
