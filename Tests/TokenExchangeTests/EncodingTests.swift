import JOSE
import Testing
import TokenExchange

@Suite struct EncodingTests {
    @Test func formEncodingRoundTrips() throws {
        let pairs = [("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("scope", "a b+c"), ("x", "é&=%")]
        let body = FormURLEncoding.encode(pairs)
        #expect(body.contains("scope=a+b%2Bc"))
        let back = try #require(FormURLEncoding.decode(body))
        #expect(back.map(\.0) == pairs.map(\.0))
        #expect(back.map(\.1) == pairs.map(\.1))
        #expect(FormURLEncoding.decode("a=%zz") == nil)
        #expect(FormURLEncoding.decode("a=%4") == nil)
    }

    @Test func repeatedParameterIsAnInvalidRequest() {
        #expect(throws: OAuthError.self) { try TokenExchangeRequest(form: [("scope", "a"), ("scope", "b")]) }
        let r = try? TokenExchangeRequest(form: [("grant_type", "g"), ("unknown", "ignored")])
        #expect(r?.grantType == "g")
    }

    @Test func workloadURIsAreStrict() {
        #expect(WorkloadURI("spiffe://acme.com/acct/proj/agent/writer")?.id == "writer")
        for bad in [
            "spiffe://ACME.com/a/b/c/d", "spiffe://acme.com/a/b/c", "spiffe://acme.com/a/../c/d", "https://acme.com/a/b/c/d",
            "spiffe://acme.com/a/b/c/d?x=1", "spiffe://acme.com/a//c/d", "spiffe://acme.com:8080/a/b/c/d",
        ] {
            #expect(WorkloadURI(bad) == nil, "\(bad)")
        }
    }

    @Test func oauthErrorsCarryTheirStatus() {
        #expect(OAuthErrorCode.invalidClient.httpStatus == 401)
        #expect(OAuthErrorCode.invalidScope.httpStatus == 400)
        #expect(ExchangedTokenCode.scopeInsufficient.httpStatus == 403)
        #expect(ExchangedTokenCode.expired.bearerError == "invalid_token")
    }
}
