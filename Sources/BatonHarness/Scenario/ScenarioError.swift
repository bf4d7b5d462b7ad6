/// A mistake in a scenario file, located precisely: file, line, column and field path.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The field path, e.g. `steps[2].delegate.scopes`.
    public var field: String
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `file:line:column: field: message`, the form editors and CI annotate.
    public var description: String {
        "\(file):\(line):\(column): \(field.isEmpty ? "" : "\(field): ")\(message)"
    }
}
