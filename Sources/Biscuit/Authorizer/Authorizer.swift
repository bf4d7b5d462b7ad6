/// Decides whether a token is authorized: loads the token's blocks and the
/// authorizer's own facts, rules, checks and policies into one Datalog world,
/// runs it, then evaluates checks and policies in the reference order:
/// authorizer checks, authority checks, policies (first match wins), then the
/// checks of each attenuation block. Every failed check is reported.
public struct Authorizer: Sendable {
    /// The authorizer's facts, rules, checks, scopes and policies.
    public var source: BlockSource
    /// Limits on the Datalog run.
    public var limits: RunLimits
    /// External functions callable from expressions, by name.
    public var externs: [String: ExternFunction]

    /// An authorizer with its code, run limits and external functions.
    public init(source: BlockSource = BlockSource(), limits: RunLimits = RunLimits(), externs: [String: ExternFunction] = [:]) {
        self.source = source
        self.limits = limits
        self.externs = externs
    }

    /// An authorizer from Datalog text (facts, rules, checks, `allow if` / `deny if` policies).
    public init(code: String, limits: RunLimits = RunLimits(), externs: [String: ExternFunction] = [:]) throws(BiscuitError) {
        let source: BlockSource
        do { source = try DatalogParser.parseAuthorizer(code) } catch { throw .parse(error) }
        self.init(source: source, limits: limits, externs: externs)
    }

    /// Authorizes a verified token. Returns the index of the allow policy that matched.
    @discardableResult
    public func authorize(_ token: BiscuitToken) throws(BiscuitError) -> Int {
        try run(blocks: token.decodedBlocks()).result.get()
    }

    /// Authorizes decoded blocks (block 0 is the authority block). Never throws:
    /// the report holds the result and, once the world could be built, the world.
    public func run(blocks: [DecodedBlock]) -> AuthorizationReport {
        var world = World(externs: externs)
        do {
            return try evaluate(blocks: blocks, world: &world)
        } catch {
            return AuthorizationReport(result: .failure(error), world: nil)
        }
    }

