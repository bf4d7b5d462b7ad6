import Foundation

/// An export: the vector files, the index and the schema, as the bytes `baton vectors export` writes.
public struct VectorSet: Hashable, Sendable {
    public var files: [VectorFile]
    public var index: VectorIndex

    public static let indexName = "index.json"
    public static let schemaName = "schema.json"

    /// Every file of the export by name, in name order: each profile's vectors, `index.json` and
    /// `schema.json`. JSON with sorted keys, two-space indentation and a final newline, so that the
    /// same export is the same bytes.
    public func encoded() throws -> [(name: String, bytes: [UInt8])] {
        var out = try files.map { (VectorExport.fileName($0.profile), try Self.json($0)) }
        out.append((Self.indexName, try Self.json(index)))
        out.append((Self.schemaName, Array(VectorSchema.text.utf8)))
        return out.sorted { $0.0 < $1.0 }
    }

    /// Writes ``encoded()`` into `directory` (created if needed).
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, bytes) in try encoded() {
            try Data(bytes).write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }

    /// How the files in `directory` differ from this export, one line per file, in name order: files
    /// that differ, are missing, or are JSON files the export does not make. Empty: they are current.
    public func differences(from directory: URL) throws -> [String] {
        let expected = try encoded()
        let names = Set(expected.map(\.name))
        var lines: [String] = []
        for (name, bytes) in expected {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                lines.append("\(name): missing")
                continue
            }
            if Array(data) != bytes { lines.append("\(name): differs from a fresh export (\(data.count) bytes on disk, \(bytes.count) exported)") }
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in present.sorted() where name.hasSuffix(".json") && !names.contains(name) {
            lines.append("\(name): not made by the export")
        }
        return lines
    }

    static func json<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }
}
