extension ToolServer {
    /// The deterministic output of a tool run with these arguments: the standard tools answer in
    /// words built from their arguments (`3 sources on <query>`, `draft: <title>` …); any other tool
    /// answers `<name> done` followed by its arguments sorted by name.
    public static func output(of tool: String, arguments: [String: String]) -> String {
        switch tool {
        case "research.search": return "3 sources on \(arguments["query"] ?? "the topic")"
        case "docs.write": return "draft: \(arguments["title"] ?? "untitled")"
        case "email.send": return "sent to \(arguments["to"] ?? "the recipient"): \(arguments["subject"] ?? "no subject")"
        case "files.read": return "contents of \(arguments["path"] ?? "the file")"
        case "payments.transfer": return "transferred \(arguments["amount"] ?? "0") cents to \(arguments["to"] ?? "the payee")"
        default:
            let listed = arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return listed.isEmpty ? "\(tool) done" : "\(tool) done: \(listed.joined(separator: ", "))"
        }
    }
}