    private func evaluate(blocks: [DecodedBlock], world: inout World) throws(BiscuitError) -> AuthorizationReport {
        let authorizerOrigin = Origin.authorizer

        // Third-party blocks, by signing key.
        var blocksByKey: [BiscuitPublicKey: [Int]] = [:]
        for (i, block) in blocks.enumerated() where i > 0 {
            if let key = block.externalKey { blocksByKey[key, default: []].append(i) }
        }

        // Load the token.
        var blockTrust: [TrustedOrigins] = []
        for (i, block) in blocks.enumerated() {
            let origin = Origin.block(i)
            let trusted = TrustedOrigins.from(
                scopes: block.source.scopes, default: .authorityAndAuthorizer, currentBlock: origin, blocksByPublicKey: blocksByKey)
            blockTrust.append(trusted)
            for fact in block.source.facts { world.addFact(fact, origin: origin) }
            for rule in block.source.rules {
                guard Authorizer.variablesAreBound(rule) else {
                    throw .logic(.invalidBlockRule(blockId: 0, rule: DatalogPrinter.print(rule)))
                }
                world.addRule(
                    rule, origin: origin,
                    trusted: TrustedOrigins.from(scopes: rule.scopes, default: trusted, currentBlock: origin, blocksByPublicKey: blocksByKey))
            }
        }

        // Load the authorizer.
        let authorizerTrust = TrustedOrigins.from(
            scopes: source.scopes, default: .authorityAndAuthorizer, currentBlock: authorizerOrigin, blocksByPublicKey: blocksByKey)
        for fact in source.facts { world.addFact(fact, origin: authorizerOrigin) }
        for rule in source.rules {
            world.addRule(
                rule, origin: authorizerOrigin,
                trusted: TrustedOrigins.from(
                    scopes: rule.scopes, default: authorizerTrust, currentBlock: authorizerOrigin, blocksByPublicKey: blocksByKey))
        }

        do { try world.run(limits: limits) } catch { throw .execution(error) }

        let clock = ContinuousClock()
        let deadline = clock.now + limits.maxTime
        var failed: [FailedCheck] = []

        func passes(_ check: Check, origin: Origin, trust: TrustedOrigins) throws(BiscuitError) -> Bool {
            for query in check.queries {
                let trusted = TrustedOrigins.from(scopes: query.scopes, default: trust, currentBlock: origin, blocksByPublicKey: blocksByKey)
                let ok: Bool
                do {
                    switch check.kind {
                    case .one: ok = try world.queryMatch(query, origin: origin, trusted: trusted, deadline: deadline)
                    case .all: ok = try world.queryMatchAll(query, origin: origin, trusted: trusted, deadline: deadline)
                    case .reject: ok = try !world.queryMatch(query, origin: origin, trusted: trusted, deadline: deadline)
                    }
                } catch { throw .execution(error) }
                if clock.now >= deadline { throw .execution(.timeout) }
                if ok { return true }
            }
            return false
        }

        for (i, check) in source.checks.enumerated() where try !passes(check, origin: authorizerOrigin, trust: authorizerTrust) {
            failed.append(.authorizer(checkId: i, rule: DatalogPrinter.print(check)))
        }
        if let authority = blocks.first {
            for (j, check) in authority.source.checks.enumerated() where try !passes(check, origin: .block(0), trust: blockTrust[0]) {
                failed.append(.block(blockId: 0, checkId: j, rule: DatalogPrinter.print(check)))
            }
        }
        var matched: MatchedPolicy?
        policies: for (i, policy) in source.policies.enumerated() {
            for query in policy.queries {
                let trusted = TrustedOrigins.from(
                    scopes: query.scopes, default: authorizerTrust, currentBlock: authorizerOrigin, blocksByPublicKey: blocksByKey)
                let ok: Bool
                do { ok = try world.queryMatch(query, origin: authorizerOrigin, trusted: trusted, deadline: deadline) } catch {
                    throw .execution(error)
                }
                if clock.now >= deadline { throw .execution(.timeout) }
                if ok {
                    matched = policy.kind == .allow ? .allow(i) : .deny(i)
                    break policies
                }
            }
        }
        for (i, block) in blocks.enumerated() where i > 0 {
            for (j, check) in block.source.checks.enumerated() where try !passes(check, origin: .block(i), trust: blockTrust[i]) {
                failed.append(.block(blockId: i, checkId: j, rule: DatalogPrinter.print(check)))
            }
        }

        let result: Result<Int, BiscuitError>
        switch (matched, failed.isEmpty) {
        case let (.allow(i)?, true): result = .success(i)
        case (nil, _): result = .failure(.logic(.noMatchingPolicy(checks: failed)))
        case let (policy?, _): result = .failure(.logic(.unauthorized(policy: policy, checks: failed)))
        }
        // The printed world is only built if the caller asks for it.
        return AuthorizationReport(result: result, world: world, blocks: blocks, authorizer: source)
    }

    /// Every variable of a rule's head must appear in its body.
    static func variablesAreBound(_ rule: Rule) -> Bool {
        var bodyVariables = Set<Term>()
        for p in rule.body { for t in p.terms { if case .variable = t { bodyVariables.insert(t) } } }
        return rule.head.terms.allSatisfy { t in
            if case .variable = t { return bodyVariables.contains(t) }
            return true
        }
    }
}

/// What an authorization run produced.
public struct AuthorizationReport: Sendable {
    /// The index of the allow policy that matched, or why authorization failed.
    public var result: Result<Int, BiscuitError>

    /// The world after the run, when it could be built and run.
    ///
    /// Printing the world costs more than authorizing a typical token, so it
    /// is done on access (each access prints it again; keep the value if you
    /// need it several times).
    public var world: AuthorizerWorld? {
        get {
            if let printed { return printed }
            guard let run else { return nil }
            return AuthorizerWorld(world: run.world, blocks: run.blocks, authorizer: run.authorizer)
        }
        set {
            printed = newValue
            run = nil
        }
    }

    /// What the world is printed from.
    private struct RunState: Sendable {
        var world: World
        var blocks: [DecodedBlock]
        var authorizer: BlockSource
    }

    private var run: RunState?
    private var printed: AuthorizerWorld?

    init(result: Result<Int, BiscuitError>, world: AuthorizerWorld?) {
        self.result = result
        self.printed = world
    }

    init(result: Result<Int, BiscuitError>, world: World, blocks: [DecodedBlock], authorizer: BlockSource) {
        self.result = result
        self.run = RunState(world: world, blocks: blocks, authorizer: authorizer)
    }
}
