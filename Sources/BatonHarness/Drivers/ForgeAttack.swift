import BatonModel

/// One attack a forge step carries out on real token bytes (blocks really signed, bytes
/// really flipped, JWTs really re-signed). Each profile's driver parses its own attacks.
public protocol ForgeAttack: Sendable, CustomStringConvertible {
    /// Forges a new token from `source` (the text of the `from` token; empty for attacks that
    /// need none), with the run's keys and clock.
    func forge(_ source: String, run: StepRun) throws -> String
    /// How many leading hops of the forged token are still as the honest issuers made them,
    /// given the source token's hop count (see `ForgedCall.honestHops`).
    func honestHops(sourceHops: Int) -> Int
}

/// Not a token at all: the same text in every profile.
public struct GarbageAttack: ForgeAttack, Hashable {
    public var text: String

    public init(text: String) { self.text = text }

    public func forge(_ source: String, run: StepRun) throws -> String { text }
    public func honestHops(sourceHops: Int) -> Int { 0 }
    public var description: String { "replace the token by \"\(text.prefix(40))\"" }

    /// `attack: garbage`, with an optional `text:`.
    public static func parse(_ f: YAMLField) throws -> GarbageAttack {
        try f.rejectUnknownKeys(ForgeStep.commonKeys.union(["text"]))
        return GarbageAttack(text: try f["text"].optionalString() ?? "not-a-token")
    }
}

/// A forge step that could not be carried out (a scenario mistake, not an implementation failure).
public struct ForgeFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
