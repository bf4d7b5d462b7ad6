import CSodium

/// One-time initialisation of libsodium, safe to call from any thread.
enum Sodium {
    /// libsodium's `sodium_init` is idempotent and thread-safe; a global
    /// `let` gives us exactly-once evaluation on top.
    static let ready: Bool = {
        sodium_init() >= 0
    }()

    static func ensureReady() {
        precondition(ready, "libsodium failed to initialise")
    }
}
