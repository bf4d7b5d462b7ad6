import BatonHarness
import BatonModel

/// The token profiles Baton knows. Registering a profile is one line here; everything else
/// about it lives in its folder (see the README's architecture section).
public enum ProfileRegistry {
    /// Every registered driver, in the order reports and galleries list them.
    public static let standard: [any ProfileDriver] = [
        AIPChainedDriver(),
        TokenExchangeDriver(),
        AIPCompactDriver(),
        AIPJWTChainDriver(),
        AgenticJWTDriver(),
        ZeroIDDriver(),
    ]

    /// The profile of scenario files that name none.
    public static let defaultProfile = TokenProfile.aipChained

    /// The loader for scenario files of every registered profile.
    public static var loader: ScenarioLoader { ScenarioLoader(drivers: standard, defaultProfile: defaultProfile) }

    /// The driver of a profile.
    public static func driver(for profile: TokenProfile) -> (any ProfileDriver)? {
        standard.first { $0.profile == profile }
    }

    /// Every flawed variant of every profile's gallery, in registration order, then the workflow defences'.
    public static var flaws: [FlawVariant] { standard.flatMap(\.flaws) + WorkflowFlawedReference.gallery }
}

extension ScenarioLoader {
    /// Loads scenario files with every registered profile.
    public static func load(paths: [String], relativeTo root: String? = nil) -> Catalog {
        ProfileRegistry.loader.load(paths: paths, relativeTo: root)
    }

    /// Parses one scenario document with every registered profile.
    public static func parse(_ text: String, file: String) throws -> Scenario {
        try ProfileRegistry.loader.parse(text, file: file)
    }
}

extension ScenarioRunner {
    /// A runner whose stand-in for the roles the implementation does not play is a fresh reference.
    public init(implementation: any ImplementationUnderTest, seed: String = "baton") {
        self.init(implementation: implementation, reference: ReferenceImplementation(), seed: seed)
    }
}

extension KillMatrix {
    /// The kill matrix of every registered flaw gallery.
    public static func compute(_ catalog: ScenarioLoader.Catalog, seed: String = "baton") async -> KillMatrix {
        await compute(catalog, flaws: ProfileRegistry.flaws, reference: ReferenceImplementation(), seed: seed)
    }
}
