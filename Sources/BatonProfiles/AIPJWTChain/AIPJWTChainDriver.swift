import AIP
import AIPJWT
import BatonCrypto
import BatonHarness
import BatonModel

extension TokenProfile {
    /// AIP JWT chains (draft-prakash-aip-02 §5.1): EdDSA links joined by `~`, each signed by the
    /// previous holder's key.
    public static let aipJWTChain = TokenProfile("aip-jwt-chain")
}

/// The driver of `aip-jwt-chain`: chains minted for a holder and extended link by link by each
/// holder's key, verified V1–V7, attacked by dropping, reordering, repeating, splicing, appending
/// and rewriting links.
public struct AIPJWTChainDriver: ProfileDriver {
    public init() {}

    public var profile: TokenProfile { .aipJWTChain }
    public var summary: String { "AIP JWT chains: EdDSA links joined by ~, each signed by the previous holder's cnf key" }

    public var stepKinds: [any ScenarioStepKind.Type] {
        [
            MintStep.self, DelegateStep.self, ForgeStep.self, SendStep.self, VerifyStep.self, AdvanceClockStep.self, RevokeStep.self,
            UnpublishStep.self, RotateKeyStep.self, AuditStep.self,
        ] + WorkflowStepKinds.kinds
    }

    public var attackNames: [String] { JWTChainAttack.names + [ForeignKindAttack.name] }

    public func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack {
        if name == ForeignKindAttack.name { return try ForeignKindAttack.parse(field, context: context) }
        return try JWTChainAttack.parse(name, field, context: context)
    }

    public func identity(of name: String, in state: RunState) -> String {
        AIPReferenceSupport.identity(of: name, domain: state.domain)
    }

    /// Each holder signs the next link with its own key.
    public var signsEveryDelegation: Bool { true }

    public func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }
    public var carriesWorkflows: Bool { true }
    public var tokensCarryBudgets: Bool { true }
    /// A tool server refuses a call that does not fit a ceiling with AIP's budget code; the ledger
    /// is the tool server's own check, not a verifier step.
    public var budgetRefusal: (code: String, step: String?) { (AIPErrorCode.budgetExceeded.rawValue, WorkflowStepName.ledger) }
    public func readChain(_ token: String) -> ChainReading { JWTChainReading.chain(token) }
    public func describe(token: String, name: String) -> [String] { JWTChainReading.describe(token, name: name) }

    /// A link's revocation id is its signature (link 0 unless the step names one).
    public func revocationID(of token: String, named name: String, block: Int?) throws -> (id: HexBytes, description: String)? {
        guard let links = JWTChainReading.links(token) else { return nil }
        let index = block ?? 0
        guard links.indices.contains(index) else { throw ForgeFailure("\(name) has no link \(index)") }
        return (HexBytes(links[index].signature), "link \(index) of \(name)")
    }

    public func makeReference() -> any ImplementationUnderTest { JWTChainReference() }

    public var flaws: [FlawVariant] {
        JWTChainFlaw.allCases.map { FlawVariant($0, profile: profile, implementation: JWTChainReference(flaws: [$0])) }
    }
}

extension JWTChainFlaw: Flaw {
    public var removedStep: String { step.rawValue }
}
