/// Splits a command line the way a POSIX shell splits simple words: whitespace
/// separates words; single quotes keep everything literally; double quotes keep
/// spaces and honour `\"`, `\\`, `\$`, `` \` ``; a backslash outside quotes escapes
/// the next character.
///
/// Anything beyond simple words (pipes, redirections, `;`, `&`, substitutions,
/// globs, variables, leading `NAME=value` assignments) makes `split` return nil:
/// such a line must be run by `/bin/sh -c`.
enum ShellWords {
    static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = Array(line)[...]
        let special: Set<Character> = ["|", "&", ";", "<", ">", "(", ")", "$", "`", "*", "?", "[", "~", "#", "{", "}"]
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                guard let end = chars.firstIndex(of: "'") else { return nil }
                current += String(chars[..<end])
                chars = chars[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\"" { closed = true; break }
                    if d == "$" || d == "`" { return nil }
                    if d == "\\", let next = chars.first, ["\"", "\\", "$", "`"].contains(next) {
                        current.append(next)
                        chars = chars.dropFirst()
                    } else {
                        current.append(d)
                    }
                }
                guard closed else { return nil }
            case "\\":
                guard let next = chars.popFirst() else { return nil }
                inWord = true
                current.append(next)
            default:
                if special.contains(c) { return nil }
                if c == "=" && words.isEmpty && inWord { return nil }
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words.isEmpty ? nil : words
    }
}
