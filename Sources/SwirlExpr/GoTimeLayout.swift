/// Go's reference-time layouts (`Mon Jan 2 15:04:05 MST 2006`): the chunking of `time.nextStdChunk`, `Format`, and
/// a `Parse` that accepts what Go's accepts for the common elements.
enum GoTimeLayout {
    static let rfc3339 = "2006-01-02T15:04:05Z07:00"
    static let rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00"

    /// The layouts `date(text)` tries when none is given, in expr-lang's order.
    static let dateDefaults = [
        "2006-01-02", "15:04:05", "2006-01-02 15:04:05", rfc3339, "02 Jan 06 15:04 MST",
        "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST",
    ]

    enum Element: Equatable {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth
        case longWeekDay, weekDay
        case day, underDay, zeroDay, zeroYearDay, underYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year
        case pm(upper: Bool)
        case tz
        /// `-0700`-style offsets; `iso` prints `Z` for UTC; `colons` and `seconds` as in the layout.
        case offset(iso: Bool, colons: Bool, minutes: Bool, seconds: Bool)
        /// `.000` (fixed width) or `.999` (trailing zeros trimmed); `separator` is `.` or `,`.
        case fraction(digits: Int, trimmed: Bool, separator: Character)
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Whether a layout reads a zone (`MST`, `-0700`, `Z07:00` …): a text parsed with it carries its own offset.
    static func hasZone(_ layout: String) -> Bool {
        elements(layout).contains {
            switch $0 {
            case .tz, .offset: return true
            default: return false
            }
        }
    }

