/// A category of the OWASP Top 10 for Agentic Applications (2026 edition, published by the OWASP GenAI
/// Security Project in December 2025): the vocabulary a security team reads agent findings in.
public enum AgenticRisk: String, CaseIterable, Codable, Comparable, Sendable, CustomStringConvertible {
    case asi01 = "ASI01"
    case asi02 = "ASI02"
    case asi03 = "ASI03"
    case asi04 = "ASI04"
    case asi05 = "ASI05"
    case asi06 = "ASI06"
    case asi07 = "ASI07"
    case asi08 = "ASI08"
    case asi09 = "ASI09"
    case asi10 = "ASI10"

    /// The category's name as the list gives it.
    public var name: String {
        switch self {
        case .asi01: return "Agent Goal Hijack"
        case .asi02: return "Tool Misuse and Exploitation"
        case .asi03: return "Identity and Privilege Abuse"
        case .asi04: return "Agentic Supply Chain Vulnerabilities"
        case .asi05: return "Unexpected Code Execution"
        case .asi06: return "Memory and Context Poisoning"
        case .asi07: return "Insecure Inter-Agent Communication"
        case .asi08: return "Cascading Failures"
        case .asi09: return "Human-Agent Trust Exploitation"
        case .asi10: return "Rogue Agents"
        }
    }

    /// `ASI03 Identity and Privilege Abuse`.
    public var description: String { "\(rawValue) \(name)" }

    /// The taxonomy's name, version and home, for SARIF.
    public static let taxonomyName = "OWASP Top 10 for Agentic Applications"
    public static let taxonomyVersion = "2026"
    public static let taxonomyURI = "https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/"

    public static func < (a: AgenticRisk, b: AgenticRisk) -> Bool { a.rawValue < b.rawValue }
}
