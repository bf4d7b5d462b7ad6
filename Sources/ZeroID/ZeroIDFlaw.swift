/// One defence removed from the reference ZeroID service or from the verifier of its tokens
/// (`baton run --iut flawed:zid-NAME`, `baton kill-matrix`). Never used outside the range.
public enum ZeroIDFlaw: String, Hashable, Sendable, CaseIterable, Codable {
    /// Trusts a subject token's signature alone: revoked, unknown or altered credentials pass.
    case subjectNotLookedUp = "zid-subject-not-looked-up"
    /// Accepts an actor assertion with `alg: none` and no signature.
    case actorAlgNone = "zid-actor-alg-none"
    /// Does not compare the actor's tenant with the subject token's.
    case skipTenant = "zid-skip-tenant"
    /// Does not verify the actor assertion's signature.
    case skipActorSignature = "zid-skip-actor-signature"
    /// Does not check the actor assertion's `aud`.
    case skipActorAudience = "zid-skip-actor-audience"
    /// Does not check the actor assertion's `exp`.
    case skipActorExpiry = "zid-skip-actor-expiry"
    /// Never consumes an assertion's `jti` (what ZeroID itself does).
    case replayableAssertions = "zid-replayable-assertions"
    /// Ignores the actor's credential policy when attenuating scopes.
    case scopeIgnoresPolicy = "zid-scope-ignores-policy"
    /// Ignores the policy's `max_delegation_depth`.
    case skipDepth = "zid-skip-depth"
    /// Ignores the policy's `allowed_grant_types`.
    case skipGrantType = "zid-skip-grant-type"
    /// Ignores the policy's `max_ttl_seconds`.
    case skipTTL = "zid-skip-ttl"
    /// Ignores the policy's `required_trust_level`.
    case skipTrustLevel = "zid-skip-trust-level"
    /// Revokes only the credential named, not its descendants.
    case noCascade = "zid-revocation-no-cascade"
    /// The verifier of ZeroID tokens does not compare the `act` chain with `delegation_depth`.
    case skipActDepth = "zid-verifier-skip-act-depth"
    /// Each exchange starts a new mission: the child's `mission_id` is its own `jti`, not its parent's
    /// mission, so a verifier that refuses a mission (every token of one delegation tree) no longer
    /// recognises the tree's later tokens.
    case missionNotCarried = "zid-mission-not-carried"
    /// The child's `exp` is `now + default_ttl`, not clamped to its parent's: a delegated token
    /// outlives the credential it was delegated from.
    case childOutlivesParent = "zid-child-outlives-parent"

    public var summary: String {
        switch self {
        case .subjectNotLookedUp: return "subject token: signature only, no credential lookup"
        case .actorAlgNone: return "accepts an unsigned actor assertion"
        case .skipTenant: return "actor from another tenant"
        case .skipActorSignature: return "never verifies the actor assertion"
        case .skipActorAudience: return "skips the assertion's aud"
        case .skipActorExpiry: return "skips the assertion's exp"
        case .replayableAssertions: return "assertion jti never consumed"
        case .scopeIgnoresPolicy: return "scope ceiling without the actor's policy"
        case .skipDepth: return "skips max_delegation_depth"
        case .skipGrantType: return "skips allowed_grant_types"
        case .skipTTL: return "skips max_ttl_seconds"
        case .skipTrustLevel: return "skips required_trust_level"
        case .noCascade: return "revocation does not cascade"
        case .skipActDepth: return "act chain not matched to delegation_depth"
        case .missionNotCarried: return "mission_id not carried across an exchange"
        case .childOutlivesParent: return "child exp not clamped to the parent's"
        }
    }

    /// Whether it is a flaw of the token service (every one but the verifier's `skipActDepth`).
    public var isServiceFlaw: Bool { self != .skipActDepth }

    /// The check it removes (`Z0`–`Z8`, `R1`, or the downstream verifier's `J6`). A flaw of what the
    /// service issues removes no check of its own: its step is the downstream one that its token then
    /// passes where the reference's is refused (`mission_id` at J6, the lifetime at J4).
    public var removedStep: String {
        switch self {
        case .subjectNotLookedUp: return ZeroIDCheck.subjectToken.rawValue
        case .actorAlgNone: return ZeroIDCheck.actorAlgorithm.rawValue
        case .skipTenant: return ZeroIDCheck.actorIdentity.rawValue
        case .skipActorSignature: return ZeroIDCheck.actorKey.rawValue
        case .skipActorAudience, .skipActorExpiry: return ZeroIDCheck.actorClaims.rawValue
        case .replayableAssertions: return ZeroIDCheck.assertionReplay.rawValue
        case .scopeIgnoresPolicy: return ZeroIDCheck.scope.rawValue
        case .skipDepth, .skipGrantType, .skipTTL, .skipTrustLevel: return ZeroIDCheck.policy.rawValue
        case .noCascade: return ZeroIDCheck.revocation.rawValue
        case .skipActDepth, .missionNotCarried: return "J6"
        case .childOutlivesParent: return "J4"
        }
    }
}