    static func elements(_ layout: String) -> [Element] {
        let s = Array(layout)
        var out: [Element] = []
        var literal = ""
        var i = 0
        func has(_ word: String, at j: Int) -> Bool {
            let w = Array(word)
            return j + w.count <= s.count && Array(s[j..<(j + w.count)]) == w
        }
        func lowerAt(_ j: Int) -> Bool { j < s.count && s[j].isLowercase && s[j].isASCII }
        func digitAt(_ j: Int) -> Bool { j < s.count && s[j].isASCII && s[j].isNumber }
        while i < s.count {
            var element: Element? = nil
            var width = 0
            switch s[i] {
            case "J":
                if has("January", at: i) {
                    (element, width) = (.longMonth, 7)
                } else if has("Jan", at: i), !lowerAt(i + 3) {
                    (element, width) = (.month, 3)
                }
            case "M":
                if has("Monday", at: i) {
                    (element, width) = (.longWeekDay, 6)
                } else if has("Mon", at: i), !lowerAt(i + 3) {
                    (element, width) = (.weekDay, 3)
                } else if has("MST", at: i) {
                    (element, width) = (.tz, 3)
                }
            case "0":
                if i + 1 < s.count, let d = s[i + 1].wholeNumberValue, (1...6).contains(d), s[i + 1].isASCII {
                    element = [.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year][d - 1]
                    width = 2
                } else if has("002", at: i) {
                    (element, width) = (.zeroYearDay, 3)
                }
            case "1":
                if has("15", at: i) { (element, width) = (.hour, 2) } else { (element, width) = (.numMonth, 1) }
            case "2":
                if has("2006", at: i) { (element, width) = (.longYear, 4) } else { (element, width) = (.day, 1) }
            case "_":
                if has("_2", at: i) {
                    if has("_2006", at: i) {
                        literal.append("_")
                        (element, width) = (.longYear, 5)
                    } else {
                        (element, width) = (.underDay, 2)
                    }
                } else if has("__2", at: i) {
                    (element, width) = (.underYearDay, 3)
                }
            case "3": (element, width) = (.hour12, 1)
            case "4": (element, width) = (.minute, 1)
            case "5": (element, width) = (.second, 1)
            case "P": if has("PM", at: i) { (element, width) = (.pm(upper: true), 2) }
            case "p": if has("pm", at: i) { (element, width) = (.pm(upper: false), 2) }
            case "-", "Z":
                let iso = s[i] == "Z"
                let p = iso ? "Z" : "-"
                for (form, colons, minutes, seconds) in [
                    ("070000", false, true, true), ("07:00:00", true, true, true), ("0700", false, true, false),
                    ("07:00", true, true, false), ("07", false, false, false),
                ] where has(p + form, at: i) {
                    (element, width) = (
                        .offset(iso: iso, colons: colons, minutes: minutes, seconds: seconds), 1 + form.count
                    )
                    break
                }
            case ".", ",":
                if i + 1 < s.count, s[i + 1] == "0" || s[i + 1] == "9" {
                    let ch = s[i + 1]
                    var j = i + 1
                    while j < s.count, s[j] == ch { j += 1 }
                    if !digitAt(j) {
                        (element, width) = (.fraction(digits: j - i - 1, trimmed: ch == "9", separator: s[i]), j - i)
                    }
                }
            default: break
            }
            if let element {
                if !literal.isEmpty {
                    out.append(.literal(literal))
                    literal = ""
                }
                out.append(element)
                i += width
            } else {
                literal.append(s[i])
                i += 1
            }
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    static func format(_ t: ExprTime, layout: String) -> String {
        let (year, month, day) = t.civil
        var out = ""
        func pad(_ v: Int, _ width: Int, _ fill: Character = "0") -> String {
            let text = String(v.magnitude)
            return (v < 0 ? "-" : "") + String(repeating: fill, count: max(0, width - text.count)) + text
        }
        for element in elements(layout) {
            switch element {
            case .literal(let s): out += s
            case .longMonth: out += monthNames[month - 1]
            case .month: out += String(monthNames[month - 1].prefix(3))
            case .numMonth: out += String(month)
            case .zeroMonth: out += pad(month, 2)
            case .longWeekDay: out += dayNames[t.weekday]
            case .weekDay: out += String(dayNames[t.weekday].prefix(3))
            case .day: out += String(day)
            case .underDay: out += pad(day, 2, " ")
            case .zeroDay: out += pad(day, 2)
            case .zeroYearDay: out += pad(t.yearDay, 3)
            case .underYearDay: out += pad(t.yearDay, 3, " ")
            case .hour: out += pad(t.hour, 2)
            case .hour12: out += String(t.hour % 12 == 0 ? 12 : t.hour % 12)
            case .zeroHour12: out += pad(t.hour % 12 == 0 ? 12 : t.hour % 12, 2)
            case .minute: out += String(t.minute)
            case .zeroMinute: out += pad(t.minute, 2)
            case .second: out += String(t.second)
            case .zeroSecond: out += pad(t.second, 2)
            case .longYear: out += pad(year, 4)
            case .year: out += pad(((year % 100) + 100) % 100, 2)
            case .pm(let upper): out += t.hour >= 12 ? (upper ? "PM" : "pm") : (upper ? "AM" : "am")
            case .tz:
                if let name = t.zoneName {
                    out += name
                } else {
                    let minutes = t.utcOffset / 60
                    out += (minutes < 0 ? "-" : "+") + pad(abs(minutes) / 60, 2) + pad(abs(minutes) % 60, 2)
                }
            case .offset(let iso, let colons, let minutes, let seconds):
                if iso && t.utcOffset == 0 {
                    out += "Z"
                    continue
                }
                let z = abs(t.utcOffset)
                out += (t.utcOffset < 0 ? "-" : "+") + pad(z / 3600, 2)
                if minutes { out += (colons ? ":" : "") + pad(z / 60 % 60, 2) }
                if seconds { out += (colons ? ":" : "") + pad(z % 60, 2) }
            case .fraction(let digits, let trimmed, let separator):
                var text = pad(t.nanosecond, 9).prefix(digits)
                if trimmed {
                    while text.last == "0" { text = text.dropLast() }
                    if text.isEmpty { continue }
                }
                out += String(separator) + text
            }
        }
        return out
    }

    /// Go's `time.Parse(layout, text)`; `nil` when the text does not match. Without a zone in the text the time is
    /// UTC, as in Go.
    static func parse(_ text: String, layout: String) -> ExprTime? {
        var v = Substring(text)
        var year = 1
        var month = 1
        var day = 1
        var yearDay = -1
        var hour = 0
        var minute = 0
        var second = 0
        var nanosecond = 0
        var pm: Bool? = nil
        var offset: Int? = nil
        var zoneName: String? = nil
        func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            let digits = v.prefix(maxDigits).prefix { $0.isASCII && $0.isNumber }
            guard digits.count >= minDigits, let n = Int(digits) else { return nil }
            v = v.dropFirst(digits.count)
            return n
        }
        func name(_ names: [String], length: Int?) -> Int? {
            for (index, full) in names.enumerated() {
                let candidate = length.map { String(full.prefix($0)) } ?? full
                if v.lowercased().hasPrefix(candidate.lowercased()) {
                    v = v.dropFirst(candidate.count)
                    return index
                }
            }
            return nil
        }
        func fraction() -> Int? {
            guard let sep = v.first, sep == "." || sep == ",", v.dropFirst().first?.isNumber == true else { return nil }
            v = v.dropFirst()
            let digits = v.prefix { $0.isASCII && $0.isNumber }
            v = v.dropFirst(digits.count)
            let nine = String(digits.prefix(9))
            return Int(nine + String(repeating: "0", count: 9 - nine.count))
        }
        let layoutElements = elements(layout)
        for (index, element) in layoutElements.enumerated() {
            switch element {
            case .literal(let s):
                guard v.hasPrefix(s) else { return nil }
                v = v.dropFirst(s.count)
            case .longMonth: guard let m = name(monthNames, length: nil) else { return nil }; month = m + 1
            case .month: guard let m = name(monthNames, length: 3) else { return nil }; month = m + 1
            case .numMonth: guard let m = number(1, 2) else { return nil }; month = m
            case .zeroMonth: guard let m = number(2, 2) else { return nil }; month = m
            case .longWeekDay: guard name(dayNames, length: nil) != nil else { return nil }
            case .weekDay: guard name(dayNames, length: 3) != nil else { return nil }
            case .day, .underDay, .zeroDay:
                if element == .underDay, v.first == " " { v = v.dropFirst() }
                guard let d = number(element == .zeroDay ? 2 : 1, 2) else { return nil }
                day = d
            case .zeroYearDay, .underYearDay:
                while element == .underYearDay, v.first == " " { v = v.dropFirst() }
                guard let d = number(element == .zeroYearDay ? 3 : 1, 3) else { return nil }
                yearDay = d
            case .hour: guard let h = number(2, 2) else { return nil }; hour = h
            case .hour12, .zeroHour12:
                guard let h = number(element == .zeroHour12 ? 2 : 1, 2), h <= 12 else { return nil }
                hour = h
            case .minute, .zeroMinute:
                guard let m = number(element == .zeroMinute ? 2 : 1, 2) else { return nil }
                minute = m
            case .second, .zeroSecond:
                guard let s = number(element == .zeroSecond ? 2 : 1, 2) else { return nil }
                second = s
                // Go accepts a fraction after the seconds even when the layout has none.
                if index + 1 >= layoutElements.count || !isFraction(layoutElements[index + 1]) {
                    if let f = fraction() { nanosecond = f }
                }
            case .longYear:
                guard let y = number(4, 4) else { return nil }
                year = y
            case .year:
                guard let y = number(2, 2) else { return nil }
                year = y >= 69 ? 1900 + y : 2000 + y
            case .pm(let upper):
                let word = v.prefix(2)
                let (am, pmText) = upper ? ("AM", "PM") : ("am", "pm")
                guard word == am || word == pmText else { return nil }
                pm = word == pmText
                v = v.dropFirst(2)
            case .tz:
                if v.hasPrefix("UTC") {
                    v = v.dropFirst(3)
                    offset = 0
                    zoneName = "UTC"
                } else {
                    let letters = v.prefix { $0.isASCII && $0.isUppercase }
                    guard letters.count >= 3, letters.count <= 5 else { return nil }
                    v = v.dropFirst(letters.count)
                    zoneName = String(letters)
                    offset = offset ?? 0
                }
            case .offset(let iso, let colons, let minutes, let seconds):
                if iso, v.first == "Z" {
                    v = v.dropFirst()
                    offset = 0
                    zoneName = "UTC"
                    continue
                }
                guard let sign = v.first, sign == "+" || sign == "-" else { return nil }
                v = v.dropFirst()
                guard let h = number(2, 2) else { return nil }
                var total = h * 3600
                if minutes {
                    if colons { guard v.first == ":" else { return nil }; v = v.dropFirst() }
                    guard let m = number(2, 2) else { return nil }
                    total += m * 60
                }
                if seconds {
                    if colons { guard v.first == ":" else { return nil }; v = v.dropFirst() }
                    guard let s = number(2, 2) else { return nil }
                    total += s
                }
                offset = sign == "-" ? -total : total
                zoneName = total == 0 ? "UTC" : nil
            case .fraction(let digits, let trimmed, _):
                if let f = fraction() {
                    nanosecond = f
                } else if !trimmed && digits > 0 {
                    return nil
                }
            }
        }
        guard v.isEmpty else { return nil }
        if let pm {
            if hour == 12 { hour = 0 }
            if pm { hour += 12 }
        }
        guard (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        var days: Int
        if yearDay >= 0 {
            guard yearDay >= 1, yearDay <= (ExprTime.isLeap(year) ? 366 : 365) else { return nil }
            days = ExprTime.days(fromCivil: year, 1, 1) + yearDay - 1
        } else {
            guard day >= 1, day <= ExprTime.daysIn(month: month, year: year) else { return nil }
            days = ExprTime.days(fromCivil: year, month, day)
        }
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        let zone = offset ?? 0
        return ExprTime(seconds: local - zone, nanosecond: nanosecond, utcOffset: zone, zoneName: zoneName)
    }

    private static func isFraction(_ e: Element) -> Bool {
        if case .fraction = e { return true }
        return false
    }
}
