import BatonModel

/// The lanes of a workflow: one horizontal lane per agent and one for the tool server (`tools`),
/// one column per action (identical consecutive actions collapsed), each delegation or forward
/// drawn from the acting agent's lane to its peer's, each tool call down to the tools lane.
/// Refusals end in a marker with the code and step; actions that did not meet their expectation
/// are shaded and flagged FAIL. Inline SVG, integer coordinates, no script: the same result
/// always draws the same bytes.
extension HTMLReport {
    static let laneStyle = """
        .lanes{overflow-x:auto;margin:8px 0;background:#fff;border:1px solid #d0d7de;border-radius:6px}
        .lanes svg{display:block;fill:#1b1f24;font:11px ui-monospace,SFMono-Regular,Menlo,monospace}
        .lanes .lane{stroke:#d0d7de;stroke-width:1}.lanes .lane.tools{stroke:#8c959f;stroke-dasharray:2 3}
        .lanes .lname{font:600 12px system-ui,sans-serif;fill:#1b1f24}.lanes .lname.tools{font-style:italic;fill:#57606a}
        .lanes .col{fill:#57606a;font-size:10px}
        .lanes .delegate{stroke:#0969da;fill:#0969da}.lanes .forward{stroke:#8250df;fill:#8250df}.lanes .call{stroke:#57606a;fill:#57606a}
        .lanes line.forward{stroke-dasharray:6 4}.lanes line{stroke-width:2}
        .lanes .wf-refused{stroke:#bc4c00;fill:#fff4e5;stroke-width:2}.lanes .wf-x{stroke:#bc4c00;stroke-width:2}
        .lanes line.refused{stroke:#bc4c00}.lanes line.fail{stroke:#cf222e}.lanes path.fail{stroke:#cf222e;fill:#cf222e}
        .lanes .ok{fill:#1b1f24}.lanes .refused-text{fill:#bc4c00;font-weight:700}.lanes .budget{fill:#1a7f37}
        .lanes .wf-fail{fill:#ffebe9;stroke:#cf222e;stroke-width:1;stroke-dasharray:4 2}.lanes .fail-text{fill:#cf222e;font-weight:700}
        .legend{font-size:12px;color:#57606a;margin:2px 0 8px}.legend b{font-weight:600}
        """

    /// Pixels per character of the labels (11px monospace, rounded up).
    static let charWidth = 7
    static let lineHeight = 13

    static func lanes(_ r: CaseResult) -> String {
        guard let entries = r.workflow, !entries.isEmpty else { return "" }
        let model = WorkflowSteps(entries)
        let toolsLane = model.agents.count
        let laneNames = model.agents + ["tools"]
        let maxLines = model.steps.map(\.labelLines.count).max() ?? 1
        let gutter = max(80, (laneNames.map(\.count).max() ?? 5) * 8 + 24)
        let header = 24
        let laneGap = maxLines * lineHeight + 30
        let firstLane = header + maxLines * lineHeight + 18
        func laneY(_ lane: Int) -> Int { firstLane + lane * laneGap }
        func lane(of name: String, call: Bool) -> Int { call ? toolsLane : (model.agents.firstIndex(of: name) ?? toolsLane) }

        let start = entries[0].time
        var widths: [Int] = []
        for step in model.steps {
            let chars = step.labelLines.map(\.count).max() ?? 0
            widths.append(max(70, chars * charWidth + 40, columnHeader(step, start: start).count * 6 + 24))
        }
        let width = gutter + widths.reduce(0, +) + 12
        let height = laneY(toolsLane) + 22

        var svg =
            "<div class=\"lanes\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"workflow lanes of \(esc(r.scenarioId))\">\n"
        // Failure shading first, so that lanes and arrows are drawn over it.
        var x = gutter
        for (i, step) in model.steps.enumerated() {
            if !step.failures.isEmpty {
                svg += "<rect class=\"wf-fail\" x=\"\(x + 2)\" y=\"2\" width=\"\(widths[i] - 4)\" height=\"\(height - 4)\" rx=\"4\"/>\n"
            }
            x += widths[i]
        }
        for (i, name) in laneNames.enumerated() {
            let y = laneY(i)
            let tools = i == toolsLane ? " tools" : ""
            svg += "<line class=\"lane\(tools)\" x1=\"\(gutter - 6)\" y1=\"\(y)\" x2=\"\(width - 6)\" y2=\"\(y)\"/>"
            svg += "<text class=\"lname\(tools)\" x=\"8\" y=\"\(y + 4)\">\(esc(name))</text>\n"
        }
        x = gutter
        for (i, step) in model.steps.enumerated() {
            svg += column(
                step, x: x, header: header, start: start, source: laneY(lane(of: step.agent, call: false)),
                target: laneY(lane(of: step.target, call: step.isCall)))
            x += widths[i]
        }
        svg += "</svg></div>\n"
        svg +=
            "<div class=\"legend\">lanes: each agent and the <i>tools</i> server; <b style=\"color:#0969da\">delegation</b> · "
            + "<b style=\"color:#8250df\">forward</b> (dashed) · <b style=\"color:#57606a\">tool call</b> · "
            + "<b style=\"color:#bc4c00\">⊗ refused</b> with code and step · <b style=\"color:#cf222e\">FAIL</b>: the action did not meet its expectation"
            + "</div>\n"
        return svg
    }

