import AIP
import AIPJWT
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

extension TokenProfile {
    /// AIP compact tokens: one-hop EdDSA JWTs (`typ: aip+jwt`).
    public static let aipCompact = TokenProfile("aip-compact")
}

/// The driver of `aip-compact`: one-hop JWTs minted for a holder, attacked with the JOSE
/// forgeries (rewritten header and claims, `alg` tricks, foreign keys).
public struct AIPCompactDriver: ProfileDriver {
    public init() {}

    public var profile: TokenProfile { .aipCompact }
    public var summary: String { "AIP compact tokens: one-hop EdDSA JWTs (typ aip+jwt)" }

    public var stepKinds: [any ScenarioStepKind.Type] {
        [MintStep.self, ForgeStep.self, SendStep.self, VerifyStep.self, AdvanceClockStep.self, RevokeStep.self, AuditStep.self]
    }

    public var attackNames: [String] { JWTAttack.names + [ForeignKindAttack.name] }

    public func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack {
        if name == ForeignKindAttack.name { return try ForeignKindAttack.parse(field, context: context) }
        return try JWTAttack.parse(field, context: context)
    }

    public func identity(of name: String, in state: RunState) -> String {
        AIPReferenceSupport.identity(of: name, domain: state.domain)
    }

    public func httpStatus(forRefusal code: String) -> Int { AIPErrorCode.httpStatus(for: code) }
    public func readChain(_ token: String) -> ChainReading { JWTReading.chain(token) }

    public func describe(token: String, name: String) -> [String] {
        JWTReading.describe(token: token, name: name) ?? ["\(name): not a JWT (\(token.prefix(24))…)"]
    }

    /// A compact token's revocation id is its signature (one hop, one id).
    public func revocationID(of token: String, named name: String, block: Int?) throws -> (id: HexBytes, description: String)? {
        guard block == nil else { throw ForgeFailure("a compact token has no blocks; drop 'block'") }
        guard let jws = try? JWS.parse(token) else { throw ForgeFailure("\(name) is not a JWS") }
        return (HexBytes(jws.signature), name)
    }

    public func makeReference() -> any ImplementationUnderTest { CompactReference() }

    public var flaws: [FlawVariant] {
        CompactFlaw.allCases.map { FlawVariant($0, profile: profile, implementation: CompactReference(flaws: [$0])) }
    }
}

extension CompactFlaw: Flaw {
    /// The step of the check the flaw removes (see `CompactFlaw.check`).
    public var removedStep: String { check.step.rawValue }
}
