/// A small, linear-time regular expression matcher for the `.matches()` operator.
///
/// It follows the reference's `regex` crate: unanchored search, Unicode-aware
/// classes, no backreferences or look-around, and an invalid pattern simply
/// does not match. Matching simulates an NFA (Pike VM) over Unicode scalars, so
/// hostile patterns cannot cause exponential backtracking; programs larger than
/// ``maxProgramSize`` are rejected (no match).
///
/// Supported: literals and escapes (`\n \t \r \f \v \a \x7F \x{…} \u{…}` and
/// escaped punctuation), `.`, classes `[…]` with ranges, negation, nested
/// classes and `[:ascii:]` names, `\d \D \s \S \w \W`, anchors `^ $ \A \z \b \B`,
/// groups `(…)`, `(?:…)`, `(?P<n>…)`, `(?<n>…)`, flags `(?imsxU-imsxU)` and
/// `(?flags:…)`, alternation, and the quantifiers `* + ? {n} {n,} {n,m}`
/// (greedy or lazy). Unsupported (pattern rejected): `\p{…}` Unicode classes
/// and class set operations (`&&`, `--`, `~~`).
enum DatalogRegex {
    static let maxProgramSize = 20_000
    static let maxNesting = 250

    /// True when `pattern` is valid and matches somewhere in `text`.
    static func matches(pattern: String, in text: String) -> Bool {
        guard let program = compile(pattern) else { return false }
        return program.search(Array(text.unicodeScalars))
    }

    static func compile(_ pattern: String) -> Program? {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let node = try? parser.parseAll() else { return nil }
        var compiler = Compiler()
        guard (try? compiler.emit(node)) != nil else { return nil }
        compiler.insts.append(.match)
        guard compiler.insts.count <= maxProgramSize else { return nil }
        return Program(insts: compiler.insts, classes: compiler.classes)
    }

    // MARK: - AST

    struct RegexError: Error {}

    enum Assertion: Equatable {
        case textStart, textEnd, lineStart, lineEnd, wordBoundary, notWordBoundary
    }

    indirect enum Node {
        case empty
        case scalar(UInt32, caseInsensitive: Bool)
        case any(dotAll: Bool)
        case charClass(CharClass)
        case concat([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)
        case assertion(Assertion)
    }

    enum Perl: Equatable {
        case digit, space, word
        func test(_ c: UInt32) -> Bool {
            switch self {
            case .digit: return DatalogRegex.isDigit(c)
            case .space: return DatalogRegex.isSpace(c)
            case .word: return DatalogRegex.isWord(c)
            }
        }
    }

    struct CharClass {
        var ranges: [ClosedRange<UInt32>] = []
        var perl: [(Perl, negated: Bool)] = []
        var nested: [CharClass] = []
        var negated = false
        var caseInsensitive = false

        func test(_ c: UInt32) -> Bool {
            var hit = rawTest(c)
            if !hit && caseInsensitive {
                for v in DatalogRegex.caseVariants(c) where v != c && rawTest(v) { hit = true; break }
            }
            return hit != negated
        }

        private func rawTest(_ c: UInt32) -> Bool {
            for r in ranges where r.contains(c) { return true }
            for (p, neg) in perl where p.test(c) != neg { return true }
            for n in nested where n.test(c) { return true }
            return false
        }
    }

    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotAll = false
        var verbose = false
    }

    // MARK: - Parser

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var flags = Flags()
        var depth = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        mutating func parseAll() throws -> Node {
            let n = try parseAlternation()
            guard atEnd else { throw RegexError() }
            return n
        }

        mutating func skipVerbose() {
            guard flags.verbose else { return }
            while let c = peek() {
                if c.properties.isWhitespace { i += 1; continue }
                if c == "#" {
                    while let d = peek(), d != "\n" { i += 1 }
                    continue
                }
                break
            }
        }

