/// A validated repository key: a relative, `/`-separated path such as `wf/pod/main.tgz`.
///
/// Keys become paths under a repository root (or object names in a bucket), so anything that could escape the root
/// is rejected up front rather than resolved.
public struct ArtifactKey: Sendable, Hashable, CustomStringConvertible {
    /// The key as given.
    public let rawValue: String
    /// Its non-empty components, in order.
    public let components: [String]
    /// A key ending in `/` names a directory object.
    public var isDirectory: Bool { rawValue.hasSuffix("/") }

    /// Validates `key`.
    /// - Throws: `ArtifactError.invalidKey` for an empty or absolute key, or one with an empty, `.` or `..`
    ///   component or a NUL character.
    public init(_ key: String) throws {
        guard !key.isEmpty else { throw ArtifactError.invalidKey(key, reason: "a key must not be empty") }
        guard !key.hasPrefix("/") else {
            throw ArtifactError.invalidKey(key, reason: "a key must be a relative path, not an absolute one")
        }
        guard !key.contains("\0") else { throw ArtifactError.invalidKey(key, reason: "a key must not contain NUL") }
        let body = key.hasSuffix("/") ? String(key.dropLast()) : key
        let parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty {
                throw ArtifactError.invalidKey(key, reason: "a key must not contain an empty component ('//')")
            }
            if part == "." || part == ".." {
                throw ArtifactError.invalidKey(key, reason: "a key must not contain '.' or '..' components")
            }
        }
        rawValue = key
        components = parts
    }

    public var description: String { rawValue }
}
