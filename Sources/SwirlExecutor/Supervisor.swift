import Foundation
import SwirlEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Swirl's `argoexec`: one small process per pod that runs the step in the sandbox, outlives the controller,
/// and leaves the exit code, outputs and logs in the pod directory.
///
/// The supervisor itself stays in the host's mount namespace; the privileged part (the copy-on-write root and
/// bwrap) runs in a child under `unshare -m --propagation private`, so every mount vanishes with that child.
public enum Supervisor {
    /// Entry point of the hidden `swirl __supervise POD_DIR` subcommand; the CLI exits with the returned code.
    ///
    /// Holds an exclusive `flock` on `POD_DIR/supervisor.lock` for its whole life and writes its pid to
    /// `POD_DIR/supervisor.pid`; a second supervisor for the same pod exits at once with 0.
    public static func main(podDirectory: String) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        _ = chdir("/")
        switch supervise(podDirectory: URL(fileURLWithPath: podDirectory, isDirectory: true)) {
        case .alreadySupervised, .alreadyFinished, .finished:
            return 0
        case .failed(let message):
            FileHandle.standardError.write(Data("swirl supervisor: \(message)\n".utf8))
            return 1
        }
    }

    /// Does the supervisor's work in the current process and returns the result it wrote (nil when another
    /// supervisor holds the pod or the result could not be written). For tests and embedding: no detaching.
    @discardableResult
    public static func runInProcess(podDirectory: URL) -> PodResult? {
        switch supervise(podDirectory: podDirectory) {
        case .finished(let result): return result
        case .alreadyFinished(let result): return result
        case .alreadySupervised, .failed: return nil
        }
    }

    enum Outcome {
        case alreadySupervised
        case alreadyFinished(PodResult?)
        case finished(PodResult)
        case failed(String)
    }

    /// Grace between SIGTERM and SIGKILL; tests shorten it.
    nonisolated(unsafe) static var terminationGrace: TimeInterval = 5

    static func supervise(podDirectory: URL) -> Outcome {
        let files = PodFiles(podDirectory)
        let layout = SandboxLayout(podDirectory: files.directory.url)
        let lock: FileLock
        do {
            guard let acquired = try FileLock.tryAcquire(files.supervisorLock) else { return .alreadySupervised }
            lock = acquired
        } catch {
            return .failed("\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        if FileIO.exists(files.result) { return .alreadyFinished(PodJSON.readResult(files.result)) }
        try? FileIO.writeAtomically(Data("\(getpid())\n".utf8), to: files.supervisorPID)

        let podName = files.directory.lastPathComponent
        let result: PodResult
        do {
            let request = try PodJSON.decoder().decode(PodRequest.self, from: Data(contentsOf: files.request.url))
            var runner = PodRunner(layout: layout, files: files)
            runner.terminationGrace = terminationGrace
            result = runner.run(request)
        } catch {
            result = PodResult(
                exitCode: nil, error: "could not read the pod request \(files.request.path): \(error)",
                startedAt: Date(), finishedAt: Date())
        }
        do {
            try FileIO.writeAtomically(PodJSON.encode(result), to: files.result)
            try FileIO.makeDirectory(layout.doneDirectory)
            try FileIO.writeAtomically(Data(), to: layout.doneMarker(podName))
        } catch {
            return .failed("could not record the result of pod \(podName): \(error)")
        }
        cleanUp(files)
        return .finished(result)
    }

    /// Removes what only the running step needed: the copy-on-write layer, the mount point, `/tmp`, output copies,
    /// staged artifacts (the repository keeps the saved ones).
    static func cleanUp(_ files: PodFiles) {
        ScratchSpace.remove(files)
        for dir in [files.outputs, files.artifacts] { FileIO.remove(dir) }
    }
}
