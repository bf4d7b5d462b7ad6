/// RFC 3339 rendering of Biscuit dates, as the reference prints them.
enum PrinterDate {
    /// Seconds of 0000-01-01T00:00:00Z relative to the Unix epoch.
    static let minimumSeconds: Int64 = -62_167_219_200
    /// Seconds of 9999-12-31T23:59:59Z relative to the Unix epoch.
    static let maximumSeconds: Int64 = 253_402_300_799

    /// Text printed for a date the reference cannot format.
    static let invalid = "<invalid date>"

    /// Formats a date term's value, e.g. `2030-01-01T00:00:00Z`.
    ///
    /// The reference reinterprets the unsigned value as a signed timestamp and
    /// only formats years 0 through 9999; anything else prints `<invalid date>`.
    static func format(_ value: UInt64) -> String {
        let seconds = Int64(bitPattern: value)
        guard seconds >= minimumSeconds, seconds <= maximumSeconds else { return invalid }

        let days = floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let hour = secondOfDay / 3600
        let minute = (secondOfDay % 3600) / 60
        let second = secondOfDay % 60

        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
            + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + "Z"
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Proleptic Gregorian calendar date of a day count relative to 1970-01-01.
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
