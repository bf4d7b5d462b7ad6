/// Spend per hop key: a pure value.
///
/// Charging `cents` along a chain's hops succeeds only if, at every hop, what that hop has spent
/// plus `cents` stays within its ceiling (a nil ceiling is unlimited); then `cents` is added to
/// every hop. A sub-delegation's spending so counts against every ancestor's ceiling. A key that
/// appears more than once in `hops` is one hop with the smallest of its ceilings, charged once.
/// Negative amounts are charged as zero; sums saturate instead of overflowing.
public struct BudgetLedger: Hashable, Sendable {
    private var spending: [String: Int64] = [:]

    public init() {}

    /// What has been charged to this hop so far.
    public func spent(_ key: String) -> Int64 {
        spending[key] ?? 0
    }

    /// Charges `cents` to every hop, or to none if any hop's ceiling would be passed.
    public mutating func charge(_ cents: Int64, along hops: [BudgetHop]) -> BudgetCharge {
        let cents = max(0, cents)
        let distinct = Self.distinct(hops)
        for hop in distinct {
            guard let ceiling = hop.ceilingCents else { continue }
            let (total, overflow) = spent(hop.key).addingReportingOverflow(cents)
            if overflow || total > ceiling {
                return .exceeded(hop: hop, spent: spent(hop.key), cents: cents)
            }
        }
        for hop in distinct {
            let (total, overflow) = spent(hop.key).addingReportingOverflow(cents)
            spending[hop.key] = overflow ? Int64.max : total
        }
        return .charged(remaining: remaining(along: distinct))
    }

    /// The least budget left over the hops that have a ceiling (never below zero); nil when none has.
    public func remaining(along hops: [BudgetHop]) -> Int64? {
        Self.distinct(hops).compactMap { hop in
            hop.ceilingCents.map { ceiling in
                let (left, overflow) = ceiling.subtractingReportingOverflow(spent(hop.key))
                return overflow ? 0 : max(0, left)
            }
        }.min()
    }

    /// One hop per key, in first-seen order, with the smallest ceiling given for it.
    private static func distinct(_ hops: [BudgetHop]) -> [BudgetHop] {
        var order: [String] = []
        var byKey: [String: BudgetHop] = [:]
        for hop in hops {
            if let seen = byKey[hop.key] {
                let ceilings = [seen.ceilingCents, hop.ceilingCents].compactMap { $0 }
                byKey[hop.key] = BudgetHop(key: hop.key, ceilingCents: ceilings.min())
            } else {
                order.append(hop.key)
                byKey[hop.key] = hop
            }
        }
        return order.compactMap { byKey[$0] }
    }
}
