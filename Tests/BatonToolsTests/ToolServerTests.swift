import BatonModel
import BatonTools
import Testing

@Suite struct ToolServerTests {
    static let researchToken = "scopes=tool:research.search,tool:docs.write;hops=root:50"

    @Test func budgetThreeCallsOfTwentyAgainstFifty() async {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let call = ToolCallRequest(tool: "research.search", token: Self.researchToken, caller: "alice", arguments: ["query": "agents"])
        let first = await server.call(call)
        let second = await server.call(call)
        let third = await server.call(call)
        #expect(
            first == ToolCallResult(tool: "research.search", outcome: .accepted, output: "3 sources on agents", chargedCents: 20, remainingCents: 30))
        #expect(second.outcome == .accepted)
        #expect(second.remainingCents == 10)
        #expect(third.outcome.verdict == .reject)
        #expect(third.outcome.code == "aip_budget_exceeded")
        #expect(third.outcome.step == "V7")
        #expect(third.chargedCents == 0)
        #expect(third.output == nil)
        #expect(server.ledger.spent("root") == 40, "nothing charged for the refusal")
        #expect(server.calls == [first, second, third])
        // A cheaper tool still fits the 10 cents left.
        let draft = await server.call(ToolCallRequest(tool: "docs.write", token: Self.researchToken, caller: "alice", arguments: ["title": "Report"]))
        #expect(draft == ToolCallResult(tool: "docs.write", outcome: .accepted, output: "draft: Report", chargedCents: 10, remainingCents: 0))
    }

    @Test func subDelegationSpendingCountsAgainstParent() async {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let parent = "scopes=tool:research.search;hops=root:50"
        let child = "scopes=tool:research.search;hops=root:50,child:100"
        #expect(await server.call(ToolCallRequest(tool: "research.search", token: child, caller: "bob")).outcome == .accepted)
        #expect(await server.call(ToolCallRequest(tool: "research.search", token: child, caller: "bob")).outcome == .accepted)
        #expect(server.ledger.spent("child") == 40)
        #expect(server.ledger.spent("root") == 40)
        let refused = await server.call(ToolCallRequest(tool: "research.search", token: parent, caller: "alice"))
        #expect(refused.outcome.code == "aip_budget_exceeded", "the child's 40 count against the parent's 50")
        #expect(refused.outcome.message?.contains("hop root") == true, "\(refused.outcome)")
        #expect(server.ledger.spent("root") == 40)
        let childAgain = await server.call(ToolCallRequest(tool: "research.search", token: child, caller: "bob"))
        #expect(childAgain.outcome.code == "aip_budget_exceeded", "the child is bounded by its ancestor's ceiling too")
        #expect(server.ledger.spent("child") == 40)
    }

    @Test func nilCeilingsAreUnlimited() async {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let token = "scopes=tool:payments.transfer;hops=root:-,child:-"
        for _ in 0..<10 {
            let result = await server.call(
                ToolCallRequest(tool: "payments.transfer", token: token, caller: "carol", arguments: ["amount": "500", "to": "dave"]))
            #expect(
                result == ToolCallResult(tool: "payments.transfer", outcome: .accepted, output: "transferred 500 cents to dave", chargedCents: 500))
        }
        #expect(server.ledger.spent("root") == 5000)
        #expect(server.ledger.spent("child") == 5000)
    }

    @Test func scopeRefusalPassesTheAuthorizersCode() async {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let result = await server.call(ToolCallRequest(tool: "email.send", token: Self.researchToken, caller: "alice"))
        #expect(result.outcome == .rejected("aip_scope_insufficient", step: "V6", message: "tool:email.send not granted"))
        #expect(result.chargedCents == 0)
        #expect(server.ledger.spent("root") == 0)
    }

    @Test func unknownToolIsRefusedWithoutAskingTheAuthorizer() async {
        let authorizer = TestAuthorizer()
        let server = ToolServer(catalog: .standard, authorizer: authorizer)
        let result = await server.call(ToolCallRequest(tool: "shell.exec", token: Self.researchToken, caller: "alice"))
        #expect(result.outcome.verdict == .reject)
        #expect(result.outcome.code == "unknown_tool")
        #expect(authorizer.requests.isEmpty)
        #expect(server.calls == [result])
    }

    @Test func missingTokenIsTheAuthorizersToRefuse() async {
        let authorizer = TestAuthorizer()
        let server = ToolServer(catalog: .standard, authorizer: authorizer)
        let result = await server.call(ToolCallRequest(tool: "files.read", token: nil, caller: "alice"))
        #expect(result.outcome.code == "aip_token_missing")
        #expect(authorizer.requests.count == 1)
        #expect(authorizer.requests.first?.token == nil)
    }

    @Test func standardCatalog() {
        let catalog = ToolCatalog.standard
        #expect(catalog.tools.map(\.name) == ["research.search", "docs.write", "email.send", "files.read", "payments.transfer"])
        #expect(catalog.tools.map(\.priceCents) == [20, 10, 5, 2, 500])
        #expect(catalog.tool(named: "email.send")?.scope == "tool:email.send")
        #expect(catalog.tool(named: "nope") == nil)
    }
}
