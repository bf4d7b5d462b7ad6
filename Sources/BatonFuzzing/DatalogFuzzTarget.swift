import BatonCrypto
import Biscuit

/// Fuzz target `datalog`: bytes as Datalog text (invalid UTF-8 is replaced).
///
/// Parses the text as block code, authorizer code, and a single fact, rule,
/// check, policy and expression. Whatever parses is printed, and the print is
/// parsed again. Block code is minted into a token (fixed key) and decoded back;
/// authorizer code is run, with small limits, on that token's block if there is one.
///
/// Invariants (each a ``FuzzFailure`` code):
/// - `print_does_not_parse`: the printed form of a parsed value parses again;
/// - `print_not_stable`: printing the re-parsed value gives the same bytes;
/// - `print_changes_meaning`: the re-parsed value equals the original;
/// - `encoding_not_decodable`, `encoding_changes_meaning`: a block minted into a token decodes to itself;
/// - `invalid_expression_printed`: a parsed expression never prints as `<invalid expression>`;
/// - `undocumented_error`: every `ParseError` has a documented code and a 1-based position.
///
/// Strings are printed verbatim, as the reference printer does, so a value holding
/// a string with `"` or `\` (written with escapes) cannot round-trip; such values
/// are only printed, not re-parsed.
public enum DatalogFuzzTarget {
    /// Small Datalog limits: fuzzing looks for crashes, not for long runs.
    public static let limits = RunLimits(maxFacts: 100, maxIterations: 10, maxTime: .milliseconds(50))

    /// The error codes `ParseError` documents.
    public static let documentedErrorCodes: Set<String> = [
        "unexpected_token", "missing_semicolon", "unterminated_string", "invalid_escape", "unterminated_comment",
        "invalid_integer", "invalid_date", "invalid_hex", "invalid_public_key", "invalid_set", "variable_in_fact",
        "variable_in_set", "parameters_unsupported", "policy_in_block", "unbound_variable", "nesting_too_deep",
    ]

    @discardableResult
    public static func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        var report = FuzzReport()
        let text = String(decoding: data, as: UTF8.self)

