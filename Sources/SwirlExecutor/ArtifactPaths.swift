import Foundation

/// Checks the names and paths of artifacts before they become host paths or mount points.
enum ArtifactPaths {
    /// The artifact path as an absolute, normalized path in the step's view (relative paths are taken from the
    /// working directory, as a container resolves them).
    /// - Throws: a reason when the path is `/` or contains `..`.
    static func stepPath(_ path: String, workingDirectory: String) throws -> String {
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        let normalized = VolumeResolver.normalize(absolute)
        let parts = normalized.split(separator: "/")
        if parts.isEmpty { throw Reason("path \"\(path)\" must name a file or directory, not /") }
        if parts.contains(where: { $0 == ".." || $0 == "." }) {
            throw Reason("path \"\(path)\" must not contain '.' or '..' components")
        }
        return normalized
    }

    /// `name` must be usable as one path component of the staging directories.
    static func checkName(_ name: String) throws {
        do { try ExecutorError.validate(name, kind: "artifact") } catch { throw Reason("\(error)") }
    }

    /// A relative `subPath` inside a fetched artifact, without `..`.
    static func subPath(_ sub: String) throws -> [String] {
        let parts = sub.split(separator: "/").map(String.init).filter { $0 != "." }
        if sub.hasPrefix("/") || parts.contains("..") {
            throw Reason("subPath \"\(sub)\" must be a relative path without '..'")
        }
        return parts
    }

    /// A failure described in words, shown after "failed to load/save artifact 'NAME': ".
    struct Reason: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
