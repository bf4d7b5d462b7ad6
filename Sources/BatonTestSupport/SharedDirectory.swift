import Foundation

/// The shared conformance material outside the package (``PackagePaths/shared``), which may be
/// absent: tests check ``isAvailable(_:)`` and say loudly what did not run.
public struct SharedDirectory: Sendable {
    /// The directory itself.
    public let url: URL

    /// Wraps a directory.
    public init(url: URL) {
        self.url = url
    }

    /// The URL of `relativePath` inside the directory.
    public func url(_ relativePath: String) -> URL {
        url.appendingPathComponent(relativePath)
    }

    /// Whether `relativePath` (a file or a folder) exists inside the directory.
    public func isAvailable(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relativePath).path)
    }
}
