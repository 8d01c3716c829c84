import Foundation

/// Why the sandbox executor could not do what it was asked.
public enum ExecutorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A name used as a path component (pod, volume, workflow uid) is empty or contains `/`, `..` or NUL.
    case invalidName(kind: String, name: String)
    /// A system call failed.
    case system(call: String, path: String, errno: Int32)
    /// The supervisor could not be launched.
    case launchFailed(command: [String], errno: Int32)

    public var description: String {
        switch self {
        case .invalidName(let kind, let name):
            return "invalid \(kind) name \"\(name)\": expected a non-empty name without '/', '..' or NUL"
        case .system(let call, let path, let code):
            return "\(call) failed for \(path): \(String(cString: strerror(code)))"
        case .launchFailed(let command, let code):
            return
                "could not launch the pod supervisor \(command.joined(separator: " ")): \(String(cString: strerror(code)))"
        }
    }

    /// Checks that `name` is safe to use as one path component.
    static func validate(_ name: String, kind: String) throws {
        // Byte checks: `String.contains(_:)` with a string argument goes through Foundation, once per pod event.
        if name.isEmpty || name == "." || name == ".." || name.utf8.contains(where: { $0 == 0x2F || $0 == 0 }) {
            throw ExecutorError.invalidName(kind: kind, name: name)
        }
    }
}
