/// A broken invariant found by a fuzz target: the input was handled without a
/// crash, but the code under test contradicted itself (two decoders disagree, a
/// printed value does not parse back, a verifier accepted what it must refuse…).
///
/// `code` is stable (tests and triage match on it); `message` is for people.
public struct FuzzFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The target whose invariant failed.
    public var target: FuzzTarget
    /// Stable identifier of the invariant, e.g. `fast_parser_disagrees`.
    public var code: String
    /// What was observed.
    public var message: String

    public init(target: FuzzTarget, code: String, message: String) {
        self.target = target
        self.code = code
        self.message = message
    }

    public var description: String { "\(target.rawValue): \(code): \(message)" }
}
