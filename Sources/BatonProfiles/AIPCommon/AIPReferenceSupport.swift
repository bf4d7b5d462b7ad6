import AIP
import BatonCrypto
import BatonModel

/// What the two AIP reference verifiers (chained and compact) share: how their verdicts become
/// outcomes, and how a verify request's identity documents and revocation status become the
/// AIP module's registry and revocation list.
enum AIPReferenceSupport {
    /// An AIP verifier's verdict as an outcome: accept, or reject with the error's code, step and message.
    static func outcome<Verified>(_ result: Result<Verified, AIPError>, details: [String]) -> Outcome {
        switch result {
        case .success: return Outcome(verdict: .accept, details: details)
        case let .failure(e): return Outcome(verdict: .reject, code: e.code.rawValue, step: e.step?.rawValue, message: e.message, details: details)
        }
    }

    /// A verifier's verdict with its step verdicts as details (`V4 attenuation walk: passed — …`).
    static func outcome<Verified>(_ result: Result<Verified, AIPError>, steps: [StepVerdict]) -> Outcome {
        outcome(result, details: steps.map { "\($0.step.rawValue) \($0.step.title): \($0.status.rawValue) — \($0.detail)" })
    }

    /// An AIP issuer's refusal as an issue result.
    /// The refusal of a mint request asking for a fraction where the token carries an integer
    /// (`budget_cents: 1.5`, `max_depth: 2.5`): budget ceilings are integer cents and `max_depth` an
    /// integer (aip-tokens §3.3, §4.3), so no reference issuer writes one.
    static func fractionRefusal(_ r: MintRequest) -> IssueResult? {
        guard let (name, value) = r.fractions?.sorted(by: { $0.key < $1.key }).first else { return nil }
        return .refused(.rejected(AIPErrorCode.tokenMalformed.rawValue, message: "\(name) \(value) is not an integer"))
    }

    static func refusal(_ error: Error, otherwise: (Error) -> Outcome) -> IssueResult {
        if let e = error as? AIPError { return .refused(.rejected(e.code.rawValue, step: e.step?.rawValue, message: e.message)) }
        return .refused(otherwise(error))
    }

    /// The identity documents a verify request carries, as a registry.
    static func registry(_ identities: [IdentityEntry]?) -> IdentityRegistry? {
        identities.map(IdentityRegistry.init(entries:))
    }

    /// The revocation status a verify request carries, as a list.
    static func revocationList(_ status: RevocationStatus?) -> RevocationList? {
        status.map { status in
            var list = RevocationList(refreshedAt: status.refreshedAt)
            for key in status.revokedKeys { list.revoke(key: key) }
            for id in status.revokedIds { list.revoke(revocationId: id.bytes) }
            return list
        }
    }

    /// The identifier scheme both AIP profiles give agents: `aip:web:acme.com/<name>`;
    /// identifiers (`aip:…`, URIs) pass through.
    static func identity(of name: String, domain: String) -> String {
        if name.hasPrefix("aip:") || name.contains("://") { return name }
        return "aip:web:\(domain)/\(name)"
    }
}

/// The handshake of a reference implementation: the whole reference, or one flawed verifier.
enum ReferenceDescriptor {
    static let options: [ImplementationOption] = [.clock, .signedDelegation, .registry, .revocation]

    /// `baton-reference` with these roles, or `flawed:NAME` (a verifier only) when a flaw is named.
    static func make(profiles: [TokenProfile], roles: [ImplementationRole], flaw: String?) -> ImplementationDescriptor {
        ImplementationDescriptor(
            name: flaw.map { "flawed:\($0)" } ?? "baton-reference", version: BatonVersion.current, profiles: profiles,
            roles: flaw == nil ? roles : [.verifier], options: options)
    }
}

extension IdentityRegistry {
    /// A registry of identity documents as the testee protocol (and `baton verify --registry`) carries
    /// them: each key numbered `key-1`, `key-2` … and valid over the entry's period.
    public init(entries: [IdentityEntry]) {
        self.init(
            documents: entries.map { e in
                IdentityDocument(
                    id: e.id,
                    keys: e.keys.enumerated().map { i, key in
                        .init(id: "key-\(i + 1)", publicKey: key, validFrom: e.validFrom, validUntil: e.validUntil)
                    },
                    advertisesRevocation: e.advertisesRevocation, expires: e.validUntil)
            })
    }
}
