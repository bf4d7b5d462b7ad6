/// The fuzz targets. Each is a pure, deterministic function of its input bytes
/// that must never crash, hang or exhaust memory, and that throws a
/// ``FuzzFailure`` when the code under test breaks one of its invariants.
///
/// The raw value is the name used on the command line, in `BATON_FUZZ_TARGET`
/// and for the corpus directories (`Fuzz/corpus/<name>/`).
public enum FuzzTarget: String, CaseIterable, Sendable, Hashable {
    /// Biscuit decoding (both parsers and block decoders), signatures, a Datalog authorizer, AIP verification.
    case biscuit
    /// Datalog text parsing, printing and re-parsing, minting, and authorizer runs.
    case datalog
    /// JWS/JWT parsing, signature verification with fixed keys, claims validation.
    case jwt
    /// Scenario files through `ScenarioLoader`.
    case scenario
    /// A testee's standard output: line framing, answers and handshakes.
    case testeeFrame = "testee-frame"
    /// An Agentic JWT call (intent token and DPoP proof) through the reference resource server.
    case intent

    /// The `-max_len` given to libFuzzer: large enough for every seed, small enough to stay fast.
    public var maxInputLength: Int { 4096 }

    /// Runs `target` on one input; returns what it reached, or throws the broken invariant.
    @discardableResult
    public static func run(_ target: FuzzTarget, _ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        switch target {
        case .biscuit: return try BiscuitFuzzTarget.run(data)
        case .datalog: return try DatalogFuzzTarget.run(data)
        case .jwt: return try JWTFuzzTarget.run(data)
        case .scenario: return try ScenarioFuzzTarget.run(data)
        case .testeeFrame: return try TesteeFrameFuzzTarget.run(data)
        case .intent: return try IntentFuzzTarget.run(data)
        }
    }

    /// Runs this target on one input (see ``run(_:_:)``).
    @discardableResult
    public func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        try FuzzTarget.run(self, data)
    }
}
