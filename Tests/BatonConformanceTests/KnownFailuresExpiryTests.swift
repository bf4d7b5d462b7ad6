import BatonModel
import Foundation
import Testing

/// Known failures that expire: an entry may carry an owner and a date; past the date its failure
/// fails the run again; entries close to their date are listed; a malformed entry is a problem named
/// by its line, never silently ignored.
@Suite struct KnownFailuresExpiryTests {
    static let text = """
        # header
        a/old  [expires 2026-11-01, owner alice]  # waits for upstream 1.2
        a/soon  [expires 2026-12-10, owner bob]  # fixed in the next release
        a/later  [expires 2027-06-01]  # a long one
        a/plain  # no date
        """

    func failed(_ id: String) -> CaseResult {
        CaseResult(scenarioId: id, title: id, file: "\(id).yaml", implementation: "x", status: .failed, message: "expected accept, got reject")
    }

    @Test func expiredEntriesFailTheRunAgain() {
        let known = KnownFailures(text: Self.text, today: "2026-11-29")
        #expect(known.problems.isEmpty)
        #expect(known.entries["a/old"] == .init(reason: "waits for upstream 1.2", expires: "2026-11-01", owner: "alice"))
        let old = known.apply(to: failed("a/old"))
        #expect(old.status == .failed)
        #expect(old.message.contains("expired on 2026-11-01 (owner alice)"))
        #expect(known.apply(to: failed("a/soon")).status == .expectedFailure)
        #expect(known.apply(to: failed("a/plain")).status == .expectedFailure)
        // Without a date to compare with, nothing expires.
        #expect(KnownFailures(text: Self.text).apply(to: failed("a/old")).status == .expectedFailure)
    }

    @Test func entriesCloseToTheirDateAreListed() {
        let known = KnownFailures(text: Self.text, today: "2026-11-29")
        #expect(known.expiringSoon() == ["a/soon (expires 2026-12-10, owner bob)"])
        #expect(known.expiringSoon(within: 365).count == 2)
    }

    @Test func malformedMetadataIsNamedByLine() {
        let known = KnownFailures(text: "a/x  [expires tomorrow]  # r\nb/y  [color red]\n", today: "2026-11-29")
        #expect(known.problems.count == 2)
        #expect(known.problems[0].hasPrefix("line 1:"))
        #expect(known.problems[1].hasPrefix("line 2:"))
    }

    @Test func renderingKeepsOwnersAndDates() {
        let known = KnownFailures(text: Self.text, today: "2026-11-29")
        let again = KnownFailures(text: known.render(header: "h"), today: "2026-11-29")
        #expect(again.entries == known.entries)
        #expect(KnownFailures.date(Date(timeIntervalSince1970: 1_780_272_000)) == "2026-06-01")
    }
}
