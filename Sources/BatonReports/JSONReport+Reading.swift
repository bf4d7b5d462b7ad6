import BatonModel
import Foundation

extension JSONReport {
    /// Why a file could not be read back as a Baton JSON report.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The `format` every JSON report carries; a report of another format is refused.
    public static let format = "baton-report/1"

    struct Envelope: Decodable {
        let format: String
        let report: RunReport
    }

    struct FormatOnly: Decodable {
        let format: String?
    }

    /// Reads back a report written by `render`; `path` names it in errors.
    public static func read(_ data: Data, path: String) throws -> RunReport {
        let decoder = JSONDecoder()
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw ReadError(path: path, reason: "not a JSON object (a Baton JSON report is `baton run`'s <implementation>.json)")
        }
        let format = (try? decoder.decode(FormatOnly.self, from: data))?.format
        guard format == Self.format else {
            throw ReadError(
                path: path, reason: "not a Baton JSON report (format \(format.map { "'\($0)'" } ?? "missing"), expected '\(Self.format)')")
        }
        do {
            return try decoder.decode(Envelope.self, from: data).report
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReadError(path: path, reason: "missing '\(key.stringValue)' at \(Self.where(context))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context), let DecodingError.dataCorrupted(context) {
            throw ReadError(path: path, reason: "\(context.debugDescription) at \(Self.where(context))")
        }
    }

    /// Reads the report at `path`.
    public static func read(contentsOf path: String) throws -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReadError(path: path, reason: "cannot be read") }
        return try read(data, path: path)
    }

    static func `where`(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top level" : String(path.drop { $0 == "." })
    }
}
