import Yams

/// A YAML node with the path that led to it, so that every read can fail with a
/// `ScenarioError` naming the file, line, column and field.
public struct YAMLField {
    public let node: Node?
    public let path: String
    public let file: String
    /// Where the parent was, for errors about missing keys.
    let fallbackMark: (line: Int, column: Int)

    init(node: Node?, path: String, file: String, fallback: (Int, Int)) {
        self.node = node
        self.path = path
        self.file = file
        self.fallbackMark = fallback
    }

    /// Parses a document.
    public static func document(_ text: String, file: String) throws -> YAMLField {
        if let (line, column, anchor) = YAMLAnchorCheck.firstAnchor(in: text) {
            throw ScenarioError(
                file: file, line: line, column: column, field: "",
                message: "YAML anchors and aliases are not supported in scenario files (found '\(anchor)')")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(file: file, line: 1, column: 1, field: "", message: "the file is empty")
            }
            return YAMLField(node: node, path: "", file: file, fallback: (1, 1))
        } catch let e as ScenarioError {
            throw e
        } catch let e as YamlError {
            throw ScenarioError(
                file: file, line: YAMLField.line(of: e), column: YAMLField.column(of: e), field: "",
                message: "not valid YAML: \(YAMLField.problem(of: e))")
        } catch {
            throw ScenarioError(file: file, line: 1, column: 1, field: "", message: "not valid YAML: \(error)")
        }
    }

    public var line: Int { node?.mark.map { $0.line } ?? fallbackMark.line }
    public var column: Int { node?.mark.map { $0.column } ?? fallbackMark.column }
    public var exists: Bool { node != nil && !isNull }

    public var isNull: Bool {
        guard case let .scalar(s)? = node else { return false }
        return s.style == .plain && (s.string == "null" || s.string == "~" || s.string.isEmpty)
    }

    /// An error at this field.
    public func error(_ message: String) -> ScenarioError {
        ScenarioError(file: file, line: line, column: column, field: path, message: message)
    }

    // MARK: navigation

    public subscript(key: String) -> YAMLField {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        guard case let .mapping(m)? = node else {
            return YAMLField(node: nil, path: childPath, file: file, fallback: (line, column))
        }
        return YAMLField(node: m[key], path: childPath, file: file, fallback: (line, column))
    }

    /// The keys of a mapping, in file order.
    public func keys() throws -> [String] {
        guard case let .mapping(m)? = node else { throw error("expected a mapping") }
        return try m.keys.map { k in
            guard let s = k.string else { throw error("mapping keys must be strings") }
            return s
        }
    }

    /// Fails on keys outside `allowed` (catches typos such as `scope:` for `scopes:`).
    public func rejectUnknownKeys(_ allowed: Set<String>) throws {
        guard case let .mapping(m)? = node else { return }
        for (k, _) in m {
            let name = k.string ?? "?"
            if !allowed.contains(name) {
                let hint = allowed.sorted().joined(separator: ", ")
                throw ScenarioError(
                    file: file, line: k.mark?.line ?? line, column: k.mark?.column ?? column,
                    field: path.isEmpty ? name : "\(path).\(name)", message: "unknown field (expected one of: \(hint))")
            }
        }
    }

    public func items() throws -> [YAMLField] {
        guard exists else { return [] }
        guard case let .sequence(s)? = node else { throw error("expected a list") }
        return s.enumerated().map { i, n in YAMLField(node: n, path: "\(path)[\(i)]", file: file, fallback: (line, column)) }
    }

    // MARK: scalars

    public func string() throws -> String {
        guard exists else { throw error("required field is missing") }
        guard case let .scalar(s)? = node else { throw error("expected a string") }
        return s.string
    }

    public func optionalString() throws -> String? { exists ? try string() : nil }

    public func int() throws -> Int {
        let s = try string()
        guard let v = Int(s) else { throw error("expected an integer, found \"\(s)\"") }
        return v
    }

    public func optionalInt() throws -> Int? { exists ? try int() : nil }

    public func bool() throws -> Bool {
        switch try string() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let s: throw error("expected true or false, found \"\(s)\"")
        }
    }

    public func optionalBool() throws -> Bool? { exists ? try bool() : nil }

    public func strings() throws -> [String] {
        if case .scalar? = node, exists { return [try string()] }
        return try items().map { try $0.string() }
    }

    // MARK: YamlError details

    static func line(of e: YamlError) -> Int {
        switch e {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        default: return 1
        }
    }

    static func column(of e: YamlError) -> Int {
        switch e {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.column
        default: return 1
        }
    }

    static func problem(of e: YamlError) -> String {
        switch e {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): return problem
        default: return "\(e)"
        }
    }
}
