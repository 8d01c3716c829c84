import Foundation

/// Local file moves for executors that place artifacts themselves (for example into a shared volume).
public enum ArtifactFiles {
    /// Copies a file or directory with `cp -a` (modes and symlinks kept) to `destination`, replacing what was
    /// there and creating parent directories; the copy is renamed into place, so readers see all or nothing.
    public static func copy(_ source: URL, to destination: URL) throws {
        try FileTree.copy(source, to: destination)
    }
}
