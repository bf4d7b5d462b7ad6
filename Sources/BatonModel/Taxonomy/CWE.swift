/// A weakness of the Common Weakness Enumeration, written `CWE-347`. Only the weaknesses Baton's
/// scenarios name exist (`CWE.known`, with their names from the CWE list): a typo in a scenario is a
/// load error, not a new weakness.
public struct CWE: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The weakness's number (347 for `CWE-347`).
    public let number: Int

    /// The weakness named by `CWE-NNN`, if it is in the committed list.
    public init?(_ text: String) {
        guard text.hasPrefix("CWE-"), let n = Int(text.dropFirst(4)), String(n) == text.dropFirst(4), Self.known[n] != nil else { return nil }
        number = n
    }

    /// `CWE-347`.
    public var id: String { "CWE-\(number)" }
    public var description: String { id }
    /// The weakness's name in the CWE list.
    public var name: String { Self.known[number] ?? "" }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let cwe = CWE(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a known weakness: \(text)"))
        }
        self = cwe
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(id)
    }

    public static func < (a: CWE, b: CWE) -> Bool { a.number < b.number }

    /// Every weakness the scenarios may name, sorted.
    public static var all: [CWE] { known.keys.sorted().map { CWE(number: $0) } }

    private init(number: Int) { self.number = number }

    public static let taxonomyName = "CWE"
    public static let taxonomyURI = "https://cwe.mitre.org/"

    /// The weaknesses Baton's scenarios name, with their names in the CWE list.
    public static let known: [Int: String] = [
        20: "Improper Input Validation",
        74: "Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')",
        117: "Improper Output Neutralization for Logs",
        200: "Exposure of Sensitive Information to an Unauthorized Actor",
        269: "Improper Privilege Management",
        285: "Improper Authorization",
        287: "Improper Authentication",
        288: "Authentication Bypass Using an Alternate Path or Channel",
        290: "Authentication Bypass by Spoofing",
        294: "Authentication Bypass by Capture-replay",
        299: "Improper Check for Certificate Revocation",
        306: "Missing Authentication for Critical Function",
        324: "Use of a Key Past its Expiration Date",
        328: "Use of Weak Hash",
        345: "Insufficient Verification of Data Authenticity",
        347: "Improper Verification of Cryptographic Signature",
        354: "Improper Validation of Integrity Check Value",
        436: "Interpretation Conflict",
        441: "Unintended Proxy or Intermediary ('Confused Deputy')",
        602: "Client-Side Enforcement of Server-Side Security",
        613: "Insufficient Session Expiration",
        639: "Authorization Bypass Through User-Controlled Key",
        770: "Allocation of Resources Without Limits or Throttling",
        807: "Reliance on Untrusted Inputs in a Security Decision",
        841: "Improper Enforcement of Behavioral Workflow",
        843: "Access of Resource Using Incompatible Type ('Type Confusion')",
        863: "Incorrect Authorization",
        1007: "Insufficient Visual Distinction of Homoglyphs Presented to User",
        1284: "Improper Validation of Specified Quantity in Input",
        1287: "Improper Validation of Specified Type of Input",
    ]
}
