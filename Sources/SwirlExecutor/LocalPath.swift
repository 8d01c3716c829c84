import Foundation

/// An absolute path on this machine, as a plain string, with the part of `URL`'s interface the executor uses.
///
/// The executor builds and opens a dozen paths per step; `URL` parses and percent-decodes on every
/// `appendingPathComponent` and `.path`, which was a fifth of the controller's CPU in a fan-out. Joining strings is
/// enough for paths the executor makes itself.
struct LocalPath: Hashable, Sendable, CustomStringConvertible {
    /// The path, without a trailing slash (except for `/`).
    let path: String

    init(_ path: String) {
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed
    }

    init(_ url: URL) { self.init(url.path) }

    var description: String { path }

    /// The same path as a file URL, for Foundation APIs.
    var url: URL { URL(fileURLWithPath: path) }

    func appendingPathComponent(_ component: String) -> LocalPath {
        LocalPath(verbatim: path == "/" ? "/" + component : path + "/" + component)
    }

    func appendingPathComponent(_ component: String, isDirectory: Bool) -> LocalPath {
        appendingPathComponent(component)
    }

    var lastPathComponent: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return path == "/" ? "/" : String(path[path.index(after: slash)...])
    }

    func deletingLastPathComponent() -> LocalPath {
        guard let slash = path.lastIndex(of: "/") else { return LocalPath(verbatim: ".") }
        return slash == path.startIndex ? LocalPath(verbatim: "/") : LocalPath(verbatim: String(path[..<slash]))
    }

    private init(verbatim: String) { path = verbatim }
}
