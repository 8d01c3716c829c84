import Foundation
import SwirlArtifacts
import SwirlEngine

/// Saves a pod's output artifacts and archived logs after the step ends (the "wait" half of Argo's `argoexec`).
///
/// The sandbox script has already copied each output path out of the step's view into
/// `artifacts/out/<name>/<base name>` while the copy-on-write root was still mounted; this stores those copies in
/// the repository in each capture's archive format.
struct OutputArtifacts {
    /// Argo's name for the archived main logs in a node's outputs.
    static let logsName = "main-logs"

    let files: PodFiles
    let repository: any ArtifactRepository

    /// Stores every capture and records `savedArtifacts` / `artifactErrors` in `result`.
    func save(_ captures: [ArtifactCapture], into result: inout PodResult) {
        for capture in captures {
            do {
                if try save(capture) { result.savedArtifacts[capture.name] = capture.key }
            } catch {
                result.artifactErrors[capture.name] = "\(error)"
            }
        }
    }

    /// Stores the step's stdout followed by its stderr as one plain file (`main.log`) under `key`.
    func saveLogs(key: String, into result: inout PodResult) {
        do {
            try FileIO.makeDirectory(files.artifacts)
            var log = FileIO.read(files.stdoutLog) ?? Data()
            log.append(FileIO.read(files.stderrLog) ?? Data())
            try FileIO.write(log, to: files.mainLog)
            try repository.put(key: key, from: files.mainLog.url)
            result.savedArtifacts[Self.logsName] = key
        } catch {
            result.artifactErrors[Self.logsName] = "could not save the logs: \(error)"
        }
    }

    /// Stores one capture; false when it is optional and missing.
    private func save(_ capture: ArtifactCapture) throws -> Bool {
        try ArtifactPaths.checkName(capture.name)
        if let reason = FileIO.readTrimmed(files.artifactCopyError(capture.name)) {
            throw ArtifactPaths.Reason("could not copy \(capture.path): " + reason)
        }
        let copies = files.artifactOut(capture.name)
        guard let base = try? FileManager.default.contentsOfDirectory(atPath: copies.path).first else {
            if capture.optional { return false }
            throw ArtifactPaths.Reason("\(capture.path): no such file or directory")
        }
        let copy = copies.appendingPathComponent(base).url
        switch capture.archive {
        case .none:
            try repository.put(key: capture.key, from: copy)
        case .tgz, .zip:
            try FileIO.makeDirectory(files.artifactArchives)
            let archive = files.artifactArchives.appendingPathComponent(capture.name).url
            if capture.archive == .tgz {
                try Archive.tarGzip(path: copy, to: archive)
            } else {
                try Archive.zip(path: copy, to: archive)
            }
            try repository.put(key: capture.key, from: archive)
        }
        return true
    }
}
