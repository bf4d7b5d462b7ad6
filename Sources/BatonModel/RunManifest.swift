/// What a run was: the tool and its version, the scenario files (a SHA-256 over their paths and
/// bytes, so that two reports can be compared knowing whether the suite changed), the
/// implementation and what it declared, the seed and the filters. Recorded in every JSON report and
/// summed up at the top of the Markdown one.
public struct RunManifest: Hashable, Sendable, Codable {
    public var batonVersion: String
    /// SHA-256 (hex) over every scenario file's path (relative to its root) and bytes, in path order.
    public var scenariosSHA256: String
    /// How many scenario files the digest covers.
    public var scenarioFiles: Int
    public var implementation: String
    public var implementationVersion: String
    public var roles: [ImplementationRole]
    public var options: [ImplementationOption]
    public var seed: String
    /// The `--filter` and `--profile` selections, as given (empty: the whole suite).
    public var filters: [String]
    /// The part of the suite this run covered (`2/4`, from `baton run --shard`); nil for a whole run, and
    /// for the run `baton merge` puts back together from its shards.
    public var shard: String?

    public init(
        batonVersion: String, scenariosSHA256: String, scenarioFiles: Int, implementation: String, implementationVersion: String,
        roles: [ImplementationRole], options: [ImplementationOption], seed: String, filters: [String], shard: String? = nil
    ) {
        self.batonVersion = batonVersion
        self.scenariosSHA256 = scenariosSHA256
        self.scenarioFiles = scenarioFiles
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.roles = roles
        self.options = options
        self.seed = seed
        self.filters = filters
        self.shard = shard
    }

    enum CodingKeys: String, CodingKey {
        case batonVersion = "baton_version"
        case scenariosSHA256 = "scenarios_sha256"
        case scenarioFiles = "scenario_files"
        case implementation
        case implementationVersion = "implementation_version"
        case roles, options, seed, filters, shard
    }

    /// One line for the top of a report.
    public var summary: String {
        "baton \(batonVersion) · \(scenarioFiles) scenario files, sha256 \(scenariosSHA256.prefix(16))… · \(implementation) \(implementationVersion) · seed \(seed)"
            + (filters.isEmpty ? "" : " · \(filters.joined(separator: ", "))") + (shard.map { " · shard \($0)" } ?? "")
    }
}
