/// The tools a server offers, in the order `tools/list` shows them.
public struct ToolCatalog: Hashable, Sendable {
    public var tools: [ToolSpec]

    public init(tools: [ToolSpec]) {
        self.tools = tools
    }

    /// The standard catalog: `research.search` (20 cents), `docs.write` (10), `email.send` (5),
    /// `files.read` (2) and `payments.transfer` (500), each under its `tool:<name>` scope.
    public static let standard = ToolCatalog(tools: [
        ToolSpec(name: "research.search", priceCents: 20, summary: "Search the literature for sources on a query."),
        ToolSpec(name: "docs.write", priceCents: 10, summary: "Write a document draft with a title."),
        ToolSpec(name: "email.send", priceCents: 5, summary: "Send an email to a recipient."),
        ToolSpec(name: "files.read", priceCents: 2, summary: "Read a file at a path."),
        ToolSpec(name: "payments.transfer", priceCents: 500, summary: "Transfer an amount of money to a payee."),
    ])

    /// The first tool of this name, or nil.
    public func tool(named name: String) -> ToolSpec? {
        tools.first { $0.name == name }
    }
}
