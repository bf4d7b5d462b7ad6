import BatonHarness

/// The kill matrix as Markdown: per flaw, what it removes, the step it removes, how many
/// scenarios catch it, and whether one of them pins that step.
public enum KillMatrixReport {
    public static func render(_ matrix: KillMatrix) -> String {
        var out = "# Kill matrix: which scenarios catch which verifier flaw\n\n"
        out += "A flaw is caught when a scenario fails against the verifier that has it; it is caught *at its step* when one of those "
        out += "scenarios pins the step the flaw removes (`expect: {reject: CODE, step: STEP}`), so that a verifier refusing later, "
        out += "for another reason, is told apart.\n\n"
        out += "| flaw | what it removes | step | caught by | pinned | scenarios |\n|---|---|---|---:|---|---|\n"
        for row in matrix.rows {
            let ordered = row.killedBy.filter(\.pinsRemovedStep) + row.killedBy.filter { !$0.pinsRemovedStep }
            let names = ordered.prefix(6).map { "`\($0.id)` (\($0.judgement)\($0.pinsRemovedStep ? ", pins \(row.removedStep)" : ""))" }.joined(
                separator: ", ")
            let more = row.killedBy.count > 6 ? ", … \(row.killedBy.count - 6) more" : ""
            let pinned = row.killedBy.isEmpty ? "—" : (row.caughtAtStep ? "yes" : "**no**")
            out += "| `\(row.flaw)` | \(row.summary) | \(row.removedStep) | \(row.killedBy.count) | \(pinned) | "
            out += (row.killedBy.isEmpty ? "**none: the suite misses this flaw**" : names + more) + " |\n"
        }
        return out
    }
}
