/// Python's `repr(float)`, which `json.dumps` writes for every float.
///
/// Both Python and Swift print the shortest digit string that reads back as the same double (and,
/// among those, the one closest to it), so the digits are taken from Swift's `description` and only
/// the layout is Python's: positional notation when the decimal exponent `e` (value = 0.d₁d₂… × 10ᵉ)
/// satisfies -4 < e ≤ 16, with `.0` added to whole numbers, else `d.ddde±XX` with at least two
/// exponent digits. Infinities and NaN (which JSON cannot carry) are `Infinity`, `-Infinity`, `NaN`
/// as in `json.dumps`.
enum PythonFloat {
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        let sign = value.sign == .minus ? "-" : ""
        var (digits, point) = shortestDigits(of: value.magnitude)
        guard !digits.isEmpty else { return sign + "0.0" }
        if point <= -4 || point > 16 {
            let exponent = point - 1
            let magnitude = String(abs(exponent))
            let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count {
            digits += String(repeating: "0", count: point - digits.count)
            return sign + digits + ".0"
        }
        return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }

    /// The significant digits of Swift's shortest round-trip form of a finite, non-negative value,
    /// without leading or trailing zeros, and the position of the decimal point relative to them
    /// (value = 0.digits × 10^point); no digits for zero.
    static func shortestDigits(of value: Double) -> (digits: String, point: Int) {
        let text = value.description  // e.g. "0.1", "1e-05", "1.5e+300", "100.0"
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = String(mantissa[0])
        var digits = whole + (mantissa.count == 2 ? String(mantissa[1]) : "")
        var point = whole.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, point)
    }
}
