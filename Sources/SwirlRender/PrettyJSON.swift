import SwirlSpec

#if canImport(Glibc)
    import Glibc
#endif

/// Re-prints compact JSON exactly as Foundation's JSONEncoder prints it with `.prettyPrinted`, `.sortedKeys` and
/// `.withoutEscapingSlashes` (two-space indent, `"key" : value`, keys in UTF-8 byte order, empty containers as
/// `{\n\n}`), from bytes alone: `swirl get -o json` on a 100,000-node workflow printed 66 MB through Codable in
/// seconds. The input must be JSON that JSONEncoder wrote (canonical escapes; `\/` is unescaped here).
public enum PrettyJSON {
    /// The pretty text of `compact`, or nil when it is not well-formed JSON.
    public static func format(_ compact: String) -> String? {
        var compact = compact
        return compact.withUTF8 { bytes -> String? in
            var printer = Printer(bytes: bytes)
            printer.out.reserveCapacity(bytes.count * 2)
            guard printer.value(indent: 0) else { return nil }
            printer.skipSpace()
            guard printer.index == bytes.count else { return nil }
            return String(decoding: printer.out, as: UTF8.self)
        }
    }

    /// Appends the pretty text of one compact JSON value as it prints nested `indent` spaces deep (its first line
    /// not indented, its closing bracket at `indent`); false, with `out` partly written, when it is not well-formed.
    static func append(_ compact: UnsafeBufferPointer<UInt8>, indent: Int, to out: inout [UInt8]) -> Bool {
        var printer = Printer(bytes: compact)
        swap(&printer.out, &out)
        defer { swap(&printer.out, &out) }
        guard printer.value(indent: indent) else { return false }
        printer.skipSpace()
        return printer.index == compact.count
    }