        let block = try parse("block", text, &report) { (s) throws(ParseError) in try DatalogParser.parseBlock(s) }
        if let block {
            try roundTrip(
                "block", block, &report, print: { DatalogPrinter.printBlock($0, includingScopes: true) },
                parse: { (s) throws(ParseError) in try DatalogParser.parseBlock(s) })
            // Block-level scopes are left out of the reference form.
            _ = DatalogPrinter.printBlock(block)
        }
        let blocks = try block.map { (b) throws(FuzzFailure) in try encode(b, &report) } ?? []
        if let authorizer = try parse("authorizer", text, &report, { (s) throws(ParseError) in try DatalogParser.parseAuthorizer(s) }) {
            try roundTrip(
                "authorizer", authorizer, &report, print: DatalogPrinter.printAuthorizer,
                parse: { (s) throws(ParseError) in try DatalogParser.parseAuthorizer(s) })
            run(authorizer, blocks: blocks, &report)
        }
        if let fact = try parse("fact", text, &report, { (s) throws(ParseError) in try DatalogParser.parseFact(s) }) {
            try roundTrip("fact", fact, &report, print: DatalogPrinter.print, parse: { (s) throws(ParseError) in try DatalogParser.parseFact(s) })
        }
        if let rule = try parse("rule", text, &report, { (s) throws(ParseError) in try DatalogParser.parseRule(s) }) {
            try roundTrip("rule", rule, &report, print: DatalogPrinter.print, parse: { (s) throws(ParseError) in try DatalogParser.parseRule(s) })
        }
        if let check = try parse("check", text, &report, { (s) throws(ParseError) in try DatalogParser.parseCheck(s) }) {
            try roundTrip("check", check, &report, print: DatalogPrinter.print, parse: { (s) throws(ParseError) in try DatalogParser.parseCheck(s) })
        }
        if let policy = try parse("policy", text, &report, { (s) throws(ParseError) in try DatalogParser.parsePolicy(s) }) {
            try roundTrip(
                "policy", policy, &report, print: DatalogPrinter.print, parse: { (s) throws(ParseError) in try DatalogParser.parsePolicy(s) })
        }
        if let expression = try parse("expression", text, &report, { (s) throws(ParseError) in try DatalogParser.parseExpression(s) }) {
            guard DatalogPrinter.printIfValid(expression) != nil else {
                throw failure("invalid_expression_printed", "the parsed expression \(text.prefix(80)) prints as \(DatalogPrinter.invalidExpression)")
            }
            try roundTrip(
                "expression", expression, &report, print: DatalogPrinter.print,
                parse: { (s) throws(ParseError) in try DatalogParser.parseExpression(s) })
        }
        return report
    }

    // MARK: - Steps

    /// Parses with `body`; a `ParseError` must be documented and located.
    static func parse<T>(
        _ kind: String, _ text: String, _ report: inout FuzzReport,
        _ body: (String) throws(ParseError) -> T
    ) throws(FuzzFailure) -> T? {
        do {
            let value = try body(text)
            report.reach(kind)
            return value
        } catch {
            guard documentedErrorCodes.contains(error.code) else {
                throw failure("undocumented_error", "parsing a \(kind) failed with the undocumented code '\(error.code)': \(error)")
            }
            guard error.line >= 1, error.column >= 1 else {
                throw failure("undocumented_error", "parsing a \(kind) failed at an invalid position: \(error)")
            }
            return nil
        }
    }

    /// Prints `value`, parses the print, and checks the result is the same value, printed the same.
    static func roundTrip<T: Equatable & DatalogStrings>(
        _ kind: String, _ value: T, _ report: inout FuzzReport,
        print: (T) -> String,
        parse: (String) throws(ParseError) -> T
    ) throws(FuzzFailure) {
        let printed = print(value)
        guard !value.hasUnprintableString else { return }
        let again: T
        do { again = try parse(printed) } catch {
            throw failure("print_does_not_parse", "the printed \(kind) does not parse (\(error)): \(printed.prefix(200))")
        }
        let reprinted = print(again)
        guard Array(reprinted.utf8) == Array(printed.utf8) else {
            throw failure(
                "print_not_stable", "the printed \(kind) prints differently once re-parsed: \(printed.prefix(200)) → \(reprinted.prefix(200))")
        }
        guard again == value else {
            throw failure("print_changes_meaning", "the printed \(kind) parses to a different value: \(printed.prefix(200))")
        }
        report.reach("round_trip")
    }

    /// Mints a token whose authority block is `block` and decodes it again; the
    /// decoded Datalog must be the block. Returns the decoded blocks (none when the
    /// block cannot be encoded).
    static func encode(_ block: BlockSource, _ report: inout FuzzReport) throws(FuzzFailure) -> [DecodedBlock] {
        guard let token = try? BiscuitToken.mint(authority: block, root: FuzzKeys.aipRoot, nextKey: nextKey) else { return [] }
        let decoded: [DecodedBlock]
        do { decoded = try BiscuitToken(bytes: token.serialized()).decodedBlocks() } catch {
            throw failure("encoding_not_decodable", "a minted block does not decode: \(error)")
        }
        guard decoded.count == 1, decoded[0].source == block else {
            throw failure("encoding_changes_meaning", "the block decoded from a minted token differs from the parsed block")
        }
        report.reach("encoded")
        return decoded
    }

    /// The next-block key of minted tokens (fixed: runs must be reproducible).
    static let nextKey = Ed25519.PrivateKey.derived(from: "baton-fuzz:datalog-next")

    /// Runs authorizer code on the blocks of the minted token, if any.
    static func run(_ source: BlockSource, blocks: [DecodedBlock], _ report: inout FuzzReport) {
        let authorizer = Authorizer(source: source, limits: limits)
        let result = authorizer.run(blocks: blocks)
        if case .success = result.result { report.reach("authorized") }
        if let world = result.world { _ = world.facts.count }
    }

    static func failure(_ code: String, _ message: String) -> FuzzFailure {
        FuzzFailure(target: .datalog, code: code, message: message)
    }
}
