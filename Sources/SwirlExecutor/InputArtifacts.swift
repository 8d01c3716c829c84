import Foundation
import SwirlArtifacts
import SwirlEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Loads a pod's input artifacts before the step runs (the "init" half of Argo's `argoexec`): each one is fetched
/// into `artifacts/in/<name>` and then bind-mounted at its path in the step's view, so it never touches the host's
/// own files and vanishes with the pod.
///
/// An artifact whose path lies inside a volume mount is instead copied into the volume's host directory, as Argo's
/// init container writes it through the same volume (later steps sharing the volume see it too).
struct InputArtifacts {
    let files: PodFiles
    let repository: any ArtifactRepository
    /// The step's working directory, for relative artifact paths.
    let workingDirectory: String
    /// The pod's volume binds, for artifacts placed inside a volume.
    var volumes: [VolumeBinding] = []

    /// An input artifact that could not be loaded: the step must not run.
    struct Failure: Error {
        var name: String
        var reason: String
        /// Argo's message for the node.
        var message: String { "failed to load artifact '\(name)': \(reason)" }
    }

    /// Fetches every placement and returns the binds that show them in the step's view.
    /// Optional artifacts whose source does not exist are skipped.
    /// - Throws: `Failure` for the first artifact that could not be loaded.
    func stage(_ placements: [ArtifactPlacement]) throws -> [VolumeBinding] {
        var bindings: [VolumeBinding] = []
        for placement in placements {
            do {
                if let binding = try stage(placement) { bindings.append(binding) }
            } catch {
                throw Failure(name: placement.name, reason: "\(error)")
            }
        }
        return bindings
    }

    /// Loads one artifact; nil when it is optional and its source does not exist.
    private func stage(_ placement: ArtifactPlacement) throws -> VolumeBinding? {
        try ArtifactPaths.checkName(placement.name)
        let mountPath = try ArtifactPaths.stepPath(placement.path, workingDirectory: workingDirectory)
        let staged = files.artifactIn(placement.name)
        FileIO.remove(staged)
        try FileIO.makeDirectory(files.artifactsIn)
        do {
            try fetch(placement.source, to: staged.url)
        } catch ArtifactError.notFound(_) where placement.optional {
            return nil
        }
        var source = staged
        if let sub = placement.subPath, !sub.isEmpty {
            source = try ArtifactPaths.subPath(sub).reduce(staged) { $0.appendingPathComponent($1) }
            guard FileIO.exists(source) else {
                throw ArtifactPaths.Reason("subPath \"\(sub)\" does not exist in the artifact")
            }
        }
        if let mode = placement.mode, chmod(source.path, mode_t(mode & 0o7777)) != 0 {
            throw ExecutorError.system(call: "chmod", path: source.path, errno: errno)
        }
        if let target = volumeLocation(of: mountPath) {
            try ArtifactFiles.copy(source.url, to: URL(fileURLWithPath: target))
            return nil
        }
        return VolumeBinding(hostPath: source.path, mountPath: mountPath, readOnly: false, createDirectory: false)
    }

    /// The host path of `mountPath` when it lies strictly inside a volume mount (the innermost one wins).
    private func volumeLocation(of mountPath: String) -> String? {
        let volume =
            volumes
            .filter { mountPath.hasPrefix($0.mountPath + "/") }
            .max { $0.mountPath.count < $1.mountPath.count }
        return volume.map { $0.hostPath + mountPath.dropFirst($0.mountPath.count) }
    }

    /// Brings the source's content to `path`: repository objects and downloads are unpacked as Argo unpacks them
    /// (a `.zip` key as zip, anything that is a gzip-compressed tar as tgz, the rest as it is).
    private func fetch(_ source: ArtifactSource, to path: URL) throws {
        switch source {
        case .raw(let text):
            try ArtifactFetcher.raw(text, to: path)
        case .git(let repo, let revision, let depth):
            try ArtifactFetcher.git(repo: repo, revision: revision, depth: depth, to: path)
        case .repository(let key):
            let download = path.appendingPathExtension("download")
            defer { FileIO.remove(download) }
            try repository.get(key: key, to: download)
            try unpack(download, named: key, to: path)
        case .http(let url):
            let download = path.appendingPathExtension("download")
            defer { FileIO.remove(download) }
            try ArtifactFetcher.http(url: url, to: download)
            try unpack(download, named: URL(string: url)?.path ?? url, to: path)
        }
    }

    private func unpack(_ download: URL, named name: String, to path: URL) throws {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: download.path, isDirectory: &isDirectory)
        if !isDirectory.boolValue && name.hasSuffix(".zip") && Archive.isZip(download) {
            try Archive.extract(zip: download, to: path)
        } else if !isDirectory.boolValue && Archive.isTarGzip(download) {
            try Archive.extract(tgz: download, to: path)
        } else if rename(download.path, path.path) != 0 {
            throw ExecutorError.system(call: "rename", path: path.path, errno: errno)
        }
    }
}
