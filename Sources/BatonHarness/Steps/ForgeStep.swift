import BatonModel

/// `forge`: the attacker makes a token from another (or from nothing) with one of the profile's
/// attacks, and stores it under a new name. Reports name the attack as the scenario wrote it.
public struct ForgeStep: ScenarioStepKind {
    public static let keyword = "forge"
    /// Keys every forge step has.
    public static let commonKeys: Set<String> = ["as", "from", "attack"]

    public var name: String
    public var from: String
    /// The attack's name as written (`widen_scope`).
    public var attackName: String
    public var attack: any ForgeAttack

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> ForgeStep {
        let name = try f["as"].string()
        let from = try f["from"].string()
        let attackName = try f["attack"].string()
        if attackName != "garbage" { try context.token(from, f["from"]) }
        let attack: any ForgeAttack
        if attackName == "garbage" {
            attack = try GarbageAttack.parse(f)
        } else {
            let known = context.driver.attackNames
            guard known.contains(attackName) else {
                throw f["attack"].error(
                    "unknown attack '\(attackName)' for the \(context.driver.profile) profile (known: \((known + ["garbage"]).sorted().joined(separator: ", ")))"
                )
            }
            attack = try context.driver.parseAttack(attackName, f, context: context)
        }
        try context.define(name, f["as"])
        return ForgeStep(name: name, from: from, attackName: attackName, attack: attack)
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let source = run.state.tokens[from] ?? ""
        do {
            run.state.tokens[name] = try attack.forge(source, run: run)
        } catch let skip as RunSkip {
            throw RunSkip(reason: "\(run.label): \(skip.reason)")
        } catch {
            throw ForgeFailure("\(run.label): forging \(name) from \(from) failed: \(error)")
        }
        // Hops up to the source's are the honest issuers' (or the source's own honest prefix).
        let sourceHops = run.driver.readChain(source).hops.count
        let honestHops = attack.honestHops(sourceHops: min(sourceHops, run.state.forgeries[from]?.honestHops ?? sourceHops))
        run.state.forgeries[name] = .init(attack: "made from \(from) by \(attackName): \(attack)", honestHops: honestHops)
        run.log("\(run.label): attacker forges \(name) from \(from) by \(attackName): \(attack)")
        return nil
    }

    public var description: String { "forge \(name) from \(from) by \(attackName)" }
}
