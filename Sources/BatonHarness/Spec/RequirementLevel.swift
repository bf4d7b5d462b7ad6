/// How binding a clause is, in the words of RFC 2119: MUST (also MUST NOT, REQUIRED, SHALL),
/// SHOULD (also SHOULD NOT, RECOMMENDED) or MAY (also OPTIONAL).
public enum RequirementLevel: String, CaseIterable, Codable, Comparable, Sendable {
    case must = "MUST"
    case should = "SHOULD"
    case may = "MAY"

    public static func < (a: RequirementLevel, b: RequirementLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
