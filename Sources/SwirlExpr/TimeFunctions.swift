import Foundation

/// expr-lang's clock: `now()`, `date(…)`, `duration(…)`, the arithmetic Go defines on `time.Time` and
/// `time.Duration`, and the methods expr-lang lets an expression call on them (`now().Format("2006-01-02")`).
///
/// `now()` returns the time the caller passed to `Expr.evaluate(_:env:now:)`: the engine hands in the time of the
/// event it is handling, so evaluation stays pure and replayable.
enum TimeFunctions {
    static let names: Set<String> = ["now", "date", "duration"]

    static func call(_ name: String, _ args: [ExprValue], now: ExprTime?, column: Int) throws -> ExprValue {
        switch name {
        case "now":
            try Builtins.arity(name, args, 0...0, column: column)
            guard let now else {
                throw ExprError("now() is not available here: no clock was given to the evaluation", column: column)
            }
            return .time(now)
        case "duration":
            try Builtins.arity(name, args, 1...1, column: column)
            let text = try Builtins.string(name, args[0], column: column)
            guard let d = ExprDuration.parse(text) else {
                throw ExprError(
                    "duration(): invalid duration \"\(text)\" (expected e.g. \"1h30m\", \"90s\", \"1.5h\")",
                    column: column)
            }
            return .duration(d)
        default:  // date
            try Builtins.arity(name, args, 1...3, column: column)
            let text = try Builtins.string(name, args[0], column: column)
            var zone: TimeZone?
            if args.count == 3 {
                let identifier = try Builtins.string(name, args[2], column: column)
                if !["", "UTC", "Etc/UTC"].contains(identifier) {
                    guard let found = TimeZone(identifier: identifier) else {
                        throw ExprError(
                            "date(): unknown time zone \"\(identifier)\" (expected an IANA name such as "
                                + "\"Europe/Berlin\" or \"America/New_York\", or \"UTC\")", column: column)
                    }
                    zone = found
                }
            }
            let layouts =
                args.count >= 2 ? [try Builtins.string(name, args[1], column: column)] : GoTimeLayout.dateDefaults
            for layout in layouts {
                guard let t = GoTimeLayout.parse(text, layout: layout) else { continue }
                if let zone, !GoTimeLayout.hasZone(layout) { return .time(inZone(t, zone)) }
                return .time(t)
            }
            if args.count >= 2 {
                throw ExprError("date(): cannot parse \"\(text)\" as \"\(layouts[0])\"", column: column)
            }
            throw ExprError("date(): invalid date \"\(text)\"", column: column)
        }
    }

