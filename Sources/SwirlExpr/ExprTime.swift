import Foundation

/// An instant as expr-lang's `time.Time` holds it: seconds and nanoseconds since the Unix epoch plus the UTC offset
/// it was written in (so `date("…+02:00").Format(…)` prints in +02:00, as Go does).
///
/// Calendar arithmetic is done here (proleptic Gregorian, no leap seconds, as Go) instead of through Foundation's
/// `Calendar`, so formatting never depends on the machine's locale or time zone.
public struct ExprTime: Sendable, Hashable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int
    /// 0 ..< 1_000_000_000.
    public var nanosecond: Int
    /// Seconds east of UTC used when the time is printed.
    public var utcOffset: Int
    /// The zone's abbreviation when it has one (`UTC`, or what `MST` parsed); `nil` prints the offset.
    public var zoneName: String?

    public init(seconds: Int, nanosecond: Int = 0, utcOffset: Int = 0, zoneName: String? = "UTC") {
        let carry = nanosecond >= 0 ? nanosecond / 1_000_000_000 : (nanosecond - 999_999_999) / 1_000_000_000
        self.seconds = seconds + carry
        self.nanosecond = nanosecond - carry * 1_000_000_000
        self.utcOffset = utcOffset
        self.zoneName = utcOffset == 0 && zoneName == nil ? "UTC" : zoneName
    }

    /// The instant of `date`, in UTC.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        self.init(seconds: Int(whole), nanosecond: Int(((interval - whole) * 1e9).rounded()))
    }

    /// The instant as a Foundation `Date` (sub-microsecond precision may be lost).
    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanosecond) / 1e9) }

    /// Go's `t.Sub(u)` in nanoseconds, saturating like Go's `Duration` at its bounds.
    public func nanoseconds(since other: ExprTime) -> Int {
        let (s, o1) = seconds.subtractingReportingOverflow(other.seconds)
        let (ns, o2) = s.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o3) = ns.addingReportingOverflow(nanosecond - other.nanosecond)
        if o1 || o2 || o3 { return s >= 0 ? Int.max : Int.min }
        return total
    }

    /// Go's `t.Add(d)`.
    public func adding(nanoseconds d: Int) -> ExprTime {
        var t = self
        t = ExprTime(
            seconds: seconds &+ d / 1_000_000_000, nanosecond: nanosecond + d % 1_000_000_000, utcOffset: utcOffset,
            zoneName: zoneName)
        return t
    }

    /// The same instant shown in UTC (Go's `t.UTC()`).
    public var inUTC: ExprTime { ExprTime(seconds: seconds, nanosecond: nanosecond, utcOffset: 0, zoneName: "UTC") }

    /// -1, 0, 1 by instant (Go's `Before`/`Equal`/`After` ignore the zone).
    public func compare(_ other: ExprTime) -> Int {
        if seconds != other.seconds { return seconds < other.seconds ? -1 : 1 }
        if nanosecond != other.nanosecond { return nanosecond < other.nanosecond ? -1 : 1 }
        return 0
    }

    /// RFC 3339 with seconds (`2006-01-02T15:04:05Z07:00`): how Swirl renders a time in `{{=…}}`.
    public var rfc3339: String { format(GoTimeLayout.rfc3339) }

    /// RFC 3339 with nanoseconds, trailing zeros dropped: how Go's `json.Marshal` writes a time.
    public var rfc3339Nano: String { format(GoTimeLayout.rfc3339Nano) }

    /// Go's `t.Format(layout)` with Go's reference-time layouts (`2006-01-02 15:04:05`).
    public func format(_ layout: String) -> String { GoTimeLayout.format(self, layout: layout) }

    // MARK: - Calendar fields (in the time's own offset)

    var localSeconds: Int { seconds &+ utcOffset }
    var daysSinceEpoch: Int { Self.floorDiv(localSeconds, 86_400) }
    var secondOfDay: Int { localSeconds - daysSinceEpoch * 86_400 }

    /// (year, month 1…12, day 1…31).
    public var civil: (year: Int, month: Int, day: Int) { Self.civil(fromDays: daysSinceEpoch) }
    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay % 3600 / 60 }
    public var second: Int { secondOfDay % 60 }
    /// 0 = Sunday, as Go's `time.Weekday`.
    public var weekday: Int { ((daysSinceEpoch % 7) + 11) % 7 }
    /// 1…366.
    public var yearDay: Int { daysSinceEpoch - Self.days(fromCivil: civil.year, 1, 1) + 1 }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// Go's `time.Duration` text as expr-lang reads and prints it: `ParseDuration` and `Duration.String`.
public enum ExprDuration {
    private static let units: [(String, Int)] = [
        ("ns", 1), ("us", 1000), ("µs", 1000), ("μs", 1000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses `1h30m`, `1.5s`, `-300ms`, `0` into nanoseconds; `nil` when Go's `time.ParseDuration` would fail.
    public static func parse(_ text: String) -> Int? {
        var s = Substring(text)
        var negative = false
        if let c = s.first, c == "-" || c == "+" {
            negative = c == "-"
            s = s.dropFirst()
        }
        if s == "0" { return 0 }
        if s.isEmpty { return nil }
        var total = 0.0
        var exact = 0
        var exactOK = true
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1 else { return nil }
            s = s.dropFirst(number.count)
            let unitText = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText })?.1 else { return nil }
            s = s.dropFirst(unitText.count)
            guard let value = Double(number.hasPrefix(".") ? "0" + number : number) else { return nil }
            total += value * Double(unit)
            if !number.contains("."), let whole = Int(number) {
                let (m, o1) = whole.multipliedReportingOverflow(by: unit)
                let (a, o2) = exact.addingReportingOverflow(m)
                if o1 || o2 { exactOK = false } else { exact = a }
            } else {
                exactOK = false
            }
        }
        if exactOK { return negative ? -exact : exact }
        guard total < 9.223372036854775e18 else { return nil }
        let value = Int(total.rounded(.towardZero))
        return negative ? -value : value
    }

    /// `1h0m0s`, `1.5s`, `300ms`, `0s`, as Go prints a Duration.
    public static func format(_ nanoseconds: Int) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let u = nanoseconds.magnitude
        var out: String
        if u < 1_000_000_000 {
            let (unit, scale): (String, UInt) = u < 1000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            out = fraction(u, scale: scale) + unit
        } else {
            let hours = u / 3_600_000_000_000
            let minutes = u / 60_000_000_000 % 60
            let secs = fraction(u % 60_000_000_000, scale: 1_000_000_000) + "s"
            out = hours > 0 ? "\(hours)h\(minutes)m\(secs)" : minutes > 0 ? "\(minutes)m\(secs)" : secs
        }
        return negative ? "-" + out : out
    }

    private static func fraction(_ v: UInt, scale: UInt) -> String {
        let whole = v / scale
        var frac = v % scale
        if frac == 0 { return String(whole) }
        var digits = String(scale).count - 1
        while frac % 10 == 0 {
            frac /= 10
            digits -= 1
        }
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: digits - f.count) + f
    }
}