    private struct Printer {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var out: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while index < bytes.count,
                bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                    || bytes[index] == 0x09
            {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// `{}` or `[]` as JSONEncoder prints an empty container: an empty line between the brackets.
        mutating func emptyContainer(_ open: UInt8, _ close: UInt8, indent: Int) {
            out.append(open)
            out.append(0x0A)
            newline(indent)
            out.append(close)
        }

        mutating func newline(_ indent: Int) {
            out.append(0x0A)
            Spaces.append(indent, to: &out)
        }

        /// The byte range of the string starting at `index` (quotes included), after checking its escapes.
        mutating func stringRange() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index - 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<index
                case UInt8(ascii: "\\"): index += 2
                case 0..<0x20: return nil
                default: index += 1
                }
            }
            return nil
        }

        /// Copies a string, turning `\/` into `/` as `.withoutEscapingSlashes` prints it: the runs between
        /// backslashes are copied whole (byte by byte, this was the printer's largest cost).
        mutating func copyString(_ range: Range<Int>) {
            guard let base = bytes.baseAddress else { return }
            var run = range.lowerBound
            var i = range.lowerBound
            while i < range.upperBound {
                guard let found = memchr(base + i, Int32(UInt8(ascii: "\\")), range.upperBound - i) else { break }
                i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if i + 1 < range.upperBound, bytes[i + 1] == UInt8(ascii: "/") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                    out.append(UInt8(ascii: "/"))
                    run = i + 2
                }
                i += 2
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<range.upperBound]))
        }

        /// Skips a value without printing it; its range.
        mutating func skipValue() -> Range<Int>? {
            skipSpace()
            let start = index
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""): return stringRange()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                if take(close) { return start..<index }
                repeat {
                    if close == UInt8(ascii: "}") {
                        guard stringRange() != nil, take(UInt8(ascii: ":")) else { return nil }
                    }
                    guard skipValue() != nil else { return nil }
                } while take(UInt8(ascii: ","))
                return take(close) ? start..<index : nil
            default:
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                        return index > start ? start..<index : nil
                    default: index += 1
                    }
                }
                return index > start ? start..<index : nil
            }
        }

        mutating func value(indent: Int) -> Bool {
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object(indent: indent)
            case UInt8(ascii: "["): return array(indent: indent)
            case UInt8(ascii: "\""):
                guard let range = stringRange() else { return false }
                copyString(range)
                return true
            default:
                guard let range = skipValue() else { return false }
                out.append(contentsOf: bytes[range])
                return true
            }
        }

        /// Prints an object whose keys already come in order (as `.sortedKeys` wrote them) in one pass; false,
        /// with nothing printed and the position back at the `{`, when they do not (or on malformed input).
        mutating func orderedObject(indent: Int) -> Bool {
            let start = index
            let outStart = out.count
            index += 1
            if take(UInt8(ascii: "}")) {
                emptyContainer(UInt8(ascii: "{"), UInt8(ascii: "}"), indent: indent)
                return true
            }
            out.append(UInt8(ascii: "{"))
            var previous: Range<Int>?
            var ordered = true
            repeat {
                guard let key = stringRange(), take(UInt8(ascii: ":")) else {
                    ordered = false
                    break
                }
                let inner = bytes[key.lowerBound + 1..<key.upperBound - 1]
                if inner.contains(UInt8(ascii: "\\")) {
                    ordered = false
                    break
                }
                if let previous,
                    !precedes(
                        previous.lowerBound + 1..<previous.upperBound - 1, key.lowerBound + 1..<key.upperBound - 1)
                {
                    ordered = false
                    break
                }
                previous = key
                if out.count > outStart + 1 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2)
                out.append(contentsOf: bytes[key])
                out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
                guard value(indent: indent + 2) else {
                    ordered = false
                    break
                }
            } while take(UInt8(ascii: ","))
            if ordered && take(UInt8(ascii: "}")) {
                newline(indent)
                out.append(UInt8(ascii: "}"))
                return true
            }
            out.removeSubrange(outStart...)
            index = start
            return false
        }

        mutating func object(indent: Int) -> Bool {
            if orderedObject(indent: indent) { return true }
            // Keys out of order (`orderedObject` prints empty objects, so this one has entries).
            index += 1
            var entries: [(key: Range<Int>, value: Int)] = []
            repeat {
                guard let key = stringRange(), take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                let valueStart = index
                guard skipValue() != nil else { return false }
                entries.append((key, valueStart))
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
            let end = index
            out.append(UInt8(ascii: "{"))
            sortByKey(&entries)
            for (position, entry) in entries.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 2)
                copyString(entry.key)
                out.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
                index = entry.value
                guard value(indent: indent + 2) else { return false }
            }
            index = end
            newline(indent)
            out.append(UInt8(ascii: "}"))
            return true
        }

        /// Whether `bytes[a]` sorts before `bytes[b]`, byte-wise (`memcmp`, not a generic byte-at-a-time loop).
        func precedes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            let shared = min(a.count, b.count)
            if shared > 0, let base = bytes.baseAddress {
                let order = memcmp(base + a.lowerBound, base + b.lowerBound, shared)
                if order != 0 { return order < 0 }
            }
            return a.count < b.count
        }

        /// Sorts entries as `.sortedKeys` does: by the keys' UTF-8 bytes once unescaped (a key without a backslash
        /// is compared as it stands).
        func sortByKey(_ entries: inout [(key: Range<Int>, value: Int)]) {
            let bytes = self.bytes
            func inner(_ range: Range<Int>) -> Slice<UnsafeBufferPointer<UInt8>> {
                bytes[range.lowerBound + 1..<range.upperBound - 1]
            }
            guard entries.contains(where: { inner($0.key).contains(UInt8(ascii: "\\")) }) else {
                entries.sort {
                    precedes(
                        $0.key.lowerBound + 1..<$0.key.upperBound - 1, $1.key.lowerBound + 1..<$1.key.upperBound - 1)
                }
                return
            }
            let keyed = entries.map { entry -> ([UInt8], (key: Range<Int>, value: Int)) in
                var reader = JSONByteReader(bytes: UnsafeBufferPointer(rebasing: bytes[entry.key]))
                return (Array((reader.string() ?? "").utf8), entry)
            }
            entries = keyed.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
        }

        mutating func array(indent: Int) -> Bool {
            index += 1
            if take(UInt8(ascii: "]")) {
                emptyContainer(UInt8(ascii: "["), UInt8(ascii: "]"), indent: indent)
                return true
            }
            out.append(UInt8(ascii: "["))
            var first = true
            repeat {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                newline(indent + 2)
                guard value(indent: indent + 2) else { return false }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "]")) else { return false }
            newline(indent)
            out.append(UInt8(ascii: "]"))
            return true
        }
    }
}

/// Indentation without a generic `repeatElement` append per line.
enum Spaces {
    private static let run = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    static func append(_ count: Int, to out: inout [UInt8]) {
        var left = count
        while left > 0 {
            let part = min(left, run.count)
            run.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<part])) }
            left -= part
        }
    }
}
