import BatonTools
import Testing

@Suite struct BudgetLedgerTests {
    @Test func chargesEveryHopOrNone() {
        var ledger = BudgetLedger()
        let hops = [BudgetHop(key: "root", ceilingCents: 50), BudgetHop(key: "child", ceilingCents: 30)]
        #expect(ledger.charge(20, along: hops) == .charged(remaining: 10))
        #expect(ledger.spent("root") == 20)
        #expect(ledger.spent("child") == 20)
        #expect(ledger.charge(20, along: hops) == .exceeded(hop: hops[1], spent: 20, cents: 20))
        #expect(ledger.spent("root") == 20, "a refused charge touches no hop")
        #expect(ledger.spent("child") == 20)
        #expect(ledger.remaining(along: hops) == 10)
    }

    @Test func exactCeilingIsAllowed() {
        var ledger = BudgetLedger()
        let hops = [BudgetHop(key: "a", ceilingCents: 40)]
        #expect(ledger.charge(40, along: hops) == .charged(remaining: 0))
        #expect(ledger.charge(1, along: hops) == .exceeded(hop: hops[0], spent: 40, cents: 1))
    }

    @Test func nilCeilingIsUnlimited() {
        var ledger = BudgetLedger()
        let hops = [BudgetHop(key: "free", ceilingCents: nil)]
        for _ in 0..<100 { #expect(ledger.charge(1_000_000, along: hops) == .charged(remaining: nil)) }
        #expect(ledger.spent("free") == 100_000_000)
        #expect(ledger.remaining(along: hops) == nil)
        #expect(ledger.charge(Int64.max, along: hops) == .charged(remaining: nil), "saturates instead of trapping")
    }

    @Test func repeatedKeyIsOneHopWithTheSmallestCeiling() {
        var ledger = BudgetLedger()
        let hops = [BudgetHop(key: "t", ceilingCents: 100), BudgetHop(key: "t", ceilingCents: 30)]
        #expect(ledger.charge(20, along: hops) == .charged(remaining: 10))
        #expect(ledger.spent("t") == 20, "charged once")
        #expect(ledger.charge(20, along: hops) == .exceeded(hop: BudgetHop(key: "t", ceilingCents: 30), spent: 20, cents: 20))
    }

    @Test func overflowingChargeIsRefused() {
        var ledger = BudgetLedger()
        let hops = [BudgetHop(key: "a", ceilingCents: Int64.max)]
        #expect(ledger.charge(Int64.max, along: hops) == .charged(remaining: 0))
        #expect(ledger.charge(1, along: hops) == .exceeded(hop: hops[0], spent: Int64.max, cents: 1))
    }
}
