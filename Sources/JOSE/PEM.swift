/// Minimal PEM (RFC 7468) armor: one block, standard base64 body in lines.
public enum PEM {
    /// Wraps DER bytes in a PEM block with 64-character lines and a trailing newline.
    public static func encode(der: [UInt8], label: String) -> String {
        let body = StandardBase64.encode(der)
        var lines = ["-----BEGIN \(label)-----"]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Extracts the label and DER bytes of the single PEM block in `text`.
    /// Text outside the block is not allowed apart from surrounding whitespace.
    public static func decode(_ text: String) throws -> (label: String, der: [UInt8]) {
        guard text.utf8.count <= 64 * 1024 else { throw JOSEError.invalidPEM("too large") }
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(inSet: " \t") }
            .filter { !$0.isEmpty }
        guard let first = lines.first, let last = lines.last, lines.count >= 2,
            first.hasPrefix("-----BEGIN "), first.hasSuffix("-----"),
            last.hasPrefix("-----END "), last.hasSuffix("-----")
        else { throw JOSEError.invalidPEM("missing BEGIN/END lines") }
        let label = String(first.dropFirst(11).dropLast(5))
        let endLabel = String(last.dropFirst(9).dropLast(5))
        guard label == endLabel else { throw JOSEError.invalidPEM("BEGIN \(label) does not match END \(endLabel)") }
        let body = lines.dropFirst().dropLast().joined()
        guard !body.isEmpty else { throw JOSEError.invalidPEM("empty body") }
        return (label, try StandardBase64.decode(body))
    }
}

extension Substring {
    fileprivate func trimmingCharacters(inSet chars: String) -> String {
        var s = self
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
