import Foundation
import Synchronization

/// Time zone abbreviations as Go prints them (`CET`, `EDT`), read from the system's tz database (TZif files under
/// `/usr/share/zoneinfo`): Foundation on Linux only offers `GMT+1`-style names.
enum ZoneAbbreviation {
    /// The abbreviation the zone `identifier` uses for `utcOffset` (and daylight saving or not), or nil when the
    /// database has none for it (the caller then prints the offset, as Go does for zones without one).
    static func name(zone identifier: String, utcOffset: Int, isDaylightSaving: Bool) -> String? {
        let types = cache.withLock { cache in
            if let known = cache[identifier] { return known }
            let read = readTypes(identifier)
            cache[identifier] = read
            return read
        }
        // The last matching type: later entries describe more recent rules.
        let match =
            types.last { $0.offset == utcOffset && $0.isDST == isDaylightSaving }
            ?? types.last { $0.offset == utcOffset }
        guard let name = match?.name, !name.isEmpty, !name.hasPrefix("+"), !name.hasPrefix("-") else { return nil }
        return name
    }

    struct LocalTimeType: Sendable {
        var offset: Int
        var isDST: Bool
        var name: String
    }

    private static let cache = Mutex<[String: [LocalTimeType]]>([:])

    /// The local time types of a TZif file (RFC 8536): the version 2+ block when there is one, else version 1.
    static func readTypes(_ identifier: String) -> [LocalTimeType] {
        guard !identifier.contains(".."),
            let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/" + identifier)
        else { return [] }
        return parse(Array(data))
    }

    static func parse(_ bytes: [UInt8]) -> [LocalTimeType] {
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            return Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        func block(at start: Int, timeSize: Int) -> (types: [LocalTimeType], end: Int)? {
            guard start + 44 <= bytes.count, Array(bytes[start..<start + 4]) == Array("TZif".utf8),
                let isUT = u32(start + 20), let isStd = u32(start + 24), let leap = u32(start + 28),
                let times = u32(start + 32), let typeCount = u32(start + 36), let chars = u32(start + 40)
            else { return nil }
            let typesAt = start + 44 + times * timeSize + times
            let charsAt = typesAt + typeCount * 6
            let end = charsAt + chars + leap * (timeSize + 4) + isStd + isUT
            guard end <= bytes.count else { return nil }
            var types: [LocalTimeType] = []
            for index in 0..<typeCount {
                let at = typesAt + index * 6
                guard let raw = u32(at) else { return nil }
                let offset = raw >= 0x8000_0000 ? raw - 0x1_0000_0000 : raw
                let nameAt = charsAt + Int(bytes[at + 5])
                let name = bytes[min(nameAt, charsAt + chars)..<(charsAt + chars)].prefix { $0 != 0 }
                types.append(
                    LocalTimeType(
                        offset: offset, isDST: bytes[at + 4] != 0, name: String(decoding: name, as: UTF8.self)))
            }
            return (types, end)
        }
        guard let first = block(at: 0, timeSize: 4) else { return [] }
        if bytes.count > 4, bytes[4] >= UInt8(ascii: "2"), let second = block(at: first.end, timeSize: 8) {
            return second.types
        }
        return first.types
    }
}
