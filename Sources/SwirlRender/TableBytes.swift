// Helpers of `TreeRenderer`'s table: a row's cells without an array, and the aligned bytes.

/// The cells of a row after STEP, without an array per row.
struct RowCells {
    var texts: (String, String, String, String, String, String, String) = ("", "", "", "", "", "", "")
    let count: Int

    init(count: Int) { self.count = count }

    subscript(_ index: Int) -> String {
        switch index {
        case 0: return texts.0
        case 1: return texts.1
        case 2: return texts.2
        case 3: return texts.3
        case 4: return texts.4
        case 5: return texts.5
        default: return texts.6
        }
    }
}

/// The bytes of an aligned table: column widths (found first), then cells written left to right, each padded to
/// its column's width but the last, and lines trimmed of trailing spaces.
struct TableBytes {
    private(set) var widths: [Int]
    private(set) var out: [UInt8] = []

    init(widths: [Int]) { self.widths = widths }

    mutating func measure(_ column: Int, width: Int) {
        if column < widths.count - 1 { widths[column] = max(widths[column], width) }
    }

    mutating func reserve(lines: Int) { out.reserveCapacity(lines * (widths.reduce(0, +) + 16)) }

    /// Appends text that belongs to the cell that follows (not padded).
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Appends a cell, padded unless it is the last column; `width` is its width when already known.
    mutating func cell(_ column: Int, _ text: String, width: Int? = nil) {
        self.text(text)
        if column < widths.count - 1 {
            let pad = widths[column] - (width ?? TabWriter.scalarCount(text))
            if pad > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: pad)) }
        }
    }

    mutating func endLine() {
        while out.last == UInt8(ascii: " ") { out.removeLast() }
        out.append(UInt8(ascii: "\n"))
    }
}
