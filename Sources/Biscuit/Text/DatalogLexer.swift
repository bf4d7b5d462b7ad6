/// A failure inside the Datalog grammar.
///
/// A recoverable failure (`fatal == false`) lets the grammar backtrack and try
/// another alternative, as the reference parser's combinators do; a fatal one
/// aborts the whole parse (the reference's "cut" points, plus the errors that
/// no alternative could ever recover from).
struct DatalogFailure: Error {
    var fatal: Bool
    /// Index of the offending Unicode scalar in the source.
    var position: Int
    var code: String
    var message: String

    /// True for the catch-all code that a more specific error at the same place replaces.
    var isGeneric: Bool { code == "unexpected_token" }
}

/// Cursor over Datalog source text with the lexical primitives of the grammar:
/// white space, keywords, names, variables, strings, integers, dates and hex bytes.
///
/// It works on Unicode scalars (names follow the reference's quirky per-scalar rule)
/// and remembers the most relevant failure seen so far for error reporting.
final class DatalogLexer {
    let text: [Unicode.Scalar]
    var pos = 0
    /// The failure that went furthest into the text (specific codes win ties).
    private(set) var best: DatalogFailure?
    /// The last date-looking literal that failed to parse, with its extent.
    private(set) var dateHint: (start: Int, end: Int, failure: DatalogFailure)?

    init(_ source: String) {
        text = Array(source.unicodeScalars)
    }

    var atEnd: Bool { pos >= text.count }

    func scalar(at index: Int) -> Unicode.Scalar? {
        index >= 0 && index < text.count ? text[index] : nil
    }

    var current: Unicode.Scalar? { scalar(at: pos) }

    // MARK: Failures

    /// Creates (and remembers) a failure at `position` (default: the cursor).
    func failure(_ code: String, _ message: String, at position: Int? = nil, fatal: Bool = false) -> DatalogFailure {
        let f = DatalogFailure(fatal: fatal, position: position ?? pos, code: code, message: message)
        note(f)
        return f
    }

    /// Remembers `f` if it is more relevant than the best failure so far.
    func note(_ f: DatalogFailure) {
        guard let b = best else { best = f; return }
        if f.position > b.position || (f.position == b.position && b.isGeneric && !f.isGeneric) {
            best = f
        }
    }

    /// Forgets failures (used between independent statements).
    func resetFailures() {
        best = nil
        dateHint = nil
    }

