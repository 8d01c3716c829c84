import Foundation

/// Where output artifacts are kept and input artifacts come from (Argo's artifact repository), behind one protocol
/// so the local directory and S3 (later) are interchangeable for the executor.
///
/// Keys are relative paths validated by `ArtifactKey`; a key ending in `/` names a directory object.
public protocol ArtifactRepository: Sendable {
    /// Stores the file or directory at `localPath` as it is (no archiving) under `key`, replacing what was there.
    func put(key: String, from localPath: URL) throws
    /// Copies the object under `key` (a file or a directory) to `localPath`, replacing what was there.
    /// - Throws: `ArtifactError.notFound` when nothing is stored under `key`.
    func get(key: String, to localPath: URL) throws
    /// Whether an object is stored under `key`.
    func exists(key: String) throws -> Bool
    /// Deletes every object whose key starts with `prefix` (as an S3 prefix: `wf/` is a directory, `wf/po` also
    /// matches `wf/pod-1`); an empty prefix deletes everything.
    func delete(prefix: String) throws
}
