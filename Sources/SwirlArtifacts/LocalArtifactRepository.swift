import Foundation

/// An artifact repository in a local directory (`$SWIRL_HOME/artifacts`): the object under key `wf/pod/out.tgz`
/// is the file (or directory) `<root>/wf/pod/out.tgz`.
///
/// Objects are copied in next to their final place and renamed over it, so a reader never sees half an object.
public struct LocalArtifactRepository: ArtifactRepository {
    /// The directory that holds every object.
    public let root: URL

    /// A repository rooted at `root` (created on first `put`).
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The local path of the object under `key`.
    /// - Throws: `ArtifactError.invalidKey` for a key that could leave the root.
    public func location(of key: String) throws -> URL {
        let key = try ArtifactKey(key)
        return key.components.reduce(root) { $0.appendingPathComponent($1) }
    }

    public func put(key: String, from localPath: URL) throws {
        let parsed = try ArtifactKey(key)
        guard FileTree.exists(localPath) else { throw ArtifactError.noSuchFile(localPath.path) }
        if parsed.isDirectory && !FileTree.isDirectory(localPath) {
            throw ArtifactError.invalidKey(
                key, reason: "a key ending in '/' names a directory, but \(localPath.path) is a file")
        }
        try FileTree.copy(localPath, to: try location(of: key))
    }

    public func get(key: String, to localPath: URL) throws {
        let object = try location(of: key)
        guard FileTree.exists(object) else { throw ArtifactError.notFound("artifact key \"\(key)\"") }
        try FileTree.copy(object, to: localPath)
    }

    public func exists(key: String) throws -> Bool {
        FileTree.exists(try location(of: key))
    }

    public func delete(prefix: String) throws {
        if prefix.isEmpty {
            let entries =
                (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
            entries.forEach(FileTree.remove)
            return
        }
        let parsed = try ArtifactKey(prefix)
        if parsed.isDirectory {
            FileTree.remove(try location(of: prefix))
            return
        }
        // An S3-style prefix: every entry of the parent directory whose name starts with the last component.
        let parent = parsed.components.dropLast().reduce(root) { $0.appendingPathComponent($1) }
        let stem = parsed.components.last ?? ""
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix(stem) {
            FileTree.remove(parent.appendingPathComponent(name))
        }
    }
}
