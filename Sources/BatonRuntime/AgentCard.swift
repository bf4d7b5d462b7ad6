import Foundation

/// An A2A agent card with the `aip_identity` extension.
public struct AgentCard: Hashable, Sendable, Codable {
    public struct AIPIdentity: Hashable, Sendable, Codable {
        public var id: String
        public var documentURL: String?

        public init(id: String, documentURL: String?) {
            self.id = id
            self.documentURL = documentURL
        }

        enum CodingKeys: String, CodingKey {
            case id
            case documentURL = "document_url"
        }
    }

    public var name: String
    public var url: String
    public var skills: [String]
    public var aipIdentity: AIPIdentity

    enum CodingKeys: String, CodingKey {
        case name, url, skills
        case aipIdentity = "aip_identity"
    }

    public init(name: String, url: String, skills: [String], aipIdentity: AIPIdentity) {
        self.name = name
        self.url = url
        self.skills = skills
        self.aipIdentity = aipIdentity
    }
}