    /// 1-based line and column of a scalar index.
    func lineColumn(of position: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var i = 0
        let end = min(position, text.count)
        while i < end {
            if text[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return (line, column)
    }

    /// A short, printable excerpt of the text at `position`, for messages.
    func excerpt(at position: Int) -> String {
        guard position < text.count else { return "end of input" }
        var out = String.UnicodeScalarView()
        var i = position
        while i < text.count, i < position + 12, text[i] != "\n" {
            out.append(text[i])
            i += 1
        }
        return "'" + String(out) + "'"
    }

    // MARK: Character classes

    static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static func isASCIIAlpha(byte b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// The reference tests letters and digits on the scalar truncated to a byte.
    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        let b = UInt8(truncatingIfNeeded: c.value)
        return isASCIIAlpha(byte: b) || (b >= 0x30 && b <= 0x39) || c == "_" || c == ":"
    }

    static func lowercased(_ b: UInt8) -> UInt8 { isASCIIAlpha(byte: b) ? b | 0x20 : b }

    static func isHexDigit(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: return true
        default: return false
        }
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }

    // MARK: Primitives

    /// Skips spaces, tabs and line breaks.
    func skipSpace() {
        while pos < text.count, Self.isSpace(text[pos]) { pos += 1 }
    }

    /// True when only white space remains.
    var onlySpaceRemains: Bool {
        var i = pos
        while i < text.count {
            if !Self.isSpace(text[i]) { return false }
            i += 1
        }
        return true
    }

    /// Consumes `c` if it is next.
    func eat(_ c: Unicode.Scalar) -> Bool {
        if current == c { pos += 1; return true }
        return false
    }

    /// True if `s` is next (exactly, or ignoring ASCII case).
    func looksAt(_ s: String, ignoringCase: Bool = false) -> Bool {
        var i = pos
        for c in s.unicodeScalars {
            guard i < text.count else { return false }
            let t = text[i]
            if ignoringCase {
                guard t.value < 128, Self.lowercased(UInt8(t.value)) == Self.lowercased(UInt8(c.value)) else { return false }
            } else if t != c {
                return false
            }
            i += 1
        }
        return true
    }

    /// Consumes `s` if it is next.
    func eat(_ s: String, ignoringCase: Bool = false) -> Bool {
        guard looksAt(s, ignoringCase: ignoringCase) else { return false }
        pos += s.unicodeScalars.count
        return true
    }

    /// Consumes `c` or fails (recoverably) saying what was expected.
    func expect(_ c: Unicode.Scalar, _ what: String? = nil) throws {
        guard eat(c) else {
            throw failure("unexpected_token", "expected \(what ?? "'\(c)'") but found \(excerpt(at: pos))")
        }
    }

    /// Consumes `s` or fails (recoverably).
    func expect(_ s: String) throws {
        guard eat(s) else {
            throw failure("unexpected_token", "expected '\(s)' but found \(excerpt(at: pos))")
        }
    }

    /// A name: one or more name characters (letters, digits, `_`, `:`).
    func name() throws -> String {
        let start = pos
        while pos < text.count, Self.isNameChar(text[pos]) { pos += 1 }
        guard pos > start else {
            throw failure("unexpected_token", "expected a name but found \(excerpt(at: pos))")
        }
        return string(from: start, to: pos)
    }

    func string(from start: Int, to end: Int) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: text[start..<end])
        return String(v)
    }

    /// `$name`, or nil if no `$` is next.
    func variable() throws -> String? {
        guard current == "$" else { return nil }
        let start = pos
        pos += 1
        do {
            return try name()
        } catch {
            pos = start
            throw failure("unexpected_token", "expected a variable name after '$'", at: start + 1)
        }
    }

    /// A parameter name as the reference accepts it (letter first), for `{name}`.
    func looksAtParameter() -> Bool {
        guard current == "{", let first = scalar(at: pos + 1), first.value < 128,
            Self.isASCIIAlpha(byte: UInt8(first.value))
        else { return false }
        var i = pos + 2
        while let c = scalar(at: i), Self.isNameChar(c) { i += 1 }
        return scalar(at: i) == "}"
    }

    /// Rejects a `{name}` parameter if one is next.
    func rejectParameter() throws {
        if looksAtParameter() {
            throw failure(
                "parameters_unsupported",
                "parameters such as \(excerpt(at: pos)) are not supported; substitute values before parsing",
                fatal: true)
        }
    }

    /// A string literal with `\\`, `\"` and `\n` escapes, or nil if no `"` is next.
    func stringLiteral() throws -> String? {
        guard current == "\"" else { return nil }
        let start = pos
        pos += 1
        var out = String.UnicodeScalarView()
        while true {
            guard pos < text.count else {
                throw failure("unterminated_string", "string literal is not terminated", at: start, fatal: true)
            }
            let c = text[pos]
            if c == "\"" {
                pos += 1
                return String(out)
            }
            if c == "\\" {
                switch scalar(at: pos + 1) {
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                case "n": out.append("\n")
                case nil:
                    throw failure("unterminated_string", "string literal is not terminated", at: start, fatal: true)
                default:
                    throw failure(
                        "invalid_escape", "invalid escape sequence in string (only \\\\, \\\" and \\n are allowed)",
                        at: pos, fatal: true)
                }
                pos += 2
                continue
            }
            out.append(c)
            pos += 1
        }
    }

    /// A decimal integer with an optional `-`, or nil if none is next.
    func integer() throws -> Int64? {
        let start = pos
        var i = pos
        let negative = scalar(at: i) == "-"
        if negative { i += 1 }
        let digitsStart = i
        while let c = scalar(at: i), Self.isASCIIDigit(c) { i += 1 }
        guard i > digitsStart else { return nil }
        var value: Int64 = 0
        for k in digitsStart..<i {
            let d = Int64(text[k].value - 0x30)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (r, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 {
                throw failure("invalid_integer", "integer literal does not fit in 64 bits", at: start, fatal: true)
            }
            value = r
        }
        pos = i
        return value
    }

    /// One or more hex digits decoded to bytes, or nil if no hex digit is next.
    func hexDigits() throws -> [UInt8]? {
        let start = pos
        var i = pos
        while let c = scalar(at: i), Self.isHexDigit(c) { i += 1 }
        guard i > start else { return nil }
        guard (i - start) % 2 == 0 else {
            throw failure("invalid_hex", "hex data has an odd number of digits", at: start, fatal: true)
        }
        var out = [UInt8]()
        out.reserveCapacity((i - start) / 2)
        var k = start
        while k < i {
            out.append(Self.hexValue(text[k]) << 4 | Self.hexValue(text[k + 1]))
            k += 2
        }
        pos = i
        return out
    }

    private static func hexValue(_ c: Unicode.Scalar) -> UInt8 {
        let v = UInt8(truncatingIfNeeded: c.value)
        switch v {
        case 0x30...0x39: return v - 0x30
        case 0x41...0x46: return v - 0x41 + 10
        default: return v - 0x61 + 10
        }
    }

    // MARK: Dates

    /// Characters that end a date literal in the reference grammar.
    static func isDateDelimiter(_ c: Unicode.Scalar) -> Bool {
        c == "," || c == " " || c == ")" || c == "]" || c == ";" || c == "}"
    }

    /// An RFC 3339 date (e.g. `2030-01-01T00:00:00Z`, `…+02:00`, fractions allowed)
    /// converted to seconds since the epoch, or nil if no valid date is next.
    ///
    /// Like the reference, the literal must run up to a delimiter (`, )];}` or a
    /// space), the date/time separator may be any single ASCII character, and
    /// dates before the epoch are not dates.
    func date() -> UInt64? {
        let start = pos
        var i = pos
        func digits(_ count: Int) -> Int? {
            var v = 0
            for _ in 0..<count {
                guard let c = scalar(at: i), Self.isASCIIDigit(c) else { return nil }
                v = v * 10 + Int(c.value - 0x30)
                i += 1
            }
            return v
        }
        func lit(_ c: Unicode.Scalar) -> Bool {
            if scalar(at: i) == c { i += 1; return true }
            return false
        }
        func hint(_ why: String) -> UInt64? {
            // Only remember failures of things that clearly meant to be a date.
            if let sep = scalar(at: start + 10), sep == "T" || sep == "t" {
                let f = DatalogFailure(
                    fatal: false, position: start, code: "invalid_date",
                    message: "invalid date: \(why)")
                dateHint = (start, max(i, start + 10), f)
            }
            return nil
        }
        guard let year = digits(4), lit("-"), let month = digits(2), lit("-"), let day = digits(2) else { return nil }
        guard let sep = scalar(at: i), sep.value < 128, !Self.isDateDelimiter(sep) else { return hint("missing time") }
        i += 1
        guard let hour = digits(2), lit(":"), let minute = digits(2), lit(":"), var second = digits(2) else {
            return hint("expected HH:MM:SS")
        }
        if lit(".") {
            guard digits(1) != nil else { return hint("expected fraction digits") }
            while let c = scalar(at: i), Self.isASCIIDigit(c) { i += 1 }
        }
        var offset = 0
        if let c = scalar(at: i), c == "Z" || c == "z" {
            i += 1
        } else if let c = scalar(at: i), c == "+" || c == "-" {
            i += 1
            guard let oh = digits(2), lit(":"), let om = digits(2) else { return hint("expected offset HH:MM") }
            guard oh <= 25, om <= 59 else { return hint("offset out of range") }
            offset = (oh * 3600 + om * 60) * (c == "-" ? -1 : 1)
        } else {
            return hint("expected 'Z' or an offset")
        }
        if let c = scalar(at: i), !Self.isDateDelimiter(c) { return hint("unexpected trailing characters") }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 60
        else { return hint("field out of range") }
        let leap = second == 60
        if leap { second = 59 }
        let local = Self.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        let utc = local - offset
        if leap {
            // A leap second must fall at 23:59:60 UTC on the last day of a month.
            let days = utc >= 0 ? utc / 86_400 : (utc - 86_399) / 86_400
            let (y, m, d) = Self.civilFromDays(days)
            guard utc - days * 86_400 == 86_399, d == Self.daysIn(month: m, year: y) else {
                return hint("invalid leap second")
            }
        }
        guard utc >= 0 else { return hint("dates before 1970 are not supported") }
        pos = i
        return UInt64(utc)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
