import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// File and directory moves shared by the repository, the archives and the fetchers.
enum FileTree {
    /// Whether something (a file, directory or symlink, even a dangling one) is at `url`.
    static func exists(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Whether `url` is a directory (following symlinks).
    static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Removes a tree, ignoring a missing one.
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Creates `url` and its parents.
    static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ArtifactError.io(
                path: url.path, reason: "could not create the directory: \(error.localizedDescription)")
        }
    }

    /// A unique, not-yet-existing sibling of `url` for staging a copy before renaming it into place.
    static func temporarySibling(of url: URL, _ tag: String = "tmp") -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Copies a file or a whole directory with `cp -a` (modes, symlinks and timestamps preserved), replacing
    /// `destination`. The copy is made next to the destination and renamed over it, so readers see all or nothing.
    static func copy(_ source: URL, to destination: URL) throws {
        guard exists(source) else { throw ArtifactError.noSuchFile(source.path) }
        try makeDirectory(destination.deletingLastPathComponent())
        let staging = temporarySibling(of: destination)
        do {
            try HostTool.run("cp", ["-a", "--", source.path, staging.path])
            try replace(destination, with: staging)
        } catch {
            remove(staging)
            throw error
        }
    }

    /// Renames `source` to `destination`, first removing what was at the destination.
    static func replace(_ destination: URL, with source: URL) throws {
        if rename(source.path, destination.path) == 0 { return }
        // rename(2) cannot replace a non-empty directory, or a directory with a file: clear the way first.
        remove(destination)
        if rename(source.path, destination.path) != 0 {
            throw ArtifactError.io(
                path: destination.path,
                reason: "could not move \(source.path) here: \(String(cString: strerror(errno)))")
        }
    }
}
