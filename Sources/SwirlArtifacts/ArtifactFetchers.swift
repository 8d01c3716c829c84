import Foundation

/// Brings an input artifact's content from a non-repository source (`raw`, `http`, `git`) to a local path, which
/// it replaces. Repository objects come through `ArtifactRepository.get`.
public enum ArtifactFetcher {
    /// Writes `text` as the file `path` (Argo's `raw.data`).
    public static func raw(_ text: String, to path: URL) throws {
        try FileTree.makeDirectory(path.deletingLastPathComponent())
        let staging = FileTree.temporarySibling(of: path)
        do {
            try Data(text.utf8).write(to: staging)
        } catch {
            throw ArtifactError.io(path: path.path, reason: "could not write: \(error.localizedDescription)")
        }
        try FileTree.replace(path, with: staging)
    }

    /// Downloads `url` to the file `path` with `curl -fsSL` (redirects followed, HTTP errors are failures).
    /// - Throws: `ArtifactError.notFound` for a 404, so an optional artifact can be skipped.
    public static func http(url: String, to path: URL) throws {
        try FileTree.makeDirectory(path.deletingLastPathComponent())
        let staging = FileTree.temporarySibling(of: path)
        defer { FileTree.remove(staging) }
        do {
            try HostTool.run(
                "curl", ["-fsSL", "--connect-timeout", "30", "--retry", "2", "-o", staging.path, "--", url])
        } catch ArtifactError.commandFailed(_, 22, let output) where output.contains("404") {
            throw ArtifactError.notFound("\(url) (HTTP 404)")
        }
        try FileTree.replace(path, with: staging)
    }

    /// Clones `repo` into the directory `path` (`git clone --depth N`), then checks out `revision` (a branch, tag
    /// or commit), fetching it explicitly when a shallow clone does not contain it. The `.git` directory is kept,
    /// as in Argo.
    public static func git(repo: String, revision: String?, depth: Int?, to path: URL) throws {
        try FileTree.makeDirectory(path.deletingLastPathComponent())
        let staging = FileTree.temporarySibling(of: path)
        defer { FileTree.remove(staging) }
        let environment = ["GIT_TERMINAL_PROMPT": "0"]
        var clone = ["clone", "--quiet"]
        if let depth, depth > 0 { clone += ["--depth", String(depth), "--no-single-branch"] }
        try HostTool.run("git", clone + ["--", repo, staging.path], environment: environment)
        if let revision, !revision.isEmpty {
            let git = ["-C", staging.path]
            do {
                try HostTool.run("git", git + ["checkout", "--quiet", revision], environment: environment)
            } catch {
                var fetch = git + ["fetch", "--quiet"]
                if let depth, depth > 0 { fetch += ["--depth", String(depth)] }
                try HostTool.run("git", fetch + ["origin", revision], environment: environment)
                try HostTool.run("git", git + ["checkout", "--quiet", "FETCH_HEAD"], environment: environment)
            }
        }
        try FileTree.replace(path, with: staging)
    }
}
