import Yams

/// Collects the diagnostics of one file and knows its text, to place findings inside multi-line strings.
final class LintContext {
    let file: String
    let lines: [Substring]
    /// Parsers of embedded expressions, when the caller supplied them.
    let expressions: (any ExpressionSyntaxChecker)?
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, text: String, expressions: (any ExpressionSyntaxChecker)? = nil) {
        self.file = file
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.expressions = expressions
    }

    /// Records a finding at `node`'s position.
    func report(_ message: String, at node: Node?, path: FieldPath, severity: Diagnostic.Severity = .error) {
        let mark = node?.mark
        report(message, line: mark?.line ?? 0, column: mark?.column ?? 0, path: path, severity: severity)
    }

    /// Records a finding at an explicit position.
    func report(_ message: String, line: Int, column: Int, path: FieldPath, severity: Diagnostic.Severity = .error) {
        diagnostics.append(
            Diagnostic(file: file, line: line, column: column, path: path.text, message: message, severity: severity))
    }

    func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// Records a finding made elsewhere in the order it would have been made in (see `Linter.lintDocument`).
    func insert(_ diagnostic: Diagnostic, at index: Int) {
        diagnostics.insert(diagnostic, at: min(index, diagnostics.count))
    }

    /// Where the `occurrence`-th (0-based) appearance of `needle` is, searching the file from `node`'s line;
    /// falls back to the node's own position.
    func position(of needle: String, occurrence: Int, from node: Node) -> (line: Int, column: Int) {
        let start = node.mark?.line ?? 0
        let fallback = (start, node.mark?.column ?? 0)
        guard start > 0, !needle.isEmpty else { return fallback }
        var remaining = occurrence
        var lineIndex = start - 1
        var searchFrom: String.Index? = nil
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            var from = line.startIndex
            if lineIndex == start - 1 {
                // Skip to the node's column on its first line so an earlier key with the same text is not matched.
                let col = max((node.mark?.column ?? 1) - 1, 0)
                from =
                    line.unicodeScalars.index(line.startIndex, offsetBy: col, limitedBy: line.endIndex) ?? line.endIndex
            }
            if let s = searchFrom { from = s; searchFrom = nil }
            if let range = line[from...].range(of: needle) {
                if remaining == 0 {
                    let column = line.unicodeScalars.distance(from: line.startIndex, to: range.lowerBound) + 1
                    return (lineIndex + 1, column)
                }
                remaining -= 1
                searchFrom = range.upperBound
                continue
            }
            lineIndex += 1
            if lineIndex - start > 10_000 { break }
        }
        return fallback
    }

    /// Number of errors recorded so far.
    var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
}
