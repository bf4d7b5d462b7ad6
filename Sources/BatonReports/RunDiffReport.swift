import BatonModel

/// `baton diff` as text (for a terminal) or Markdown (for a pull request or a job summary): newly
/// accepted attacks first, then new failures, fixes, other changes, coverage gained or lost, scenarios
/// added or removed, and the manifest fields that differ.
public enum RunDiffReport {
    /// The plain-text form.
    public static func text(_ diff: RunDiff, before: String, after: String) -> String {
        var lines = ["baton diff: \(before) → \(after)", heading(diff)]
        for kind in RunDiff.Kind.allCases where !diff[kind].isEmpty {
            lines.append("")
            lines.append("\(kind.title) (\(diff[kind].count))\(kind.isRegression ? " — regression" : ""):")
            for entry in diff[kind] { lines.append("  \(entry.scenarioId): \(change(entry))") }
        }
        if !diff.manifestChanges.isEmpty {
            lines.append("")
            lines.append("Manifest:")
            for m in diff.manifestChanges { lines.append("  \(m.field): \(m.before) → \(m.after)") }
        }
        lines.append("")
        lines.append(verdict(diff))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Markdown form.
    public static func markdown(_ diff: RunDiff, before: String, after: String) -> String {
        var lines = ["# baton diff", "", "`\(before)` → `\(after)`: \(heading(diff))", "", "**\(verdict(diff))**"]
        for kind in RunDiff.Kind.allCases where !diff[kind].isEmpty {
            lines += ["", "## \(kind.title) (\(diff[kind].count))\(kind.isRegression ? " — regression" : "")", ""]
            lines += ["| scenario | before | after |", "| --- | --- | --- |"]
            for entry in diff[kind] {
                lines.append("| `\(entry.scenarioId)` | \(cell(entry.before.map(describe) ?? "—")) | \(cell(entry.after.map(describe) ?? "—")) |")
            }
        }
        if !diff.manifestChanges.isEmpty {
            lines += ["", "## Manifest", "", "| field | before | after |", "| --- | --- | --- |"]
            for m in diff.manifestChanges { lines.append("| \(m.field) | \(cell(m.before)) | \(cell(m.after)) |") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The implementations and the two summaries.
    static func heading(_ diff: RunDiff) -> String {
        let a = diff.before, b = diff.after
        let name = { (r: RunReport) in "\(RunDiff.implementation(of: r)) \(r.manifest?.implementationVersion ?? r.implementationVersion ?? "")" }
        return "\(name(a)) (\(a.summary.line)) → \(name(b)) (\(b.summary.line))"
    }

    static func verdict(_ diff: RunDiff) -> String {
        if diff.isEmpty { return "No change." }
        let n = diff.regressions
        return n == 0 ? "No regression." : "\(n) regression(s)."
    }

    static func change(_ entry: RunDiff.Entry) -> String {
        switch (entry.before, entry.after) {
        case let (nil, after?): return describe(after)
        case let (before?, nil): return "was \(describe(before))"
        case let (before?, after?): return "\(describe(before)) → \(describe(after))"
        case (nil, nil): return ""
        }
    }

    /// `passed (reject aip_scope_insufficient at V4)`, `failed: accepted attack (accept)`, `skipped: why`.
    public static func describe(_ r: CaseResult) -> String {
        let outcome = r.outcome.map { " (\($0.summary))" } ?? ""
        let judgement = r.judgement.flatMap { $0.passes ? nil : $0.rawValue.replacingOccurrences(of: "_", with: " ") }
        switch r.status {
        case .skipped: return "skipped: \(r.message)"
        case .error: return "error: \(r.message)"
        default: return r.status.rawValue.replacingOccurrences(of: "_", with: " ") + (judgement.map { ": \($0)" } ?? "") + outcome
        }
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
