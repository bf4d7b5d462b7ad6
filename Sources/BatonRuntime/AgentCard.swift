import BatonCrypto
import Foundation

/// An A2A agent card with the `aip_identity` extension, signed by the agent's key (`public_key`,
/// `signature` over the card's other fields): a peer checks the key against the identity's published
/// document before it believes the card.
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
    /// The key that signed the card (hex), and the Ed25519 signature over `signingInput` (hex).
    public var publicKey: String?
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case name, url, skills, signature
        case aipIdentity = "aip_identity"
        case publicKey = "public_key"
    }

    /// The bytes a card's signature covers: its fields but the signature, as sorted-key JSON.
    public var signingInput: Data {
        var unsigned = self
        unsigned.signature = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(unsigned)) ?? Data()
    }

    /// The card signed with `key` (its public key written into the card).
    public func signed(with key: Ed25519.PrivateKey) -> AgentCard {
        var card = self
        card.publicKey = key.publicKey.hex
        card.signature = nil
        card.signature = Hex.encode(key.signature(for: [UInt8](card.signingInput)))
        return card
    }

    /// Whether the card carries `key` and a valid signature by it.
    public func isSigned(by key: Ed25519.PublicKey) -> Bool {
        guard publicKey == key.hex, let signature, let bytes = try? Hex.decode(signature) else { return false }
        return key.isValidSignature(bytes, for: [UInt8](signingInput))
    }

    public init(name: String, url: String, skills: [String], aipIdentity: AIPIdentity) {
        self.name = name
        self.url = url
        self.skills = skills
        self.aipIdentity = aipIdentity
    }
}
