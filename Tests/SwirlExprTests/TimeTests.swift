import Foundation
import Testing

@testable import SwirlExpr

/// `now()`, `date(…)`, `duration(…)` and Go's time arithmetic and layouts.
@Suite struct TimeTests {
    /// 2023-11-14T22:13:20.5Z
    static let clock = Date(timeIntervalSince1970: 1_700_000_000.5)

    func eval(_ s: String, env: [String: ExprValue] = [:]) throws -> ExprValue {
        try Expr.evaluate(s, env: env, now: Self.clock)
    }

    @Test func nowIsTheClockTheCallerPassed() throws {
        #expect(try eval("now().Unix()") == .int(1_700_000_000))
        #expect(try eval("now().UnixMilli()") == .int(1_700_000_000_500))
        #expect(try eval("now().Format('2006-01-02 15:04:05.000')") == "2023-11-14 22:13:20.500")
        #expect(try eval("string(now())") == "2023-11-14T22:13:20Z")
        #expect(try eval("now()").jsonText == "\"2023-11-14T22:13:20.5Z\"")
        #expect(try eval("now().Year() == 2023 && now().Month() == 11 && now().Day() == 14") == true)
        #expect(try eval("now().Weekday()") == .int(2))  // a Tuesday
        #expect(try eval("now() == now()") == true)
    }

