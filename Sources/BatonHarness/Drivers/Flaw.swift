import BatonModel

/// One defence removed from a reference verifier: the attack range's flawed variants. Every
/// profile's gallery is an enum adopting this protocol; the scenarios must catch every flaw
/// (`baton kill-matrix`), and at least one of the scenarios that catch it must pin the step the
/// flaw removes, so that a verifier refusing later for another reason is told apart.
public protocol Flaw: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// What the flaw does, for the kill matrix.
    var summary: String { get }
    /// The verifier step whose check the flaw removes (`V4`, `J2` …), as the reference reports it.
    var removedStep: String { get }
}

/// A flawed variant of a reference verifier, ready to be run (`--iut flawed:NAME`).
public struct FlawVariant: Sendable {
    /// `NAME` of `flawed:NAME`.
    public var name: String
    public var summary: String
    public var profile: TokenProfile
    /// The step whose check is removed.
    public var removedStep: String
    /// The verifier with the flaw.
    public var implementation: any ImplementationUnderTest

    public init<F: Flaw>(_ flaw: F, profile: TokenProfile, implementation: any ImplementationUnderTest) {
        name = flaw.rawValue
        summary = flaw.summary
        removedStep = flaw.removedStep
        self.profile = profile
        self.implementation = implementation
    }
}
