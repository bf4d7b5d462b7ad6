import AIP
import BatonCrypto
import BatonHarness
import BatonModel

extension TokenProfile {
    /// AIP chained tokens: Biscuit tokens carrying canonical Datalog (draft-prakash-aip-01).
    public static let aipChained = TokenProfile("aip-chained")
}

/// The driver of `aip-chained`: Biscuit chains minted and delegated block by block, verified
/// V1–V7, attacked by appending, re-signing, dropping and tampering with blocks.
public struct AIPChainedDriver: ProfileDriver {
    public init() {}

    public var profile: TokenProfile { .aipChained }
    public var summary: String { "AIP chained tokens: Biscuit blocks of canonical Datalog, verified V1–V7" }

    public var stepKinds: [any ScenarioStepKind.Type] {
        [
            MintStep.self, DelegateStep.self, ForgeStep.self, SendStep.self, VerifyStep.self, AdvanceClockStep.self, RevokeStep.self,
            UnpublishStep.self, RotateKeyStep.self, AuditStep.self,
        ] + WorkflowStepKinds.kinds
    }

    public var attackNames: [String] { BiscuitAttack.names + [ForeignKindAttack.name] }

    public func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack {
        if name == ForeignKindAttack.name { return try ForeignKindAttack.parse(field, context: context) }
        return try BiscuitAttack.parse(name, field, context: context)
    }

    public func identity(of name: String, in state: RunState) -> String {
        AIPReferenceSupport.identity(of: name, domain: state.domain)
    }

    public func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }
    public var carriesWorkflows: Bool { true }
    public var tokensCarryBudgets: Bool { true }
    /// A tool server refuses a call that does not fit a ceiling with AIP's budget code; the ledger
    /// is the tool server's own check, not a verifier step.
    public var budgetRefusal: (code: String, step: String?) { (AIPErrorCode.budgetExceeded.rawValue, WorkflowStepName.ledger) }
    public func readChain(_ token: String) -> ChainReading { BiscuitReading.chain(token) }
    public func describe(token: String, name: String) -> [String] { BiscuitReading.describe(token, name: name) }

    /// A block's revocation id (block 0 unless the step names one).
    public func revocationID(of token: String, named name: String, block: Int?) throws -> (id: HexBytes, description: String)? {
        guard let ids = BiscuitReading.token(token)?.revocationIds.map(HexBytes.init) else { return nil }
        let index = block ?? 0
        guard ids.indices.contains(index) else { throw ForgeFailure("\(name) has no block \(index)") }
        return (ids[index], "block \(index) of \(name)")
    }

    public func makeReference() -> any ImplementationUnderTest { ChainedReference() }

    public var flaws: [FlawVariant] {
        VerifierFlaw.allCases.map { flaw in
            var options = ChainedVerifier.Options()
            options.flaws = [flaw]
            return FlawVariant(flaw, profile: profile, implementation: ChainedReference(verifierOptions: options))
        }
    }
}

extension VerifierFlaw: Flaw {
    /// The step of `ChainedVerifier` whose check the flaw removes.
    public var removedStep: String {
        switch self {
        case .skipSignatures, .skipDelegatorSignatures: return VerificationStep.v1.rawValue
        case .skipRootBinding: return VerificationStep.v2.rawValue
        case .skipDepth: return VerificationStep.v3.rawValue
        // Reading a block's scope from its first check only blinds the V4 walk to widenings behind it.
        case .skipAttenuationWalk, .skipBlockExpiry, .skipBudget, .skipDelegatorContinuity, .skipPrincipal, .lenientCanonicalForm,
            .firstCheckOnly, .skipProvenanceRules:
            return VerificationStep.v4.rawValue
        case .skipContext: return VerificationStep.v5.rawValue
        case .skipAudience: return VerificationStep.audience.rawValue
        case .skipScopeCheck, .trustRightFacts: return VerificationStep.v6.rawValue
        case .skipRevocation: return VerificationStep.v7.rawValue
        }
    }
}
