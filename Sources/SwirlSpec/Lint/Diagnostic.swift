import Foundation

/// One finding of `swirl lint`, located like a compiler message so editors can jump to it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad a finding is: errors make Argo (and Swirl) reject the manifest, warnings do not.
    public enum Severity: String, Sendable {
        case error, warning
    }

    /// The file the finding is in, as given to the linter.
    public var file: String
    /// 1-based line; 0 when the position is unknown.
    public var line: Int
    /// 1-based column; 0 when the position is unknown.
    public var column: Int
    /// The field path, e.g. `spec.templates[2].dag.tasks[1].template`; empty for whole-file problems.
    public var path: String
    /// What is wrong, and what was expected.
    public var message: String
    public var severity: Severity

    public init(
        file: String, line: Int, column: Int, path: String, message: String, severity: Severity = .error
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.severity = severity
    }

    /// `file:line:col: error: path: message`, the shape compilers print.
    public var description: String {
        var location = file
        if line > 0 { location += ":\(line):\(max(column, 1))" }
        let where_ = path.isEmpty ? "" : "\(path): "
        return "\(location): \(severity.rawValue): \(where_)\(message)"
    }
}

extension Diagnostic {
    /// A diagnostic from a manifest-loading error.
    init(_ error: SpecError) {
        self.init(file: error.file, line: error.line, column: error.column, path: error.field, message: error.message)
    }
}