        mutating func parseAlternation() throws -> Node {
            depth += 1
            defer { depth -= 1 }
            guard depth <= DatalogRegex.maxNesting else { throw RegexError() }
            let saved = flags
            var branches = [try parseConcat()]
            while peek() == "|" {
                i += 1
                branches.append(try parseConcat())
            }
            flags = saved
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcat() throws -> Node {
            var items: [Node] = []
            while true {
                skipVerbose()
                guard let c = peek(), c != "|", c != ")" else { break }
                if let atom = try parseAtom() {
                    items.append(try parseQuantifiers(atom))
                }
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
        }

        mutating func parseQuantifiers(_ atom: Node) throws -> Node {
            var node = atom
            var quantified = false
            while true {
                skipVerbose()
                guard let c = peek() else { break }
                var min = 0, max: Int? = nil
                switch c {
                case "*": i += 1
                case "+": i += 1; min = 1
                case "?": i += 1; max = 1
                case "{":
                    guard let (lo, hi) = try parseCounted() else { return node }
                    min = lo; max = hi
                default: return node
                }
                // A quantifier cannot follow another quantifier directly.
                if quantified { throw RegexError() }
                if peek() == "?" { i += 1 }  // lazy: irrelevant for a yes/no match
                node = .repetition(node, min: min, max: max)
                quantified = true
            }
            return node
        }

        /// Parses `{n}`, `{n,}` or `{n,m}` at `{`.
        mutating func parseCounted() throws -> (Int, Int?)? {
            var j = i + 1
            func number(_ j: inout Int) -> Int? {
                var v = 0, digits = 0
                while j < s.count, let d = Int(String(s[j])), s[j].isASCII {
                    v = v * 10 + d
                    digits += 1
                    if v > 100_000 { return nil }
                    j += 1
                }
                return digits > 0 ? v : nil
            }
            guard let lo = number(&j) else { throw RegexError() }
            var hi: Int? = lo
            if j < s.count, s[j] == "," {
                j += 1
                if j < s.count, s[j] == "}" {
                    hi = nil
                } else {
                    guard let h = number(&j) else { throw RegexError() }
                    hi = h
                }
            }
            guard j < s.count, s[j] == "}" else { throw RegexError() }
            if let h = hi, h < lo { throw RegexError() }
            i = j + 1
            return (lo, hi)
        }

        mutating func parseAtom() throws -> Node? {
            guard let c = peek() else { throw RegexError() }
            switch c {
            case "(":
                i += 1
                return try parseGroup()
            case "[":
                i += 1
                return .charClass(try parseClass())
            case ".":
                i += 1
                return .any(dotAll: flags.dotAll)
            case "^":
                i += 1
                return .assertion(flags.multiLine ? .lineStart : .textStart)
            case "$":
                i += 1
                return .assertion(flags.multiLine ? .lineEnd : .textEnd)
            case "\\":
                i += 1
                return try parseEscape(inClass: false)
            case "*", "+", "?", "{":
                throw RegexError()
            default:
                i += 1
                return literal(c.value)
            }
        }

        func literal(_ v: UInt32) -> Node {
            .scalar(v, caseInsensitive: flags.caseInsensitive && DatalogRegex.caseVariants(v).count > 1)
        }

        mutating func parseGroup() throws -> Node? {
            if peek() == "?" {
                i += 1
                if peek() == "P" || (peek() == "<" && peek(1) != "=" && peek(1) != "!") {
                    // Named group.
                    if peek() == "P" { i += 1 }
                    guard peek() == "<" else { throw RegexError() }
                    i += 1
                    var nameLength = 0
                    while let c = peek(), c != ">" {
                        guard c == "_" || c.properties.isAlphabetic || (c.isASCII && Int(String(c)) != nil) || c == "." || c == "[" || c == "]" else {
                            throw RegexError()
                        }
                        i += 1
                        nameLength += 1
                    }
                    guard peek() == ">", nameLength > 0 else { throw RegexError() }
                    i += 1
                    return try finishGroup()
                }
                // Flags: (?flags) or (?flags:...)
                var negate = false
                var newFlags = flags
                var sawFlag = false
                while let c = peek() {
                    switch c {
                    case "i": newFlags.caseInsensitive = !negate
                    case "m": newFlags.multiLine = !negate
                    case "s": newFlags.dotAll = !negate
                    case "x": newFlags.verbose = !negate
                    case "U", "R", "u": break
                    case "-":
                        if negate { throw RegexError() }
                        negate = true
                        i += 1
                        continue
                    case ":":
                        i += 1
                        let saved = flags
                        flags = newFlags
                        let n = try finishGroup()
                        flags = saved
                        return n
                    case ")":
                        guard sawFlag || !negate else { throw RegexError() }
                        i += 1
                        flags = newFlags
                        return nil
                    default:
                        throw RegexError()
                    }
                    sawFlag = true
                    i += 1
                }
                throw RegexError()
            }
            return try finishGroup()
        }

        mutating func finishGroup() throws -> Node {
            let saved = flags
            let n = try parseAlternation()
            flags = saved
            guard peek() == ")" else { throw RegexError() }
            i += 1
            return n
        }

        mutating func parseClass() throws -> CharClass {
            depth += 1
            defer { depth -= 1 }
            guard depth <= DatalogRegex.maxNesting else { throw RegexError() }
            var cls = CharClass()
            cls.caseInsensitive = flags.caseInsensitive
            if peek() == "^" { cls.negated = true; i += 1 }
            var first = true
            while true {
                guard let c = peek() else { throw RegexError() }
                if c == "]" && !first { i += 1; break }
                first = false
                if c == "[" {
                    if peek(1) == ":" {
                        if let named = try parseAsciiClass() { cls.nested.append(named); continue }
                    }
                    i += 1
                    cls.nested.append(try parseClass())
                    continue
                }
                if (c == "&" && peek(1) == "&") || (c == "-" && peek(1) == "-") || (c == "~" && peek(1) == "~") {
                    throw RegexError()  // class set operations are not supported
                }
                // One item, possibly the start of a range.
                guard let lo = try parseClassScalar(into: &cls) else { continue }
                if peek() == "-", let next = peek(1), next != "]" {
                    i += 1
                    var dummy = CharClass()
                    guard let hi = try parseClassScalar(into: &dummy), lo <= hi else { throw RegexError() }
                    cls.ranges.append(lo...hi)
                } else {
                    cls.ranges.append(lo...lo)
                }
            }
            return cls
        }

        /// Parses one class member: returns a scalar, or nil after adding a Perl class to `cls`.
        mutating func parseClassScalar(into cls: inout CharClass) throws -> UInt32? {
            guard let c = peek() else { throw RegexError() }
            i += 1
            if c != "\\" { return c.value }
            guard let e = peek() else { throw RegexError() }
            switch e {
            case "d", "D", "s", "S", "w", "W":
                i += 1
                cls.perl.append(Self.perlClass(e))
                return nil
            default:
                guard case let .scalar(v, _)? = try parseEscape(inClass: true) else { throw RegexError() }
                return v
            }
        }

        static func perlClass(_ e: Unicode.Scalar) -> (Perl, negated: Bool) {
            switch e {
            case "d": return (.digit, false)
            case "D": return (.digit, true)
            case "s": return (.space, false)
            case "S": return (.space, true)
            case "w": return (.word, false)
            default: return (.word, true)
            }
        }

        mutating func parseAsciiClass() throws -> CharClass? {
            // At "[:"; find ":]".
            var j = i + 2
            var negated = false
            if j < s.count, s[j] == "^" { negated = true; j += 1 }
            var name = ""
            while j < s.count, s[j] != ":" { name.unicodeScalars.append(s[j]); j += 1 }
            guard j + 1 < s.count, s[j + 1] == "]" else { return nil }
            var cls = CharClass()
            func add(_ a: UInt32, _ b: UInt32) { cls.ranges.append(a...b) }
            switch name {
            case "alnum": add(48, 57); add(65, 90); add(97, 122)
            case "alpha": add(65, 90); add(97, 122)
            case "ascii": add(0, 127)
            case "blank": add(9, 9); add(32, 32)
            case "cntrl": add(0, 31); add(127, 127)
            case "digit": add(48, 57)
            case "graph": add(33, 126)
            case "lower": add(97, 122)
            case "print": add(32, 126)
            case "punct": add(33, 47); add(58, 64); add(91, 96); add(123, 126)
            case "space": add(9, 13); add(32, 32)
            case "upper": add(65, 90)
            case "word": add(48, 57); add(65, 90); add(97, 122); add(95, 95)
            case "xdigit": add(48, 57); add(65, 70); add(97, 102)
            default: throw RegexError()
            }
            cls.negated = negated
            cls.caseInsensitive = flags.caseInsensitive
            i = j + 2
            return cls
        }

        /// Parses an escape after the backslash.
        mutating func parseEscape(inClass: Bool) throws -> Node? {
            guard let e = peek() else { throw RegexError() }
            i += 1
            switch e {
            case "n": return .scalar(10, caseInsensitive: false)
            case "t": return .scalar(9, caseInsensitive: false)
            case "r": return .scalar(13, caseInsensitive: false)
            case "f": return .scalar(12, caseInsensitive: false)
            case "v": return .scalar(11, caseInsensitive: false)
            case "a": return .scalar(7, caseInsensitive: false)
            case "x": return literal(try parseHex(fixed: 2))
            case "u": return literal(try parseHex(fixed: 4))
            case "U": return literal(try parseHex(fixed: 8))
            case "d", "D", "s", "S", "w", "W":
                var cls = CharClass()
                cls.perl.append(Self.perlClass(e))
                return .charClass(cls)
            case "A" where !inClass: return .assertion(.textStart)
            case "z" where !inClass: return .assertion(.textEnd)
            case "b" where !inClass: return .assertion(.wordBoundary)
            case "B" where !inClass: return .assertion(.notWordBoundary)
            default:
                // Any escaped ASCII character that is neither a letter nor a digit is a literal.
                if e.isASCII && !e.properties.isAlphabetic && !(48...57).contains(e.value) && e != " " || (flags.verbose && e == " ") {
                    return literal(e.value)
                }
                throw RegexError()
            }
        }

        mutating func parseHex(fixed: Int) throws -> UInt32 {
            var digits = ""
            if peek() == "{" {
                i += 1
                while let c = peek(), c != "}" { digits.unicodeScalars.append(c); i += 1 }
                guard peek() == "}" else { throw RegexError() }
                i += 1
                guard !digits.isEmpty, digits.count <= 8 else { throw RegexError() }
            } else {
                for _ in 0..<fixed {
                    guard let c = peek() else { throw RegexError() }
                    digits.unicodeScalars.append(c)
                    i += 1
                }
            }
            guard let v = UInt32(digits, radix: 16), Unicode.Scalar(v) != nil else { throw RegexError() }
            return v
        }
    }

    // MARK: - Compiler

    enum Inst {
        case scalar(UInt32)
        case any(dotAll: Bool)
        case charClass(Int)
        case split(Int, Int)
        case jump(Int)
        case assert(Assertion)
        case match
    }

    struct Compiler {
        var insts: [Inst] = []
        var classes: [CharClass] = []

        mutating func emit(_ node: Node) throws {
            guard insts.count <= DatalogRegex.maxProgramSize else { throw RegexError() }
            switch node {
            case .empty:
                break
            case let .scalar(v, ci):
                if ci {
                    var folded = CharClass()
                    for variant in DatalogRegex.caseVariants(v) { folded.ranges.append(variant...variant) }
                    classes.append(folded)
                    insts.append(.charClass(classes.count - 1))
                } else {
                    insts.append(.scalar(v))
                }
            case let .any(dotAll):
                insts.append(.any(dotAll: dotAll))
            case let .charClass(c):
                classes.append(c)
                insts.append(.charClass(classes.count - 1))
            case let .concat(items):
                for n in items { try emit(n) }
            case let .alternation(branches):
                // split L1, next; L1: b0; jump end; next: split L2, ...
                var jumps: [Int] = []
                for (k, b) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = insts.count
                        insts.append(.split(split + 1, 0))
                        try emit(b)
                        jumps.append(insts.count)
                        insts.append(.jump(0))
                        insts[split] = .split(split + 1, insts.count)
                    } else {
                        try emit(b)
                    }
                }
                for j in jumps { insts[j] = .jump(insts.count) }
            case let .repetition(n, min, max):
                for _ in 0..<min { try emit(n) }
                if let max {
                    // (n(n(...)?)?)? for the optional copies
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(insts.count)
                        insts.append(.split(insts.count + 1, 0))
                        try emit(n)
                    }
                    for sp in splits { insts[sp] = .split(sp + 1, insts.count) }
                } else {
                    let loop = insts.count
                    insts.append(.split(loop + 1, 0))
                    try emit(n)
                    insts.append(.jump(loop))
                    insts[loop] = .split(loop + 1, insts.count)
                }
            case let .assertion(a):
                insts.append(.assert(a))
            }
        }
    }

    // MARK: - Pike VM

    struct Program {
        let insts: [Inst]
        let classes: [CharClass]

        /// Unanchored search: true when the program matches some substring.
        func search(_ text: [Unicode.Scalar]) -> Bool {
            let n = insts.count
            var current = SparseSet(capacity: n)
            var next = SparseSet(capacity: n)
            var stack: [Int] = []
            stack.reserveCapacity(16)
            var pos = 0
            while true {
                let prev: UInt32? = pos > 0 ? text[pos - 1].value : nil
                let here: UInt32? = pos < text.count ? text[pos].value : nil
                // Start a new thread at every position (unanchored search).
                if addThread(0, to: &current, prev: prev, here: here, stack: &stack) { return true }
                if current.isEmpty || here == nil { return false }
                guard let c = here else { return false }
                next.clear()
                let nextPrev: UInt32? = c
                let nextHere: UInt32? = pos + 1 < text.count ? text[pos + 1].value : nil
                for k in 0..<current.count {
                    let pc = current.dense[k]
                    let advance: Bool
                    switch insts[pc] {
                    case let .scalar(v): advance = v == c
                    case let .any(dotAll): advance = dotAll || c != 10
                    case let .charClass(idx): advance = classes[idx].test(c)
                    default: advance = false
                    }
                    if advance, addThread(pc + 1, to: &next, prev: nextPrev, here: nextHere, stack: &stack) {
                        return true
                    }
                }
                swap(&current, &next)
                pos += 1
            }
        }

        /// Adds `pc` and its epsilon closure; returns true when a match state is reached.
        private func addThread(_ start: Int, to set: inout SparseSet, prev: UInt32?, here: UInt32?, stack: inout [Int]) -> Bool {
            stack.removeAll(keepingCapacity: true)
            stack.append(start)
            while let pc = stack.popLast() {
                guard pc < insts.count, !set.contains(pc) else { continue }
                set.insert(pc)
                switch insts[pc] {
                case .match:
                    return true
                case let .jump(t):
                    stack.append(t)
                case let .split(a, b):
                    stack.append(b)
                    stack.append(a)
                case let .assert(a):
                    if DatalogRegex.holds(a, prev: prev, here: here) { stack.append(pc + 1) }
                default:
                    break
                }
            }
            return false
        }
    }

    struct SparseSet {
        var dense: [Int]
        var sparse: [Int]
        var count = 0

        init(capacity: Int) {
            dense = Array(repeating: 0, count: capacity)
            sparse = Array(repeating: 0, count: capacity)
        }

        var isEmpty: Bool { count == 0 }

        func contains(_ v: Int) -> Bool {
            let s = sparse[v]
            return s < count && dense[s] == v
        }

        mutating func insert(_ v: Int) {
            dense[count] = v
            sparse[v] = count
            count += 1
        }

        mutating func clear() { count = 0 }
    }

    // MARK: - Character predicates

    static func holds(_ a: Assertion, prev: UInt32?, here: UInt32?) -> Bool {
        switch a {
        case .textStart: return prev == nil
        case .textEnd: return here == nil
        case .lineStart: return prev == nil || prev == 10
        case .lineEnd: return here == nil || here == 10
        case .wordBoundary, .notWordBoundary:
            let before = prev.map(isWord) ?? false
            let after = here.map(isWord) ?? false
            return (before != after) == (a == .wordBoundary)
        }
    }

    static func isDigit(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    static func isSpace(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.isWhitespace
    }

    static func isWord(_ c: UInt32) -> Bool {
        if c < 128 {
            return (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) || c == 95
        }
        guard let s = Unicode.Scalar(c) else { return false }
        let p = s.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// The scalar and its simple lower/upper/title case variants.
    static func caseVariants(_ c: UInt32) -> [UInt32] {
        guard let s = Unicode.Scalar(c) else { return [c] }
        var result = [c]
        let p = s.properties
        for m in [p.lowercaseMapping, p.uppercaseMapping, p.titlecaseMapping] {
            let scalars = m.unicodeScalars
            if scalars.count == 1, let v = scalars.first?.value, !result.contains(v) { result.append(v) }
        }
        return result
    }
}
