import BatonHarness
import BatonProfiles

/// Fuzz target `scenario`: bytes as the text of a scenario file (invalid UTF-8 is
/// replaced), loaded with `ScenarioLoader.parse` as `fuzz.yaml`.
///
/// Invariants (each a ``FuzzFailure`` code):
/// - `untyped_error`: every failure is a `ScenarioError` naming `fuzz.yaml`, with a
///   non-negative line and column and a message;
/// - `invalid_scenario_accepted`: a loaded scenario has a valid id, at least one agent,
///   a trusted party that is an agent or an AIP identifier, and a judged step.
public enum ScenarioFuzzTarget {
    /// The file name the loader is given (and errors must name).
    public static let fileName = "fuzz.yaml"

    @discardableResult
    public static func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        var report = FuzzReport()
        let text = String(decoding: data, as: UTF8.self)
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.parse(text, file: fileName)
        } catch let error as ScenarioError {
            guard error.file == fileName, error.line >= 0, error.column >= 0, !error.message.isEmpty else {
                throw failure("untyped_error", "a badly located error: \(error)")
            }
            report.reach("located_error")
            return report
        } catch {
            throw failure("untyped_error", "the loader threw \(type(of: error)): \(error)")
        }
        report.reach("loaded")
        try check(scenario)
        return report
    }

    static func check(_ s: Scenario) throws(FuzzFailure) {
        guard !s.id.isEmpty, s.id.allSatisfy({ $0.isLetter || $0.isNumber || "-_/.".contains($0) }) else {
            throw failure("invalid_scenario_accepted", "invalid id '\(s.id)'")
        }
        guard s.file == fileName, s.line >= 1 else {
            throw failure("invalid_scenario_accepted", "the scenario is located at \(s.file):\(s.line)")
        }
        guard !s.agents.isEmpty, s.agents.contains(s.trust) || s.trust.hasPrefix("aip:") else {
            throw failure("invalid_scenario_accepted", "trust '\(s.trust)' is not one of the agents \(s.agents)")
        }
        guard ProfileRegistry.driver(for: s.profile) != nil else {
            throw failure("invalid_scenario_accepted", "unknown profile '\(s.profile)'")
        }
        guard s.steps.contains(where: \.isCheckpoint), s.finalExpectation != nil else {
            throw failure("invalid_scenario_accepted", "no judged step")
        }
    }

    static func failure(_ code: String, _ message: String) -> FuzzFailure {
        FuzzFailure(target: .scenario, code: code, message: message)
    }
}
