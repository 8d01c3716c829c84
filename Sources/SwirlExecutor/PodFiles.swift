import Foundation

/// The names of the files inside one pod directory, in one place.
struct PodFiles: Sendable {
    let directory: LocalPath
    /// The pod's scratch directory, on a tmpfs (`/dev/shm`) when there is one: everything only a live step needs
    /// (copy-on-write layer, the step's root mount point and `/tmp`, the sandbox script, its pid and status files,
    /// the direct-launch mark) lives there, so a step creates and deletes almost no inodes on the disk: ext4's
    /// inode allocator slows down badly under that churn, and writing the files there cost milliseconds per step.
    /// A supervised pod keeps its request and result in the pod directory; a directly launched pod has no pod
    /// directory on the disk at all (see `SandboxExecutor+Direct`). Removed once the result is recorded.
    /// Computed once: it hashes the pod directory's path.
    let scratch: LocalPath
    /// The step's standard output and error, in the home's `logs` directory (`<home>/logs/<pod>.stdout.log`), not
    /// in the pod directory: a directly launched pod needs no directory of its own on the disk, where a new inode
    /// costs a quarter of a millisecond on this kind of machine (ext4 without a journal skips every recently freed
    /// inode). Computed once: they are named on every step.
    let stdoutLog: LocalPath
    let stderrLog: LocalPath

    /// The files of the pod whose directory is `directory` (`<home>/pods/<pod>`).
    init(_ directory: LocalPath) {
        self.directory = directory
        scratch = ScratchSpace.directory(for: directory)
        let logs = directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            SandboxLayout.logsDirectoryName)
        stdoutLog = logs.appendingPathComponent(directory.lastPathComponent + ".stdout.log")
        stderrLog = logs.appendingPathComponent(directory.lastPathComponent + ".stderr.log")
    }

    init(_ directory: URL) { self.init(LocalPath(directory.standardizedFileURL)) }

    private func file(_ name: String) -> LocalPath { directory.appendingPathComponent(name, isDirectory: false) }
    private func dir(_ name: String) -> LocalPath { directory.appendingPathComponent(name, isDirectory: true) }

    /// The `PodRequest` as JSON; its presence means "started". A supervised pod's.
    var request: LocalPath { file("request.json") }
    /// A directly launched pod's request: in its scratch space (a tmpfs), which lives exactly as long as the
    /// request is needed (until the controller has stored the pod's result), so that starting a pod creates no file
    /// on the disk.
    var directRequest: LocalPath { scratchFile("request.json") }
    /// The `PodResult` as JSON, written by a pod's supervisor (a directly launched pod's result is collected from
    /// its scratch space instead, which stays until the controller has stored it); its presence means "finished".
    var result: LocalPath { file("result.json") }
    /// Held with an exclusive `flock` for the supervisor's whole life.
    var supervisorLock: LocalPath { file("supervisor.lock") }
    var supervisorPID: LocalPath { file("supervisor.pid") }
    /// The supervisor's own diagnostics (and those of the sandbox script).
    var supervisorLog: LocalPath { scratchFile("supervisor.log") }
    /// Created by `kill(podName:)`; the supervisor watches for it.
    var terminateRequest: LocalPath { file("terminate") }
    /// The process group of the sandbox, so a kill can reach it when the supervisor is gone.
    var sandboxPGID: LocalPath { scratchFile("sandbox.pgid") }
    /// The generated shell script that mounts the overlay and runs bwrap in a private mount namespace.
    var sandboxScript: LocalPath { scratchFile("sandbox.sh") }

    /// Upper and work directories of the overlay (possibly on a tmpfs mounted here).
    var layer: LocalPath { scratch.appendingPathComponent("layer", isDirectory: true) }
    /// Where the overlay is mounted inside the private mount namespace; the step's `/`.
    var merged: LocalPath { scratch.appendingPathComponent("merged", isDirectory: true) }
    /// The step's `/tmp`.
    var tmp: LocalPath { scratch.appendingPathComponent("tmp", isDirectory: true) }
    private func scratchFile(_ name: String) -> LocalPath { scratch.appendingPathComponent(name, isDirectory: false) }
    /// Template-level `emptyDir` volumes.
    var volumes: LocalPath { dir("volumes") }
    /// Script templates' source (`script/script`, bound at `/argo/staging/script`).
    var scriptDirectory: LocalPath { scratch.appendingPathComponent("script", isDirectory: true) }
    var scriptFile: LocalPath { scriptDirectory.appendingPathComponent("script", isDirectory: false) }
    /// What the sandbox script leaves behind: `exit` (the step's exit status), `error` (setup failure),
    /// `outputs/<index>` (copies of output parameter files, taken while the overlay was mounted).
    var status: LocalPath { scratch.appendingPathComponent("status", isDirectory: true) }
    var statusExit: LocalPath { status.appendingPathComponent("exit", isDirectory: false) }
    var statusError: LocalPath { status.appendingPathComponent("error", isDirectory: false) }
    var statusStarted: LocalPath { status.appendingPathComponent("started", isDirectory: false) }
    var outputs: LocalPath { status.appendingPathComponent("outputs", isDirectory: true) }
    func output(_ index: Int) -> LocalPath { outputs.appendingPathComponent(String(index), isDirectory: false) }

    /// Artifact staging: `in/<name>` (inputs, bound into the step), `out/<name>/<base name>` (outputs copied out
    /// of the step's view), `errors/<name>` (why a copy failed), `archives/<name>` (archives being stored),
    /// `main.log` (the combined logs for `archiveLogs`).
    var artifacts: LocalPath { dir("artifacts") }
    var artifactsIn: LocalPath { artifacts.appendingPathComponent("in", isDirectory: true) }
    var artifactsOut: LocalPath { artifacts.appendingPathComponent("out", isDirectory: true) }
    var artifactCopyErrors: LocalPath { artifacts.appendingPathComponent("errors", isDirectory: true) }
    var artifactArchives: LocalPath { artifacts.appendingPathComponent("archives", isDirectory: true) }
    var mainLog: LocalPath { artifacts.appendingPathComponent("main.log", isDirectory: false) }
    func artifactIn(_ name: String) -> LocalPath { artifactsIn.appendingPathComponent(name, isDirectory: false) }
    func artifactOut(_ name: String) -> LocalPath { artifactsOut.appendingPathComponent(name, isDirectory: true) }
    func artifactCopyError(_ name: String) -> LocalPath {
        artifactCopyErrors.appendingPathComponent(name, isDirectory: false)
    }
}
