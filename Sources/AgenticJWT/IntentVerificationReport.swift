/// The verdict and one line per step (`A5 passed: …`, `A6 failed: …`).
public struct IntentVerificationReport: Sendable {
    public var result: Result<VerifiedIntent, AgenticJWTError>
    public var details: [String]
}
