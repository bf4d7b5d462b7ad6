/// One defence removed from the reference verifier: the flawed-verifier gallery.
/// Each variant is what a real implementation might get wrong; the scenarios
/// must catch every one (`baton kill-matrix`).
public enum VerifierFlaw: String, Hashable, Sendable, CaseIterable, Codable {
    /// V1: signatures are not checked (any root key, any tampering is accepted).
    case skipSignatures = "skip-signatures"
    /// V2: the root key is not checked against the issuer's identity.
    case skipRootBinding = "skip-root-binding"
    /// V3: no depth limit.
    case skipDepth = "skip-depth"
    /// V4: no attenuation walk at all (scope, budget, expiry, principal).
    case skipAttenuationWalk = "skip-attenuation-walk"
    /// V4: delegation blocks' own expiry is ignored (only the authority's counts).
    case skipBlockExpiry = "skip-block-expiry"
    /// V4: budget ceilings are not compared.
    case skipBudget = "skip-budget"
    /// V4: a block's delegator need not be the previous delegate.
    case skipDelegatorContinuity = "skip-delegator-continuity"
    /// V4: the principal may change along the chain.
    case skipPrincipal = "skip-principal"
    /// V5: an empty context is accepted.
    case skipContext = "skip-context"
    /// A2A: the last delegate need not be the receiver.
    case skipAudience = "skip-audience"
    /// V6: the requested tool is never checked against the chain (neither Datalog nor structure),
    /// as when a verifier only checks the chain and forgets to authorize the call.
    case skipScopeCheck = "skip-scope-check"
    /// V7: revocation is not consulted.
    case skipRevocation = "skip-revocation"
    /// V4: provenance blocks are not checked: their status, result hash and order (a completion
    /// block is final and single; counter-signatures and attestations follow one).
    case skipProvenanceRules = "skip-provenance-rules"
    /// Signed delegations are never checked, even when required.
    case skipDelegatorSignatures = "skip-delegator-signatures"
    /// Non-canonical Datalog (rules, odd facts and checks, identifiers outside the grammar) is
    /// tolerated: what the walk cannot read, it skips, as a verifier matching canonical text would.
    case lenientCanonicalForm = "lenient-canonical-form"
    /// Scope is read from `right` facts, and Datalog is not evaluated.
    case trustRightFacts = "trust-right-facts"
    /// Scope is read from the first `check if` only (as a regex over printed source would).
    case firstCheckOnly = "first-check-only"

    /// What the flaw does, for the kill matrix.
    public var summary: String {
        switch self {
        case .skipSignatures: return "V1: never checks signatures"
        case .skipRootBinding: return "V2: root key not bound to the issuer"
        case .skipDepth: return "V3: no depth limit"
        case .skipAttenuationWalk: return "V4: no attenuation walk"
        case .skipBlockExpiry: return "V4: delegation blocks' expiry ignored"
        case .skipBudget: return "V4: budget ceilings not compared"
        case .skipDelegatorContinuity: return "V4: delegator need not be the previous delegate"
        case .skipPrincipal: return "V4: principal may change"
        case .skipContext: return "V5: empty context accepted"
        case .skipAudience: return "A2A: last delegate need not be the receiver"
        case .skipScopeCheck: return "V6: requested tool never checked"
        case .skipRevocation: return "V7: revocation not consulted"
        case .skipProvenanceRules: return "V4: completion blocks' fields and order not checked"
        case .skipDelegatorSignatures: return "signed delegations never checked"
        case .lenientCanonicalForm: return "non-canonical Datalog tolerated"
        case .trustRightFacts: return "scope read from right facts, Datalog not run"
        case .firstCheckOnly: return "scope read from the first check only (regex over source)"
        }
    }
}
