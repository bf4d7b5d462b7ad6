import AIP
import BatonCrypto
import JOSE

/// One check of ``CompactVerifier``, in the order they run. Each maps to the
/// ``VerificationStep`` of the chained profile it corresponds to, so reports of
/// both profiles read alike.
public enum CompactCheck: String, Hashable, Sendable, Codable, CaseIterable {
    /// A token is present (`aip_token_missing`).
    case present
    /// Strict compact JWS parsing: size cap, three parts, base64url, JSON objects (`aip_token_malformed`).
    case parse
    /// `typ` is exactly `aip+jwt` (`aip_token_malformed`).
    case type
    /// `alg` is exactly `EdDSA`: `none` in any casing, `HS*`, `ES256`… are refused (`aip_signature_invalid`).
    case algorithm
    /// No key-carrying header (`jwk`, `jku`, `x5u`, `x5c`) and no `crit` (`aip_signature_invalid`).
    case headerKeys = "header-keys"
    /// `iss` is an AIP identifier (`aip_token_malformed`) that resolves to trusted keys (`aip_identity_unresolvable`).
    case issuer
    /// The Ed25519 signature verifies under one of the issuer's keys (`aip_signature_invalid`).
    case signature
    /// Every claim has its type and range (`aip_token_malformed`; negative budget `aip_budget_exceeded`).
    case claims
    /// `exp` is after now (`aip_token_expired`).
    case expiry
    /// Neither `iat` nor `nbf` is in the future (`aip_token_malformed`).
    case notBefore = "not-before"
    /// `exp - iat` is within the configured maximum, when one is set (`aip_token_malformed`).
    case lifetime
    /// `sub` is the receiving agent, when one is given (`aip_audience_mismatch`).
    case audience
    /// The requested scope is granted, when one is given (`aip_scope_insufficient`).
    case scope
    /// Neither the issuer's key nor the token is revoked (`aip_key_revoked`).
    case revocation

    /// The chained-profile step this check belongs to.
    public var step: VerificationStep {
        switch self {
        case .present: return .binding
        case .parse, .type, .algorithm, .headerKeys, .signature: return .v1
        case .issuer: return .v2
        case .claims, .expiry, .notBefore, .lifetime: return .v4
        case .audience: return .audience
        case .scope: return .v6
        case .revocation: return .v7
        }
    }

    /// A failure of this check, stamped with its step.
    func fail(_ code: AIPErrorCode, _ message: String) -> AIPError { AIPError(code, step: step, message) }
}

/// The verdict of one ``CompactCheck``.
public struct CompactCheckVerdict: Hashable, Sendable {
    public var check: CompactCheck
    public var status: StepVerdict.Status
    public var detail: String

    public init(check: CompactCheck, status: StepVerdict.Status, detail: String) {
        self.check = check
        self.status = status
        self.detail = detail
    }

    /// The chained-profile step of the check.
    public var step: VerificationStep { check.step }
}

/// A verified compact token.
public struct VerifiedCompact: Hashable, Sendable {
    /// The decoded claims.
    public var claims: CompactClaims
    /// The protected header as sent (it may carry ignored members such as `kid`).
    public var header: JSONObject
    /// The issuer key whose signature verified.
    public var issuerKey: Ed25519.PublicKey
    /// The raw 64-byte signature, which is also the token's revocation id.
    public var signature: [UInt8]
}

/// The outcome of ``CompactVerifier/verify(_:)``: the result and each check's verdict in order.
public struct CompactVerificationReport: Sendable {
    public var result: Result<VerifiedCompact, AIPError>
    /// Every check that ran, in order, the failed one last.
    public var details: [CompactCheckVerdict]

    public init(result: Result<VerifiedCompact, AIPError>, details: [CompactCheckVerdict]) {
        self.result = result
        self.details = details
    }

    public var verified: VerifiedCompact? {
        if case let .success(v) = result { return v }
        return nil
    }

    public var error: AIPError? {
        if case let .failure(e) = result { return e }
        return nil
    }

    /// The error code, `nil` on success.
    public var code: AIPErrorCode? { error?.code }
    /// The step that decided a rejection, `nil` on success.
    public var step: VerificationStep? { error?.step }
    /// The check that decided a rejection, `nil` on success.
    public var failedCheck: CompactCheck? { details.last { $0.status == .failed }?.check }
    /// The rejection's message, or a summary of the accepted token.
    public var message: String {
        switch result {
        case let .failure(e): return e.message
        case let .success(v): return "accepted: \(v.claims.iss) grants \(v.claims.scope) to \(v.claims.sub)"
        }
    }

    /// The verdicts in the chained verifier's shape (a step may appear several times).
    public var steps: [StepVerdict] {
        details.map { StepVerdict(step: $0.step, status: $0.status, detail: "\($0.check.rawValue): \($0.detail)") }
    }
}

/// What a check reports when it does not throw: its value and whether it really ran.
struct CompactChecked<Value> {
    var value: Value
    var status: StepVerdict.Status
    var detail: String

    static func passed(_ value: Value, _ detail: String) -> CompactChecked { .init(value: value, status: .passed, detail: detail) }
    static func skipped(_ value: Value, _ detail: String) -> CompactChecked { .init(value: value, status: .skipped, detail: detail) }
}

extension CompactChecked where Value == Void {
    static func passed(_ detail: String) -> CompactChecked { .init(value: (), status: .passed, detail: detail) }
    static func skipped(_ detail: String) -> CompactChecked { .init(value: (), status: .skipped, detail: detail) }
}

/// Records verdicts as the checks run.
struct CompactTrace {
    var details: [CompactCheckVerdict] = []
    private(set) var current: CompactCheck = .present

    /// Runs one check, recording its verdict; a thrown error is recorded by ``fail(_:)``.
    mutating func run<Value>(_ check: CompactCheck, _ body: () throws(AIPError) -> CompactChecked<Value>) throws(AIPError) -> Value {
        current = check
        let outcome = try body()
        details.append(CompactCheckVerdict(check: check, status: outcome.status, detail: outcome.detail))
        return outcome.value
    }

    mutating func fail(_ error: AIPError) {
        details.append(CompactCheckVerdict(check: current, status: .failed, detail: "\(error.code.rawValue): \(error.message)"))
    }
}
