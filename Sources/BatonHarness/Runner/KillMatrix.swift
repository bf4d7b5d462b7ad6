import BatonModel

/// Which scenarios catch which verifier flaw: every variant of the flaw galleries is run
/// against the catalog; a scenario "kills" a flaw when it fails there. A flaw counts as
/// pinned when a scenario that kills it pins the step the flaw removes: only then does the
/// suite tell the flaw apart from a verifier that refuses later for another reason.
public struct KillMatrix: Sendable {
    public struct Kill: Hashable, Sendable {
        public var id: String
        /// How the scenario failed (`accepted_attack`, `wrong_step` …).
        public var judgement: String
        /// Whether the scenario pins the step the flaw removes.
        public var pinsRemovedStep: Bool
    }

    public struct Row: Hashable, Sendable {
        /// The flaw's name (`flawed:NAME`).
        public var flaw: String
        /// What the flaw removes (the gallery's summary).
        public var summary: String
        /// The verifier step whose check is removed.
        public var removedStep: String
        /// Scenarios that fail against the flawed verifier, with how.
        public var killedBy: [Kill]

        /// Whether some killing scenario pins the removed step.
        public var caughtAtStep: Bool { killedBy.contains(where: \.pinsRemovedStep) }
    }

    public var rows: [Row]

    /// Flaws no scenario catches: each is a hole in the suite.
    public var survivors: [String] { rows.filter { $0.killedBy.isEmpty }.map(\.flaw) }
    /// Flaws caught, but by no scenario that pins the step they remove.
    public var unpinned: [String] { rows.filter { !$0.killedBy.isEmpty && !$0.caughtAtStep }.map(\.flaw) }

    /// Runs every flawed variant against the catalog (the reference stands in for the roles a
    /// flawed verifier does not play).
    public static func compute(
        _ catalog: ScenarioLoader.Catalog, flaws: [FlawVariant], reference: any ImplementationUnderTest,
        seed: String = "baton"
    ) async -> KillMatrix {
        var rows: [Row] = []
        for flaw in flaws {
            let runner = ScenarioRunner(implementation: flaw.implementation, reference: reference, seed: seed)
            var killed: [Kill] = []
            for s in catalog.scenarios {
                let r = await runner.run(s)
                guard r.status == .failed else { continue }
                // Pinned: the checkpoint that failed pins the removed step, and the flaw let the attack
                // through or moved its refusal to another step (not a broken honest token).
                let pins = (r.judgement == .acceptedAttack || r.judgement == .wrongStep) && r.expectation?.step == flaw.removedStep
                killed.append(Kill(id: s.id, judgement: r.judgement?.rawValue ?? "failed", pinsRemovedStep: pins))
            }
            rows.append(Row(flaw: flaw.name, summary: flaw.summary, removedStep: flaw.removedStep, killedBy: killed))
        }
        return KillMatrix(rows: rows)
    }
}
