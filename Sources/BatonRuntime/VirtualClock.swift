import Foundation

/// Scenario time: seconds since the Unix epoch, moved only by the scenario.
public struct VirtualClock: Hashable, Sendable {
    public private(set) var now: Int64

    public init(now: Int64) { self.now = now }

    /// Parses an RFC 3339 UTC timestamp such as `2026-06-01T00:00:00Z`.
    public init?(rfc3339 text: String) {
        guard let seconds = VirtualClock.parse(text) else { return nil }
        now = seconds
    }

    public mutating func advance(by seconds: Int64) { now += seconds }

    public var rfc3339: String { VirtualClock.format(now) }

    public static func parse(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }

    public static func format(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