    @Test func datesInANamedTimeZone() throws {
        // Go's time.ParseInLocation: a text without a zone is a wall clock in the zone, at the offset it had then.
        #expect(
            try eval(
                "date('2023-06-01 12:00', '2006-01-02 15:04', 'America/New_York').Format('2006-01-02T15:04:05Z07:00')")
                == "2023-06-01T12:00:00-04:00")
        #expect(
            try eval("date('2023-01-15 12:00', '2006-01-02 15:04', 'America/New_York').Unix()")
                == .int(1_673_802_000))  // 17:00 UTC: standard time, -05:00
        #expect(
            try eval("date('2023-01-15 12:00', '2006-01-02 15:04', 'Europe/Berlin').Format('15:04 MST')") == "12:00 CET"
        )
        // A text with its own offset keeps it, whatever the zone argument says.
        #expect(
            try eval("date('2023-01-15T12:00:00+02:00', '2006-01-02T15:04:05Z07:00', 'America/New_York').Unix()")
                == .int(1_673_776_800))
        #expect {
            try eval("date('2023-01-15', '2006-01-02', 'Mars/Olympus')")
        } throws: { error in
            (error as? ExprError)?.message.contains("unknown time zone \"Mars/Olympus\"") == true
        }
    }

    @Test func zoneFilesThatAreDamagedOrMissingGiveNoNames() {
        var generator = SystemRandomNumberGenerator()
        let berlin = ZoneAbbreviation.readTypes("Europe/Berlin")
        #expect(berlin.contains { $0.name == "CEST" && $0.isDST && $0.offset == 7200 })
        for length in [0, 3, 44, 60, 200, 5000] {
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if length >= 44 { bytes.replaceSubrange(0..<5, with: Array("TZif2".utf8)) }
            _ = ZoneAbbreviation.parse(bytes)  // must not crash
        }
        if let real = FileManager.default.contents(atPath: "/usr/share/zoneinfo/Europe/Berlin") {
            for cut in stride(from: 0, to: real.count, by: max(1, real.count / 97)) {
                _ = ZoneAbbreviation.parse(Array(real.prefix(cut)))  // truncated files must not crash either
            }
        }
        #expect(ZoneAbbreviation.readTypes("../../etc/passwd").isEmpty)
        #expect(ZoneAbbreviation.name(zone: "No/Such_Zone", utcOffset: 0, isDaylightSaving: false) == nil)
    }

    @Test func nowWithoutAClockIsAClearError() {
        #expect {
            try Expr.evaluate("now()", env: [:])
        } throws: { error in
            (error as? ExprError)?.message.contains("no clock") == true
        }
    }

    @Test func templateStringsSeeTheClock() throws {
        let text = try TemplateString.substitute(
            "at {{=now().Format('15:04')}} on {{=now().Format('Jan 2, 2006')}}", lookup: { _ in nil },
            env: { [:] }, now: Self.clock)
        #expect(text == "at 22:13 on Nov 14, 2023")
    }

    @Test(arguments: [
        ("1h", 3_600_000_000_000), ("1h30m", 5_400_000_000_000), ("1.5h", 5_400_000_000_000),
        ("90s", 90_000_000_000), ("300ms", 300_000_000), ("-2m", -120_000_000_000), ("0", 0),
        ("1us", 1000), ("1µs", 1000), ("2h45m30.5s", 9_930_500_000_000), (".5s", 500_000_000),
    ])
    func parsesGoDurations(_ text: String, _ nanoseconds: Int) throws {
        #expect(try eval("duration('\(text)')") == .duration(nanoseconds))
    }

    @Test(arguments: ["", "1", "h", "1x", "1.2.3s", "--1s", "1h 30m"])
    func rejectsBadDurations(_ text: String) {
        #expect(throws: ExprError.self) { try eval("duration('\(text)')") }
    }

    @Test(arguments: [
        (0, "0s"), (1, "1ns"), (1500, "1.5µs"), (300_000_000, "300ms"), (1_500_000_000, "1.5s"),
        (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"), (-5_400_000_000_000, "-1h30m0s"),
    ])
    func printsDurationsAsGo(_ nanoseconds: Int, _ text: String) {
        #expect(ExprValue.duration(nanoseconds).templateText == text)
    }

    @Test func parsesDatesWithDefaultLayouts() throws {
        #expect(try eval("date('2024-02-29').Unix()") == .int(1_709_164_800))
        #expect(try eval("date('2024-02-29 12:30:00').Hour()") == .int(12))
        #expect(try eval("date('2024-01-01T10:00:00+02:00').Unix()") == .int(1_704_096_000))
        #expect(try eval("date('2024-01-01T10:00:00+02:00').Format('15:04 -07:00')") == "10:00 +02:00")
        #expect(try eval("date('2024-01-01T08:00:00.25Z').Nanosecond()") == .int(250_000_000))
        #expect(try eval("date('Mon, 02 Jan 2006 15:04:05 MST').Year()") == .int(2006))
        #expect(throws: ExprError.self) { try eval("date('2023-02-29')") }
        #expect(throws: ExprError.self) { try eval("date('yesterday')") }
    }

    @Test func parsesDatesWithAnExplicitLayout() throws {
        #expect(
            try eval("date('14/11/2023 3:04PM', '02/01/2006 3:04PM').Format(\"2006-01-02T15:04\")")
                == "2023-11-14T15:04")
        #expect(try eval("date('2023-318', '2006-002').Format('Jan 2')") == "Nov 14")
        #expect(try eval("date('2023-11-14', '2006-01-02', 'UTC').Unix()") == .int(1_699_920_000))
        #expect(throws: ExprError.self) { try eval("date('2023-11-14', '2006/01/02')") }
        #expect(throws: ExprError.self) { try eval("date('2023-11-14', '2006-01-02', 'Mars/Olympus')") }
    }

    @Test func formatsEveryLayoutElement() throws {
        let t = try eval("date('2024-03-05T07:08:09.012345678Z')")
        guard case .time(let time) = t else { throw ExprError("not a time", column: 0) }
        #expect(
            time.format("Monday Mon January Jan 1 01 2 _2 02 __2 002") == "Tuesday Tue March Mar 3 03 5  5 05  65 065")
        #expect(time.format("15 3 03 4 04 5 05 PM pm 06 2006") == "07 7 07 8 08 9 09 AM am 24 2024")
        #expect(time.format(".000 .999999999 ,00 MST Z07:00 -0700") == ".012 .012345678 ,01 UTC Z +0000")
        #expect(time.format("Janet") == "Janet")  // "Jan" followed by a lower-case letter is literal text
    }

    @Test func timeArithmeticFollowsGo() throws {
        #expect(try eval("now() - date('2023-11-14T22:13:20Z')") == .duration(500_000_000))
        #expect(try eval("(now() - date('2023-11-13T22:13:20.5Z')).Hours()") == .double(24))
        #expect(try eval("(now() + duration('1h')).Hour()") == .int(23))
        #expect(try eval("(now() - duration('23h')).Day()") == .int(13))
        #expect(try eval("now() > date('2023-01-01') && date('2023-01-01') < now()") == true)
        #expect(try eval("now() - date('2023-11-14') > duration('22h')") == true)
        #expect(try eval("duration('1h') + duration('30m') == duration('90m')") == true)
        #expect(try eval("duration('1h') * 2") == .duration(7_200_000_000_000))
        #expect(try eval("duration('1h') / duration('30m')") == .double(2))
        #expect(try eval("duration('1s') > 0") == true)
        #expect(try eval("now().Add(duration('1m')).Sub(now())") == .duration(60_000_000_000))
        #expect(try eval("now().AddDate(0, 1, 18).Format('2006-01-02')") == "2024-01-01")
        #expect(try eval("date('2024-01-31').AddDate(0, 1, 0).Format('2006-01-02')") == "2024-03-02")
        #expect(try eval("now().After(date('2023-01-01')) && !now().Before(date('2023-01-01'))") == true)
        #expect(try eval("date('2024-01-01T02:00:00+02:00') == date('2024-01-01')") == true)
        #expect(try eval("duration('90m').String()") == "1h30m0s")
        #expect(try eval("duration('1500ms').Seconds()") == .double(1.5))
    }

    @Test func typeErrorsNameTheTypes() {
        #expect(throws: ExprError.self) { try eval("now() + now()") }
        #expect(throws: ExprError.self) { try eval("now() * 2") }
        #expect(throws: ExprError.self) { try eval("now().Nope()") }
        #expect(throws: ExprError.self) { try eval("'x'.Format('2006')") }
        #expect(throws: ExprError.self) { try eval("now().Format()") }
        #expect(throws: ExprError.self) { try eval("duration(5)") }
        #expect(throws: ExprError.self) { try eval("now(1)") }
    }

    @Test func methodCallsParseInExpressions() throws {
        try Expr.validate("now().Format('2006') + x.y")
        #expect(try eval("[now()] | map(#.Year())") == [2023])
        #expect(throws: ExprError.self) { try Expr.validate("now().Format(") }
    }

    @Test func calendarRoundTripsOverCenturies() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (y, m, d) = ExprTime.civil(fromDays: days)
            #expect(ExprTime.days(fromCivil: y, m, d) == days)
        }
    }
}
