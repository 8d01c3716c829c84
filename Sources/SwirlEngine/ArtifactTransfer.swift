import Foundation

/// Where an input artifact's content comes from, fully resolved by the engine.
public enum ArtifactSource: Codable, Sendable, Hashable {
    /// An object of the artifact repository (a `.tgz` archive, a `.zip`, or a plain file/directory), by key.
    case repository(key: String)
    /// Inline text (`raw.data`).
    case raw(String)
    /// Downloaded from a URL (`http.url`).
    case http(url: String)
    /// Cloned from a git repository (`git.repo`, `revision`, `depth`).
    case git(repo: String, revision: String?, depth: Int?)
}

/// An input artifact to place in the step's view before it runs.
public struct ArtifactPlacement: Codable, Sendable, Hashable {
    public var name: String
    /// Absolute path in the step's view.
    public var path: String
    public var source: ArtifactSource
    /// File mode to apply (Argo's `mode`), if any.
    public var mode: Int?
    /// A missing source is not an error.
    public var optional: Bool
    /// Only this sub-path of the source (`subPath`).
    public var subPath: String?

    public init(
        name: String, path: String, source: ArtifactSource, mode: Int? = nil, optional: Bool = false,
        subPath: String? = nil
    ) {
        self.name = name
        self.path = path
        self.source = source
        self.mode = mode
        self.optional = optional
        self.subPath = subPath
    }
}

/// How an output artifact is stored.
public enum ArchiveFormat: String, Codable, Sendable, Hashable {
    /// tar + gzip (Argo's default; key ends `.tgz`).
    case tgz
    /// Stored as it is (a file, or a directory copied recursively).
    case none
    case zip
}

/// An output artifact to save from the step's view after it ends.
public struct ArtifactCapture: Codable, Sendable, Hashable {
    public var name: String
    /// Absolute path in the step's view.
    public var path: String
    /// Repository key to store it under.
    public var key: String
    public var archive: ArchiveFormat
    /// A missing path is not an error.
    public var optional: Bool

    public init(name: String, path: String, key: String, archive: ArchiveFormat = .tgz, optional: Bool = false) {
        self.name = name
        self.path = path
        self.key = key
        self.archive = archive
        self.optional = optional
    }
}