    /// One column: its header, the arrow from the acting lane to the target lane, the end marker
    /// (arrowhead, or ⊗ when refused) and the label, above the target lane.
    static func column(_ step: WorkflowSteps.Step, x: Int, header: Int, start: Int64, source: Int, target: Int) -> String {
        let cx = x + 14
        let kind = ["delegate", "forward", "call"].contains(step.kind) ? step.kind : "call"
        let refused = step.failures.isEmpty ? (step.allRefused ? " refused" : "") : " fail"
        let failed = step.failures.isEmpty ? "" : " failed"
        var out = "<g class=\"action act-\(kind)\(step.anyRefused ? " has-refusal" : "")\(failed)\">"
        out += "<title>\(esc(tooltip(step)))</title>"
        out += "<text class=\"col\" x=\"\(cx - 6)\" y=\"\(header - 8)\">\(esc(columnHeader(step, start: start)))</text>"
        out += "<circle class=\"\(kind)\" cx=\"\(cx)\" cy=\"\(source)\" r=\"4\"/>"
        let down = target >= source
        let end = source == target ? target : (down ? target - 8 : target + 8)
        if source != target {
            out += "<line class=\"\(kind)\(refused)\" x1=\"\(cx)\" y1=\"\(source)\" x2=\"\(cx)\" y2=\"\(end)\"/>"
        }
        if step.anyRefused {
            out += "<circle class=\"wf-refused\" cx=\"\(cx)\" cy=\"\(target)\" r=\"7\"/>"
            out += "<path class=\"wf-x\" d=\"M\(cx - 4) \(target - 4)L\(cx + 4) \(target + 4)M\(cx + 4) \(target - 4)L\(cx - 4) \(target + 4)\"/>"
        } else {
            let tip = down ? target - 1 : target + 1
            let base = down ? tip - 9 : tip + 9
            out += "<path class=\"\(kind)\(step.failures.isEmpty ? "" : " fail")\" d=\"M\(cx) \(tip)L\(cx - 5) \(base)L\(cx + 5) \(base)Z\"/>"
        }
        let lines = step.labelLines
        var y = target - 12 - (lines.count - 1) * lineHeight
        out += "<text x=\"\(cx + 12)\" y=\"\(y)\">"
        for (i, line) in lines.enumerated() {
            let cls: String
            if i < step.runs.count {
                let run = step.runs[i]
                cls = !run.entries[0].judgement.passes ? "fail-text" : (run.refused ? "refused-text" : "ok")
            } else if line.hasPrefix("FAIL") || line.hasPrefix("expected ") {
                cls = "fail-text"
            } else {
                cls = "budget"
            }
            out += "<tspan class=\"\(cls)\" x=\"\(cx + 12)\" y=\"\(y)\">\(esc(line))</tspan>"
            y += lineHeight
        }
        out += "</text></g>\n"
        return out
    }

    /// `#3–7 · L16`, and `· +30s` when the step came later in scenario time than the first action.
    static func columnHeader(_ step: WorkflowSteps.Step, start: Int64) -> String {
        let index = step.entries.count > 1 ? "#\(step.first)–\(step.last)" : "#\(step.first)"
        let elapsed = step.entries[0].time - start
        return "\(index) · L\(step.line)" + (elapsed != 0 ? " · +\(elapsed)s" : "")
    }

    /// The hover text of a column: each run's first action, what came of it and its judgement.
    static func tooltip(_ step: WorkflowSteps.Step) -> String {
        step.runs.map { run in
            let e = run.entries[0]
            let times = run.entries.count > 1 ? " (×\(run.entries.count))" : ""
            return
                "\(e.agent) → \(e.target): \(e.description)\(times) — \(e.outcome.summary); expected \(e.expectation.description); \(e.judgement.rawValue)"
        }.joined(separator: "\n")
    }
}
