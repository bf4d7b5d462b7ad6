import BatonRuntime
import Foundation
import JOSE
import ZeroID

/// ZeroID's admin API as `baton serve-sts --profile zeroid` serves it, under ZeroID's default prefix
/// `/api/v1` (routes of ZeroID f08f979's `RegisterAdmin`, bodies of its handlers):
///
/// - `POST /identities`, `GET|PATCH /identities/{id}`: identities of the tenant named by
///   `X-Account-ID`/`X-Project-ID` (both required, else 401 "missing tenant context");
/// - `POST /credential-policies`, `GET|PATCH /credential-policies/{id}`;
/// - `POST /oauth/clients`: a confidential client and its secret (registration is global);
/// - `GET /delegations/by-jti/{jti}`: the lineage (``ZeroIDService/lineage(of:account:project:)``);
///   a `jti` that is not a lowercase UUID is refused 422 by the route's pattern.
///
/// Refusals are huma's RFC 9457 problems, `{"title","status","detail"}` (`application/problem+json`);
/// the admin API has no authentication of its own (ZeroID leaves it to the network or a hook).
enum ZeroIDAdminRoutes {
    static let prefix = "/api/v1"

    /// The answer to an admin request on `service`, or nil when the path is not an admin route.
    static func handle(
        method: String, path: String, body: Data, tenant: (account: String, project: String)?, now: Int64, service: inout ZeroIDService
    ) -> LoopbackHTTPServer.Response? {
        guard path.hasPrefix(prefix + "/") else { return nil }
        let parts = path.dropFirst(prefix.count + 1).split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).removingPercentEncoding ?? String($0)
        }
        guard let route = Route(method: method, parts: parts) else { return problem(404, "no route \(method) \(path)") }
        guard let tenant, !tenant.account.isEmpty, !tenant.project.isEmpty else { return problem(401, "missing tenant context") }
        let object: JSONObject
        if method == "GET" {
            object = [:]
        } else {
            guard let o = try? JSONParser.parseObject(Array(body)) else { return problem(422, "the body is not a JSON object") }
            object = o
        }
        do {
            return try route.answer(object, tenant: tenant, now: now, service: &service)
        } catch let e as ZeroIDAdminError {
            return problem(e.status, e.detail)
        } catch let e as BodyError {
            return problem(422, e.message)
        } catch {
            return problem(500, "\(error)")
        }
    }

    enum Route {
        case createIdentity
        case getIdentity(String)
        case patchIdentity(String)
        case createPolicy
        case getPolicy(String)
        case patchPolicy(String)
        case createClient
        case lineage(String)

        init?(method: String, parts: [String]) {
            switch (method, parts.count, parts.first) {
            case ("POST", 1, "identities"?): self = .createIdentity
            case ("GET", 2, "identities"?): self = .getIdentity(parts[1])
            case ("PATCH", 2, "identities"?): self = .patchIdentity(parts[1])
            case ("POST", 1, "credential-policies"?): self = .createPolicy
            case ("GET", 2, "credential-policies"?): self = .getPolicy(parts[1])
            case ("PATCH", 2, "credential-policies"?): self = .patchPolicy(parts[1])
            case ("POST", 2, "oauth"?) where parts[1] == "clients": self = .createClient
            case ("GET", 3, "delegations"?) where parts[1] == "by-jti": self = .lineage(parts[2])
            default: return nil
            }
        }

        func answer(_ b: JSONObject, tenant: (account: String, project: String), now: Int64, service: inout ZeroIDService) throws
            -> LoopbackHTTPServer.Response
        {
            let (account, project) = tenant
            switch self {
            case .createIdentity:
                let trust = try optionalString(b, "trust_level")
                guard trust.map({ TrustLevel(rawValue: $0) != nil }) ?? true else {
                    throw BodyError("trust_level must be one of unverified, verified_third_party, first_party")
                }
                let identity = try service.registerIdentity(
                    IdentityRegistration(
                        account: account, project: project, externalID: try optionalString(b, "external_id") ?? "",
                        ownerUserID: try optionalString(b, "owner_user_id") ?? "", publicKeyPEM: try optionalString(b, "public_key_pem"),
                        allowedScopes: try optionalStrings(b, "allowed_scopes"), credentialPolicyID: try optionalString(b, "credential_policy_id"),
                        identityType: try optionalString(b, "identity_type").flatMap { $0.isEmpty ? nil : $0 } ?? "agent",
                        subType: try optionalString(b, "sub_type").flatMap { $0.isEmpty ? nil : $0 },
                        trustLevel: trust.flatMap(TrustLevel.init(rawValue:)) ?? .unverified), now: now)
                return json(ZeroIDAdminRoutes.identityJSON(identity, service: service), status: 201)
            case let .getIdentity(id):
                guard let identity = service.identity(id: id, account: account, project: project) else {
                    throw ZeroIDAdminError(404, "identity not found")
                }
                return json(ZeroIDAdminRoutes.identityJSON(identity, service: service))
            case let .patchIdentity(id):
                let trust = try optionalString(b, "trust_level")
                guard trust.map({ TrustLevel(rawValue: $0) != nil }) ?? true else {
                    throw BodyError("trust_level must be one of unverified, verified_third_party, first_party")
                }
                let identity = try service.updateIdentity(
                    id: id, account: account, project: project, status: try optionalString(b, "status"),
                    publicKeyPEM: try optionalString(b, "public_key_pem"), trustLevel: trust.flatMap(TrustLevel.init(rawValue:)),
                    allowedScopes: try optionalStrings(b, "allowed_scopes"), now: now)
                return json(ZeroIDAdminRoutes.identityJSON(identity, service: service))
            case .createPolicy:
                let policy = try service.createPolicy(
                    account: account, project: project, name: try optionalString(b, "name") ?? "",
                    maxDelegationDepth: try optionalInt(b, "max_delegation_depth") ?? 0, maxTTLSeconds: try optionalInt(b, "max_ttl_seconds") ?? 0,
                    allowedGrantTypes: try optionalStrings(b, "allowed_grant_types") ?? [],
                    allowedScopes: try optionalStrings(b, "allowed_scopes") ?? [],
                    requiredTrustLevel: try optionalString(b, "required_trust_level"), now: now)
                return json(ZeroIDAdminRoutes.policyJSON(policy, account: account, project: project), status: 201)
            case let .getPolicy(id):
                guard let policy = service.policies[id], policy.tenant == "\(account)/\(project)" else {
                    throw ZeroIDAdminError(404, "credential policy not found")
                }
                return json(ZeroIDAdminRoutes.policyJSON(policy, account: account, project: project))
            case let .patchPolicy(id):
                guard b["is_active"].map({ $0.boolValue != nil }) ?? true else { throw BodyError("is_active must be a boolean") }
                let policy = try service.updatePolicy(
                    id: id, account: account, project: project, active: b["is_active"]?.boolValue,
                    maxDelegationDepth: try optionalInt(b, "max_delegation_depth"), maxTTLSeconds: try optionalInt(b, "max_ttl_seconds"), now: now)
                return json(ZeroIDAdminRoutes.policyJSON(policy, account: account, project: project))
            case .createClient:
                guard let name = try optionalString(b, "name"), !name.isEmpty else { throw BodyError("name is required") }
                guard b["confidential"]?.boolValue == true else {
                    throw ZeroIDAdminError(400, "this reference registers confidential clients only (client_credentials)")
                }
                let clientID = try optionalString(b, "client_id") ?? ""
                let (client, secret) = try service.registerClient(
                    clientID: clientID, grantTypes: try optionalStrings(b, "grant_types") ?? [], scopes: try optionalStrings(b, "scopes") ?? [],
                    now: now)
                let record: JSONObject = [
                    "id": .string(ZeroIDUUID.derived(from: "client|\(clientID)")), "client_id": .string(client.clientID), "name": .string(name),
                    "confidential": true, "token_endpoint_auth_method": "client_secret_basic",
                    "grant_types": .array(client.grantTypes.map(JSONValue.string)), "scopes": .array(client.scopes.map(JSONValue.string)),
                    "is_active": true, "created_at": .string(ZeroIDService.rfc3339(client.createdAt)),
                    "updated_at": .string(ZeroIDService.rfc3339(client.createdAt)),
                ]
                return json(
                    ["client": .object(record), "client_secret": .string(secret), "note": "Save client_secret now — it will not be shown again."],
                    status: 201)
            case let .lineage(jti):
                guard ZeroIDUUID.isValid(jti) else { throw BodyError("jti must match the pattern of a lowercase UUID") }
                guard let chain = service.lineage(of: jti, account: account, project: project) else {
                    throw ZeroIDAdminError(404, "credential not found")
                }
                return json(chain)
            }
        }
    }

    static func identityJSON(_ i: ZeroIDIdentity, service: ZeroIDService) -> JSONObject {
        var o: JSONObject = [
            "id": .string(i.id), "account_id": .string(i.account), "project_id": .string(i.project), "external_id": .string(i.externalID),
            "name": .string(i.externalID), "wimse_uri": .string(i.uri.description), "identity_type": .string(i.identityType),
            "trust_level": .string(i.trustLevel.rawValue), "status": .string(i.status), "origin": "native", "owner_user_id": .string(i.ownerUserID),
            "allowed_scopes": .array((i.allowedScopes ?? []).map(JSONValue.string)),
        ]
        if !i.subType.isEmpty { o["sub_type"] = .string(i.subType) }
        if let pem = i.publicKeyPEM { o["public_key_pem"] = .string(pem) }
        o["credential_policy_id"] = .string(i.policyID ?? ZeroIDUUID.derived(from: "policy|\(i.account)/\(i.project)|default"))
        o["created_at"] = .string(ZeroIDService.rfc3339(i.createdAt))
        o["updated_at"] = .string(ZeroIDService.rfc3339(i.updatedAt))
        return o
    }

    static func policyJSON(_ p: CredentialPolicy, account: String, project: String) -> JSONObject {
        var o: JSONObject = [
            "id": .string(p.id), "account_id": .string(account), "project_id": .string(project), "name": .string(p.name),
            "max_ttl_seconds": .int(p.maxTTLSeconds), "allowed_grant_types": .array(p.allowedGrantTypes.map(JSONValue.string)),
            "max_delegation_depth": .int(p.maxDelegationDepth), "is_active": .bool(p.active),
        ]
        if !p.allowedScopes.isEmpty { o["allowed_scopes"] = .array(p.allowedScopes.map(JSONValue.string)) }
        if let level = p.requiredTrustLevel { o["required_trust_level"] = .string(level.rawValue) }
        o["created_at"] = .string(ZeroIDService.rfc3339(p.createdAt))
        o["updated_at"] = .string(ZeroIDService.rfc3339(p.updatedAt))
        return o
    }

    // MARK: Bodies

    struct BodyError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func optionalString(_ o: JSONObject, _ key: String) throws -> String? {
        guard let v = o[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw BodyError("\(key) must be a string") }
        return s
    }

    static func optionalStrings(_ o: JSONObject, _ key: String) throws -> [String]? {
        guard let v = o[key], v != .null else { return nil }
        guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { throw BodyError("\(key) must be an array of strings") }
        return a.compactMap(\.stringValue)
    }

    static func optionalInt(_ o: JSONObject, _ key: String) throws -> Int64? {
        guard let v = o[key], v != .null else { return nil }
        guard let i = v.intValue, i >= 0 else { throw BodyError("\(key) must be a non-negative integer") }
        return i
    }

    /// huma's error body (RFC 9457).
    static func problem(_ status: Int, _ detail: String) -> LoopbackHTTPServer.Response {
        let titles = [400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Entity"]
        let body: JSONObject = [
            "title": .string(titles[status] ?? "Internal Server Error"), "status": .int(Int64(status)), "detail": .string(detail),
        ]
        return LoopbackHTTPServer.Response(status: status, body: Data(body.canonicalString.utf8), contentType: "application/problem+json")
    }

    static func json(_ object: JSONObject, status: Int = 200) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: Data(object.canonicalString.utf8))
    }
}
