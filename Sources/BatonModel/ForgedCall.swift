/// A call on the bus that carried a forged token: which audit record it is, which token, how it
/// was forged, and how much of its chain the honest issuers made. Reports use it to show where a
/// chain was forged.
public struct ForgedCall: Hashable, Sendable, Codable {
    /// The audit record's sequence number.
    public var record: Int
    /// The scenario's name for the token presented.
    public var token: String
    /// The forging step that made it (or its ancestor), as the trace describes it.
    public var attack: String
    /// Leading hops of the recorded chain that the honest issuers made on honest ground; hops
    /// after them were added by the attacker, or were delegated on top of what the attacker
    /// added. Equal to the chain's length when the attacker altered a token in place (tampered
    /// bytes, rewritten claims, re-signed). Nil when it cannot be told (a token service's token
    /// issued from a forged input, a forged actor assertion).
    public var honestHops: Int?

    public init(record: Int, token: String, attack: String, honestHops: Int?) {
        self.record = record
        self.token = token
        self.attack = attack
        self.honestHops = honestHops
    }

    /// Whether hop `index` (0 = first delegation) was made by the attacker or rests on a forgery.
    public func isForged(hop index: Int) -> Bool { honestHops.map { index >= $0 } ?? false }
}
