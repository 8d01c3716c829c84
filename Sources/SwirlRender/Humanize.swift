import Foundation

/// Argo's humanised times and durations (`github.com/argoproj/pkg/humanize` over `go-humanize`).
enum Humanize {
    private static let second: Int64 = 1_000_000_000
    private static let minute = 60 * second
    private static let hour = 60 * minute
    private static let day = 24 * hour
    private static let week = 7 * day
    private static let month = 30 * day
    private static let year = 12 * month
    private static let longTime = 37 * year

    /// One row of go-humanize's `RelTimeMagnitude`: used when the difference is below `bound`;
    /// `%d` is replaced by difference / `divBy`, `%s` by the label.
    private struct Magnitude {
        var bound: Int64
        var format: String
        var divBy: Int64
    }

    private static let short: [Magnitude] = [
        .init(bound: second, format: "0s", divBy: second),
        .init(bound: 2 * second, format: "1s %s", divBy: 1),
        .init(bound: minute, format: "%ds %s", divBy: second),
        .init(bound: 2 * minute, format: "1m %s", divBy: 1),
        .init(bound: hour, format: "%dm %s", divBy: minute),
        .init(bound: 2 * hour, format: "1h %s", divBy: 1),
        .init(bound: day, format: "%dh %s", divBy: hour),
        .init(bound: 2 * day, format: "1d %s", divBy: 1),
        .init(bound: week, format: "%dd %s", divBy: day),
    ]

    private static func long(zero: String) -> [Magnitude] {
        [
            .init(bound: second, format: zero, divBy: second),
            .init(bound: 2 * second, format: "1 second %s", divBy: 1),
            .init(bound: minute, format: "%d seconds %s", divBy: second),
            .init(bound: 2 * minute, format: "1 minute %s", divBy: 1),
            .init(bound: hour, format: "%d minutes %s", divBy: minute),
            .init(bound: 2 * hour, format: "1 hour %s", divBy: 1),
            .init(bound: day, format: "%d hours %s", divBy: hour),
            .init(bound: 2 * day, format: "1 day %s", divBy: 1),
            .init(bound: week, format: "%d days %s", divBy: day),
            .init(bound: 2 * week, format: "1 week %s", divBy: 1),
            .init(bound: month, format: "%d weeks %s", divBy: week),
            .init(bound: 2 * month, format: "1 month %s", divBy: 1),
            .init(bound: year, format: "%d months %s", divBy: month),
            .init(bound: 18 * month, format: "1 year %s", divBy: 1),
            .init(bound: 2 * year, format: "2 years %s", divBy: 1),
            .init(bound: longTime, format: "%d years %s", divBy: year),
            .init(bound: Int64.max, format: "a long while %s", divBy: 1),
        ]
    }

    private static let relative = long(zero: "0 seconds")
    private static let ago = long(zero: "now")

    private static func nanos(_ seconds: TimeInterval) -> Int64 {
        let ns = (abs(seconds) * 1e9).rounded(.towardZero)
        return ns >= Double(Int64.max) ? Int64.max : Int64(ns)
    }

    /// go-humanize's `CustomRelTime` for an absolute difference.
    private static func relTime(_ diff: Int64, label: String, _ magnitudes: [Magnitude]) -> String {
        let mag = magnitudes.first { $0.bound > diff } ?? magnitudes[magnitudes.count - 1]
        var text: [UInt8] = []
        var pendingPercent = false
        for byte in mag.format.utf8 {
            if pendingPercent {
                pendingPercent = false
                switch byte {
                case UInt8(ascii: "d"): text.append(contentsOf: String(diff / mag.divBy).utf8)
                case UInt8(ascii: "s"): text.append(contentsOf: label.utf8)
                default: text.append(contentsOf: [UInt8(ascii: "%"), byte])
                }
            } else if byte == UInt8(ascii: "%") {
                pendingPercent = true
            } else {
                text.append(byte)
            }
        }
        var start = 0
        var end = text.count
        while start < end, text[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, text[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return String(decoding: text[start..<end], as: UTF8.self)
    }

    /// `2s`, `1m`, `3h`, `2d` (single unit, truncated).
    static func short(_ seconds: TimeInterval) -> String {
        let diff = nanos(seconds)
        // Under a minute (almost every step): the table's first three rows, without walking it.
        if diff < minute { return diff < second ? "0s" : String(diff / second) + "s" }
        return relTime(diff, label: "", short)
    }

    /// `10 seconds`, `1 minute` (single unit, truncated).
    static func truncated(_ seconds: TimeInterval) -> String {
        relTime(nanos(seconds), label: "", relative)
    }

    /// Up to two units: `10 seconds`, `1 minute 5 seconds`, `2 hours 3 minutes`, `1 day 4 hours`.
    static func long(_ seconds: TimeInterval) -> String {
        let whole = Double(nanos(seconds)) / 1e9
        if whole < 60 { return truncated(seconds) }
        if whole < 3600 { return "\(truncated(seconds)) \(Int64(whole.truncatingRemainder(dividingBy: 60))) seconds" }
        if whole < 86400 {
            return "\(truncated(seconds)) \(Int64((whole / 60).truncatingRemainder(dividingBy: 60))) minutes"
        }
        return "\(truncated(seconds)) \(Int64((whole / 3600).truncatingRemainder(dividingBy: 24))) hours"
    }

    /// go-humanize's `Time`: `now`, `5 seconds ago`, `1 minute from now`.
    static func ago(_ date: Date, now: Date) -> String {
        let diff = now.timeIntervalSince(date)
        return relTime(nanos(diff), label: diff < 0 ? "from now" : "ago", ago)
    }

    /// Argo's `humanize.Timestamp`: `Mon Jan 02 15:04:05 -0700 (1 minute ago)`.
    static func timestamp(_ date: Date, now: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE MMM dd HH:mm:ss xx"
        return "\(formatter.string(from: date)) (\(ago(date, now: now)))"
    }

    /// Drops sub-second precision, as Kubernetes timestamps (RFC 3339, seconds) do.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// Argo's `RelativeDurationShort(start, finish)`: an unset finish means now.
    static func shortBetween(_ start: Date?, _ finish: Date?, now: Date) -> String {
        guard let start else { return "0s" }
        let end = finish.map(wholeSeconds) ?? now
        return short(end.timeIntervalSince(wholeSeconds(start)))
    }
}
