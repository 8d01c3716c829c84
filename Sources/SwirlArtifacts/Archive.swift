import Foundation

/// Argo's artifact archives: tar + gzip (the default, keys ending `.tgz`) and zip, written and read with the host's
/// `tar`/`gzip` and `zip`/`unzip` (see `HostTool`).
///
/// An archive holds the file or directory under its base name, as Argo's `archive.TarGzToWriter` writes it:
/// archiving `/tmp/out` gives entries `out/`, `out/a.txt` …; archiving `/tmp/x.txt` gives one entry `x.txt`.
///
/// Extracting follows Argo's `unpack`: the archive is extracted into a temporary directory next to the
/// destination; if that holds exactly one entry (a file or a directory), the entry itself is moved to the
/// destination path (so `x.txt` lands *at* `path`, and `out/` becomes the directory `path`); otherwise the
/// temporary directory, with all its entries, becomes the directory `path`.
public enum Archive {
    /// Writes a gzip-compressed tar of `path` (a file or directory, stored under its base name) to `archive`.
    public static func tarGzip(path: URL, to archive: URL) throws {
        try checkSource(path)
        try FileTree.makeDirectory(archive.deletingLastPathComponent())
        let staging = FileTree.temporarySibling(of: archive)
        defer { FileTree.remove(staging) }
        let parent = path.standardizedFileURL.deletingLastPathComponent().path
        try HostTool.run("tar", ["-czf", staging.path, "-C", parent, "--", path.standardizedFileURL.lastPathComponent])
        try FileTree.replace(archive, with: staging)
    }

    /// Extracts a tar + gzip archive at `path` with Argo's semantics (see the type's documentation).
    public static func extract(tgz archive: URL, to path: URL) throws {
        try unpack(archive, to: path) { scratch in
            try HostTool.run("tar", ["-xzf", archive.path, "-C", scratch.path, "--no-same-owner"])
        }
    }

    /// Writes a zip of `path` (a file or directory, stored under its base name; symlinks kept as links).
    public static func zip(path: URL, to archive: URL) throws {
        try checkSource(path)
        try FileTree.makeDirectory(archive.deletingLastPathComponent())
        let staging = FileTree.temporarySibling(of: archive).appendingPathExtension("zip")
        defer { FileTree.remove(staging) }
        let source = path.standardizedFileURL
        try HostTool.run(
            "zip", ["-qry", staging.path, "--", source.lastPathComponent],
            in: source.deletingLastPathComponent())
        try FileTree.replace(archive, with: staging)
    }

    /// Extracts a zip archive at `path` with the same single-entry rule as `extract(tgz:to:)`.
    public static func extract(zip archive: URL, to path: URL) throws {
        try unpack(archive, to: path) { scratch in
            try HostTool.run("unzip", ["-qo", archive.path, "-d", scratch.path])
        }
    }

    /// Whether `url` is a gzip-compressed tar (Argo decides by content, not by name).
    public static func isTarGzip(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        try? handle.close()
        guard magic == Data([0x1f, 0x8b]) else { return false }
        return (try? HostTool.run("tar", ["-tzf", url.path])) != nil
    }

    /// Whether `url` starts like a zip archive (`PK\3\4`).
    public static func isZip(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4b, 0x03, 0x04])
    }

    private static func checkSource(_ path: URL) throws {
        guard FileTree.exists(path) else { throw ArtifactError.noSuchFile(path.path) }
    }

    /// Argo's `unpack`: extract into a scratch sibling, then move the single entry (or the scratch directory) to
    /// `path`, replacing whatever was there.
    private static func unpack(_ archive: URL, to path: URL, extract: (URL) throws -> Void) throws {
        guard FileTree.exists(archive) else { throw ArtifactError.noSuchFile(archive.path) }
        let scratch = FileTree.temporarySibling(of: path, "unpack")
        try FileTree.makeDirectory(scratch)
        defer { FileTree.remove(scratch) }
        try extract(scratch)
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        if entries.count == 1 {
            try FileTree.replace(path, with: scratch.appendingPathComponent(entries[0]))
        } else {
            try FileTree.replace(path, with: scratch)
        }
    }
}
