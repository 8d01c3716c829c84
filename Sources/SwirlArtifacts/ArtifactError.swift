import Foundation

/// Why an artifact could not be stored, fetched or unpacked; the description is what a node's message shows.
public enum ArtifactError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A repository key that is empty, absolute, or has an empty, `.` or `..` component (or a NUL).
    case invalidKey(String, reason: String)
    /// Nothing is stored under this key, or the source does not exist (an optional artifact may be skipped).
    case notFound(String)
    /// A local path that must exist does not.
    case noSuchFile(String)
    /// A host tool the operation needs (tar, gzip, zip, unzip, curl, git) is not installed.
    case toolMissing(String, package: String)
    /// A host tool ran and failed.
    case commandFailed(command: String, status: Int32, output: String)
    /// A file operation failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidKey(let key, let reason):
            return "invalid artifact key \"\(key)\": \(reason)"
        case .notFound(let what):
            return "\(what): not found"
        case .noSuchFile(let path):
            return "\(path): no such file or directory"
        case .toolMissing(let tool, let package):
            return
                "\(tool) is needed to move artifacts and is not installed; install it with: apt-get install -y \(package)"
        case .commandFailed(let command, let status, let output):
            let detail = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(command) failed (exit status \(status))" + (detail.isEmpty ? "" : ": \(detail)")
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