    /// Go's `time.ParseInLocation` for a text without a zone: the wall clock `t` (parsed as UTC) read in `zone`,
    /// at the offset the zone had then (daylight saving included).
    static func inZone(_ t: ExprTime, _ zone: TimeZone) -> ExprTime {
        let wall = t.seconds
        // The offset at the instant the wall clock names: guess with the wall clock, then correct once (at a
        // daylight-saving change the guess can be an hour off).
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall)))
        offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall - offset)))
        let instant = Date(timeIntervalSince1970: Double(wall - offset))
        return ExprTime(
            seconds: wall - offset, nanosecond: t.nanosecond, utcOffset: offset,
            zoneName: ZoneAbbreviation.name(
                zone: zone.identifier, utcOffset: offset, isDaylightSaving: zone.isDaylightSavingTime(for: instant)))
    }

    /// Binary operators where a time or duration is involved; `nil` hands the operands on to `Operators`.
    static func apply(_ op: String, _ a: ExprValue, _ b: ExprValue, column: Int) throws -> ExprValue? {
        switch (a, b) {
        case (.time(let x), .time(let y)):
            switch op {
            case "-": return .duration(x.nanoseconds(since: y))
            case "==": return .bool(x.compare(y) == 0)
            case "!=": return .bool(x.compare(y) != 0)
            case "<", ">", "<=", ">=": return .bool(order(op, x.compare(y)))
            default: return nil
            }
        case (.time(let t), .duration(let d)):
            switch op {
            case "+": return .time(t.adding(nanoseconds: d))
            case "-": return .time(t.adding(nanoseconds: d == Int.min ? Int.max : -d))
            default: return nil
            }
        case (.duration(let d), .time(let t)):
            return op == "+" ? .time(t.adding(nanoseconds: d)) : nil
        case (.duration(let x), .duration(let y)):
            switch op {
            case "+", "-":
                let (v, overflow) = op == "+" ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
                if overflow { throw ExprError("duration overflow in \(op)", column: column) }
                return .duration(v)
            case "/": return .double(Double(x) / Double(y))
            case "==": return .bool(x == y)
            case "!=": return .bool(x != y)
            case "<", ">", "<=", ">=": return .bool(order(op, x < y ? -1 : x > y ? 1 : 0))
            default: return nil
            }
        case (.duration(let d), .int(let n)), (.int(let n), .duration(let d)):
            // time.Duration is an integer type to expr-lang, so it scales and compares like one.
            let isLeft: Bool
            if case .duration = a { isLeft = true } else { isLeft = false }
            switch op {
            case "*":
                let (v, overflow) = d.multipliedReportingOverflow(by: n)
                if overflow { throw ExprError("duration overflow in *", column: column) }
                return .duration(v)
            case "/": return .double(isLeft ? Double(d) / Double(n) : Double(n) / Double(d))
            case "==": return .bool(d == n)
            case "!=": return .bool(d != n)
            case "<", ">", "<=", ">=":
                let (x, y) = isLeft ? (d, n) : (n, d)
                return .bool(order(op, x < y ? -1 : x > y ? 1 : 0))
            default: return nil
            }
        case (.duration(let d), .double(let f)), (.double(let f), .duration(let d)):
            let x = Double(d)
            let isLeft: Bool
            if case .duration = a { isLeft = true } else { isLeft = false }
            switch op {
            case "*": return .double(x * f)
            case "/": return .double(isLeft ? x / f : f / x)
            case "<", ">", "<=", ">=":
                let (l, r) = isLeft ? (x, f) : (f, x)
                return .bool(order(op, l < r ? -1 : l > r ? 1 : 0))
            default: return nil
            }
        default:
            return nil
        }
    }

    private static func order(_ op: String, _ c: Int) -> Bool {
        switch op {
        case "<": return c < 0
        case ">": return c > 0
        case "<=": return c <= 0
        default: return c >= 0
        }
    }

    /// `t.Format(…)`, `t.Unix()`, `d.Hours()` …: the Go methods of `time.Time` and `time.Duration`.
    static func method(_ name: String, on receiver: ExprValue, _ args: [ExprValue], column: Int) throws -> ExprValue {
        func arity(_ n: Int) throws {
            guard args.count == n else {
                throw ExprError(
                    "\(receiver.typeName).\(name) expects \(n) argument\(n == 1 ? "" : "s"), got \(args.count)",
                    column: column)
            }
        }
        func otherTime() throws -> ExprTime {
            try arity(1)
            guard case .time(let t) = args[0] else {
                throw ExprError("\(name)() expects a time.Time, not \(args[0].typeName)", column: column)
            }
            return t
        }
        switch receiver {
        case .time(let t):
            switch name {
            case "Format":
                try arity(1)
                return .string(t.format(try Builtins.string(name, args[0], column: column)))
            case "String": try arity(0); return .string(t.format("2006-01-02 15:04:05.999999999 -0700 MST"))
            case "Unix": try arity(0); return .int(t.seconds)
            case "UnixMilli": try arity(0); return .int(t.seconds &* 1000 &+ t.nanosecond / 1_000_000)
            case "UnixMicro": try arity(0); return .int(t.seconds &* 1_000_000 &+ t.nanosecond / 1000)
            case "UnixNano": try arity(0); return .int(t.seconds &* 1_000_000_000 &+ t.nanosecond)
            case "Year": try arity(0); return .int(t.civil.year)
            case "Month": try arity(0); return .int(t.civil.month)
            case "Day": try arity(0); return .int(t.civil.day)
            case "Hour": try arity(0); return .int(t.hour)
            case "Minute": try arity(0); return .int(t.minute)
            case "Second": try arity(0); return .int(t.second)
            case "Nanosecond": try arity(0); return .int(t.nanosecond)
            case "Weekday": try arity(0); return .int(t.weekday)
            case "YearDay": try arity(0); return .int(t.yearDay)
            case "UTC", "Local": try arity(0); return .time(t.inUTC)
            case "IsZero": try arity(0); return .bool(t.seconds == -62_135_596_800 && t.nanosecond == 0)
            case "Sub": return .duration(t.nanoseconds(since: try otherTime()))
            case "After": return .bool(t.compare(try otherTime()) > 0)
            case "Before": return .bool(t.compare(try otherTime()) < 0)
            case "Equal": return .bool(t.compare(try otherTime()) == 0)
            case "Add":
                try arity(1)
                switch args[0] {
                case .duration(let d), .int(let d): return .time(t.adding(nanoseconds: d))
                default: throw ExprError("Add() expects a time.Duration, not \(args[0].typeName)", column: column)
                }
            case "AddDate":
                try arity(3)
                let n = try args.map { try Builtins.toInt(name, $0, column: column) }
                let (year, month, day) = t.civil
                let m0 = month - 1 + n[1]
                let y = year + n[0] + ExprTime.floorDiv(m0, 12)
                let m = m0 - ExprTime.floorDiv(m0, 12) * 12 + 1
                let days = ExprTime.days(fromCivil: y, m, 1) + day - 1 + n[2]
                let local = days * 86_400 + t.secondOfDay
                return .time(
                    ExprTime(
                        seconds: local - t.utcOffset, nanosecond: t.nanosecond, utcOffset: t.utcOffset,
                        zoneName: t.zoneName))
            default: break
            }
        case .duration(let d):
            switch name {
            case "Hours": try arity(0); return .double(Double(d) / 3.6e12)
            case "Minutes": try arity(0); return .double(Double(d) / 6e10)
            case "Seconds": try arity(0); return .double(Double(d) / 1e9)
            case "Milliseconds": try arity(0); return .int(d / 1_000_000)
            case "Microseconds": try arity(0); return .int(d / 1000)
            case "Nanoseconds": try arity(0); return .int(d)
            case "String": try arity(0); return .string(ExprDuration.format(d))
            case "Abs": try arity(0); return .duration(d == Int.min ? Int.max : Swift.abs(d))
            default: break
            }
        default:
            throw ExprError("\(receiver.typeName) has no method \(name)()", column: column)
        }
        throw ExprError("\(receiver.typeName) has no method \(name)()", column: column)
    }
}
