/// The stable id of a specification clause: its document and its name in that document,
/// written `aip-verification/V4-scope` or `rfc8693/2.1-actor_token`.
public struct SpecClauseID: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The document's id (`aip-verification`, `rfc8693`).
    public let document: String
    /// The clause's name within the document (`V4-scope`, `2.1-actor_token`).
    public let clause: String

    /// Reads `document/clause`; nil when the text is not of that form (letters, digits, `-` in the
    /// document; letters, digits, `.`, `_` and `-` in the clause).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isDocumentName(parts[0]), Self.isClauseName(parts[1]) else { return nil }
        document = String(parts[0])
        clause = String(parts[1])
    }

    public init?(document: String, clause: String) {
        self.init("\(document)/\(clause)")
    }

    public var description: String { "\(document)/\(clause)" }

    static func isDocumentName<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    static func isClauseName<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "._-".contains($0) }
    }

    public static func < (a: SpecClauseID, b: SpecClauseID) -> Bool { a.description < b.description }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = SpecClauseID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a clause id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
