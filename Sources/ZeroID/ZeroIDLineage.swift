import Foundation
import JOSE

/// `GET /api/v1/delegations/by-jti/{jti}` as ZeroID f08f979 answers it (`internal/handler/delegation.go`,
/// `internal/service/delegation.go` `WalkByJTI`, `internal/store/postgres/delegation.go` `WalkUp`): the
/// credential and its ancestors along `parent_jti`, in the caller's tenant, at most ``maxHops`` hops up
/// (deeper chains are cut at the root end), as `{"nodes": [...], "edges": [...]}` with the edges ordered
/// root first and the credential asked for last. An edge is one issued credential: `to` the UUID of the
/// identity it was issued to, `from` its parent's (absent on the root), `jti`, `parent_jti` (absent on
/// the root), `mission_id`, `issued_at`, `expires_at` (RFC 3339), `grant_type`, `delegation_depth`,
/// `scopes_in` (the parent's scopes; the root's own), `scopes_out`, `attenuated` (dropped at this hop)
/// and `is_revoked`. A node is one identity: `id`, `wimse_uri`, `name`, `identity_type`, `trust_level`,
/// `status`. The same shape is read by ZeroID's SDK (`highflame.zeroid.types.DelegationChain`).
extension ZeroIDService {
    /// ZeroID's `MaxGraphDepth`: the walk up stops after this many hops.
    public static let lineageMaxHops = 10

    /// The lineage of `jti` in the tenant `account`/`project`; nil: no such credential there (ZeroID's 404).
    public func lineage(of jti: String, account: String, project: String) -> JSONObject? {
        guard let start = credentials[jti], start.account == account, start.project == project else { return nil }
        var chain = [start]
        while chain.count <= Self.lineageMaxHops, let parentJTI = chain.last?.parentJTI, let parent = credentials[parentJTI],
            parent.account == account, parent.project == project
        {
            chain.append(parent)
        }
        chain.reverse()
        let byJTI = Dictionary(chain.map { ($0.jti, $0) }, uniquingKeysWith: { a, _ in a })
        func identityID(_ c: IssuedCredential) -> String? { identities[c.identity]?.id }
        var edges: [JSONValue] = []
        for c in chain {
            var edge: JSONObject = [:]
            if let parent = c.parentJTI.flatMap({ byJTI[$0] }), let from = identityID(parent) { edge["from"] = .string(from) }
            if let to = identityID(c) { edge["to"] = .string(to) }
            edge["jti"] = .string(c.jti)
            if let p = c.parentJTI { edge["parent_jti"] = .string(p) }
            edge["mission_id"] = .string(c.missionID)
            edge["issued_at"] = .string(Self.rfc3339(c.issuedAt))
            edge["expires_at"] = .string(Self.rfc3339(c.expiresAt))
            edge["grant_type"] = .string(c.grantType)
            edge["delegation_depth"] = .int(c.depth)
            let scopesIn = c.parentJTI.flatMap { byJTI[$0] }?.scopes ?? c.scopes
            edge["scopes_in"] = .array(scopesIn.map(JSONValue.string))
            edge["scopes_out"] = .array(c.scopes.map(JSONValue.string))
            edge["attenuated"] = .array(scopesIn.filter { !c.scopes.contains($0) }.map(JSONValue.string))
            edge["is_revoked"] = .bool(c.revoked)
            edges.append(.object(edge))
        }
        var seen = Set<String>()
        let nodes = chain.compactMap { identities[$0.identity] }.filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }.map {
            i -> JSONValue in
            .object([
                "id": .string(i.id), "wimse_uri": .string(i.uri.description), "name": .string(i.externalID),
                "identity_type": .string(i.identityType), "trust_level": .string(i.trustLevel.rawValue), "status": .string(i.status),
            ])
        }
        return ["nodes": .array(nodes), "edges": .array(edges)]
    }

    /// RFC 3339 in UTC, as ZeroID's JSON writes times.
    public static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
