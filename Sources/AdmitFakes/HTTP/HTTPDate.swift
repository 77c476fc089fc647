import AdmitCore

/// Formats HTTP dates (RFC 1123 / IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`).
enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// The IMF-fixdate of `timestamp`, truncated to whole seconds.
    static func format(_ timestamp: Timestamp) -> String {
        // ISO8601.format gives "YYYY-MM-DDTHH:MM:SS.mmmZ"; reuse its calendar arithmetic.
        let iso = Array(ISO8601.format(timestamp).utf8)
        func text(_ range: Range<Int>) -> String { String(decoding: iso[range], as: UTF8.self) }
        let yearEnd = iso.firstIndex(of: UInt8(ascii: "-"))!
        let year = text(0..<yearEnd)
        let month = Int(text((yearEnd + 1)..<(yearEnd + 3)))!
        let day = text((yearEnd + 4)..<(yearEnd + 6))
        let time = text((yearEnd + 7)..<(yearEnd + 15))
        let seconds = timestamp.secondsSince1970
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(weekday), \(day) \(months[month - 1]) \(year) \(time) GMT"
    }
}
