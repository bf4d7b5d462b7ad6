/// One call to a protected endpoint, as the resource server sees it: the access token, the
/// request's method and URL, the proof of possession that came with it, and what the endpoint
/// is (its action) and needs (a scope).
public struct ResourceCall: Hashable, Sendable {
    /// The access token (`Authorization: DPoP …` or `Bearer …`); nil: none.
    public var token: String?
    public var method: String
    /// The full request URL, query included.
    public var url: String
    /// The `DPoP` header; nil: none.
    public var dpop: String?
    /// The legacy proof's `PoP` and `X-PoP-Timestamp` headers; nil: none.
    public var legacy: LegacyHeaders?
    /// The request carried more than one `DPoP` (or `PoP`) header: refused (RFC 9449 §4.3 item 1).
    public var repeatedProofHeaders = false
    /// The endpoint's action (the tool it serves).
    public var action: String
    public var requiredScope: String?

    /// The two headers of a legacy proof, as received.
    public struct LegacyHeaders: Hashable, Sendable {
        public var signature: String
        public var timestamp: String

        public init(signature: String, timestamp: String) {
            self.signature = signature
            self.timestamp = timestamp
        }
    }

    public init(token: String?, method: String, url: String, dpop: String?, legacy: LegacyHeaders? = nil, action: String, requiredScope: String?) {
        self.token = token
        self.method = method
        self.url = url
        self.dpop = dpop
        self.legacy = legacy
        self.action = action
        self.requiredScope = requiredScope
    }
}
