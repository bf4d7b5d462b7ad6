/// An error found while parsing Datalog text.
///
/// `code` is a stable identifier meant for programs and tests; `message` is
/// for people. `line` and `column` are 1-based and count Unicode scalars.
///
/// Codes in use:
/// - `unexpected_token`: the text does not fit the grammar here
/// - `missing_semicolon`: a statement is not followed by `;`
/// - `unterminated_string`, `invalid_escape`: bad string literal
/// - `unterminated_comment`: a `/*` comment without `*/`
/// - `invalid_integer`: an integer literal outside the signed 64-bit range
/// - `invalid_date`: a date that is not a valid RFC 3339 timestamp at or after the epoch
/// - `invalid_hex`: `hex:` bytes or a key with an odd number of digits
/// - `invalid_public_key`: a `trusting` key of the wrong length for its algorithm
/// - `invalid_set`: a set mixing element types
/// - `variable_in_fact`, `variable_in_set`: a variable where only values are allowed
/// - `parameters_unsupported`: a `{name}` parameter (not supported by this library)
/// - `policy_in_block`: an `allow if` / `deny if` policy in token block code
/// - `unbound_variable`: a rule using a variable that no body predicate binds
/// - `nesting_too_deep`: too many nested parentheses, collections or negations
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable error identifier, e.g. `"unexpected_token"`.
    public var code: String
    /// Human-readable explanation.
    public var message: String
    /// 1-based line of the error.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the error.
    public var column: Int

    /// An error at `line`:`column`.
    public init(code: String, message: String, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }

    /// `line:column: code: message`.
    public var description: String { "\(line):\(column): \(code): \(message)" }
}
