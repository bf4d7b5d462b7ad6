/// A WIMSE-style workload identifier in SPIFFE form:
/// `spiffe://<trust-domain>/<account>/<project>/<type>/<id>`, e.g.
/// `spiffe://acme.com/research/q3-report/agent/writer`.
///
/// Parsing is strict: lowercase trust domain of `[a-z0-9.-_]`, exactly four
/// non-empty path segments of `[A-Za-z0-9.-_]`, no `.` or `..` segments, no
/// query, fragment, port or user info.
public struct WorkloadURI: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var trustDomain: String
    public var account: String
    public var project: String
    public var type: String
    public var id: String

    public init(trustDomain: String, account: String, project: String, type: String, id: String) {
        self.trustDomain = trustDomain
        self.account = account
        self.project = project
        self.type = type
        self.id = id
    }

    /// Parses a URI; nil when it is not a well-formed workload identifier.
    public init?(_ text: String) {
        let prefix = "spiffe://"
        guard text.hasPrefix(prefix), text.utf8.count <= 2048 else { return nil }
        let rest = text.dropFirst(prefix.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 else { return nil }
        let domain = parts[0]
        guard !domain.isEmpty, domain.unicodeScalars.allSatisfy(Self.isDomainCharacter) else { return nil }
        for segment in parts.dropFirst() {
            guard !segment.isEmpty, segment != ".", segment != "..",
                segment.unicodeScalars.allSatisfy(Self.isSegmentCharacter)
            else { return nil }
        }
        self.init(trustDomain: domain, account: parts[1], project: parts[2], type: parts[3], id: parts[4])
    }

    public var description: String { "spiffe://\(trustDomain)/\(account)/\(project)/\(type)/\(id)" }

    public static func < (lhs: WorkloadURI, rhs: WorkloadURI) -> Bool { lhs.description < rhs.description }

    static func isDomainCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_"
    }

    static func isSegmentCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_"
    }
}
