/// A port of Go's `text/tabwriter` for the options Argo's CLI uses
/// (`NewWriter(w, minwidth, 0, padding, ' ', 0)`: left-aligned, space padded, no flags).
///
/// Input is text whose lines are split into cells by `\t`. Every cell except the last of a line is
/// tab-terminated and belongs to a column; a column block is a run of consecutive lines having that
/// column, and its width is the widest cell plus `padding` (at least `minWidth`). The last cell of a
/// line never takes part in alignment. Widths count Unicode scalars, as Go counts runes.
public struct TabWriter: Sendable {
    public var minWidth: Int
    public var padding: Int
    /// Drops the spaces at the end of every line (Go pads empty trailing cells; Swirl prints lines trimmed).
    public var trimsLineEnds: Bool

    /// Creates an aligner; Argo's `get` uses padding 2, `list` padding 3.
    public init(minWidth: Int = 0, padding: Int, trimsLineEnds: Bool = false) {
        self.minWidth = minWidth
        self.padding = padding
        self.trimsLineEnds = trimsLineEnds
    }

    /// Aligns `rows` (each a list of cells; all but the last are tab-terminated) and returns the text,
    /// one `\n`-terminated line per row.
    public func format(rows: [[String]]) -> String {
        var state = State(
            lines: rows.map { $0.map { Cell(text: $0, width: Self.scalarCount($0)) } },
            minWidth: minWidth, padding: padding, trimsLineEnds: trimsLineEnds)
        state.out.reserveCapacity(rows.count * 64)
        state.format(0, rows.count)
        return String(decoding: state.out, as: UTF8.self)
    }

    /// Aligns tab-separated text (lines separated by `\n`); a trailing newline is kept.
    public func format(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trailingNewline = text.hasSuffix("\n")
        if trailingNewline { lines.removeLast() }
        var result = format(
            rows: lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) })
        if !trailingNewline, result.hasSuffix("\n") { result.removeLast() }
        return result
    }

    /// Unicode scalars in `text` (Go counts runes): the UTF-8 bytes that do not continue a scalar.
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    private struct Cell {
        var text: String
        var width: Int
    }

    private struct State {
        let lines: [[Cell]]
        let minWidth: Int
        let padding: Int
        let trimsLineEnds: Bool
        var widths: [Int] = []
        var out: [UInt8] = []

        init(lines: [[Cell]], minWidth: Int, padding: Int, trimsLineEnds: Bool) {
            self.lines = lines
            self.minWidth = minWidth
            self.padding = padding
            self.trimsLineEnds = trimsLineEnds
        }

        mutating func format(_ start: Int, _ end: Int) {
            var line0 = start
            let column = widths.count
            var this = start
            while this < end {
                if column >= lines[this].count - 1 {
                    this += 1
                    continue
                }
                writeLines(line0, this)
                line0 = this
                var width = minWidth
                while this < end, column < lines[this].count - 1 {
                    width = max(width, lines[this][column].width + padding)
                    this += 1
                }
                widths.append(width)
                format(line0, this)
                widths.removeLast()
                line0 = this
            }
            writeLines(line0, end)
        }

        mutating func writeLines(_ start: Int, _ end: Int) {
            guard start < end else { return }
            for i in start..<end {
                for (j, cell) in lines[i].enumerated() {
                    out.append(contentsOf: cell.text.utf8)
                    if j < widths.count, widths[j] > cell.width {
                        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[j] - cell.width))
                    }
                }
                if trimsLineEnds {
                    while out.last == UInt8(ascii: " ") { out.removeLast() }
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
    }
}
