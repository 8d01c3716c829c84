import Foundation
import SwirlArtifacts
import SwirlEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one pod to completion inside the sandbox and describes what happened; the supervisor's real work.
struct PodRunner {
    /// Argo's message for a pod killed at its deadline.
    static let deadlineMessage = "Pod was active on the node longer than the specified deadline"
    static let terminatedMessage = "terminated"
    static let bwrapMissingMessage =
        "bubblewrap (bwrap) is not installed, and the sandbox executor needs it; install it with: apt-get install -y bubblewrap"
    static let stdoutLimit = 256 * 1024
    static let outputLimit = 1024 * 1024

    let layout: SandboxLayout
    let files: PodFiles
    /// How long the step gets between SIGTERM and SIGKILL.
    var terminationGrace: TimeInterval = 5
    var hostPath: String? = Self.processPath
    /// This process's `PATH`, read once (reading the environment copies all of it).
    static let processPath = ProcessInfo.processInfo.environment["PATH"]
    /// Finds the sandbox's tools (bwrap, unshare, mount, setpriv) on the host; tests replace it.
    var findTool: @Sendable (_ name: String, _ path: String?) -> String? = {
        ProcessLauncher.cachedWhich($0, path: $1)
    }
    /// Where input artifacts come from and output artifacts go; nil means the local one under `$SWIRL_HOME/artifacts`.
    var repository: (any ArtifactRepository)?

    private var artifactRepository: any ArtifactRepository {
        repository ?? LocalArtifactRepository(root: layout.artifactsDirectory)
    }

    private enum Stop { case deadline, terminated }

    /// What `prepare(_:doneMarker:)` produced: the sandbox command to run, or the result of a pod that cannot run.
    enum Preparation {
        case ready(command: [String], script: SandboxScript)
        case failed(PodResult)
    }

    /// Checks the tools, resolves volumes, stages input artifacts and writes the sandbox script. With a
    /// `doneMarker`, the script itself records its start and creates the marker when it is done (direct launch).
    /// `freshDirectories`: the pod directory and the scratch directory were made empty just now (nothing to clear).
    func prepare(_ request: PodRequest, doneMarker: LocalPath? = nil, freshDirectories: Bool = false) -> Preparation {
        let startedAt = Date()
        func failure(_ message: String) -> Preparation {
            .failed(PodResult(exitCode: nil, error: message, startedAt: startedAt, finishedAt: Date()))
        }
        guard !request.argv.isEmpty else {
            return failure(
                "the step has no command: the image's default entrypoint is unknown because images are "
                    + "not pulled yet; set the template's command (or args)")
        }
        guard let bwrap = findTool("bwrap", hostPath) else { return failure(Self.bwrapMissingMessage) }
        guard let unshare = findTool("unshare", hostPath),
            let mount = findTool("mount", hostPath)
        else {
            return failure(
                "unshare and mount (util-linux) are needed by the sandbox executor; install them with: "
                    + "apt-get install -y util-linux mount")
        }
        let volumeBindings: [VolumeBinding]
        do {
            volumeBindings = try VolumeResolver(layout: layout, files: files).bindings(for: request)
        } catch {
            return failure("\(error)")
        }
        var artifactBindings: [VolumeBinding] = []
        if !request.inputArtifacts.isEmpty {
            do {
                artifactBindings = try InputArtifacts(
                    files: files, repository: artifactRepository,
                    workingDirectory: SandboxScript.workingDirectory(for: request), volumes: volumeBindings
                ).stage(request.inputArtifacts)
            } catch let error as InputArtifacts.Failure {
                var result = PodResult(exitCode: nil, error: error.message, startedAt: startedAt, finishedAt: Date())
                result.artifactErrors[error.name] = error.reason
                return .failed(result)
            } catch {
                return failure("\(error)")
            }
        }
        let bindings = Self.mountOrder(volumeBindings + artifactBindings)
        var script = SandboxScript(
            files: files, tools: .init(bwrap: bwrap, mount: mount), bindings: bindings, request: request,
            environment: SandboxEnvironment.variables(for: request, hostPath: hostPath))
        script.doneMarker = doneMarker
        do {
            try prepareDirectories(request, bindings: bindings, script: script, fresh: freshDirectories)
        } catch {
            return failure("could not prepare the pod directory \(files.directory.path): \(error)")
        }
        return .ready(
            command: [unshare, "-m", "--propagation", "private", "/bin/sh", files.sandboxScript.path], script: script)
    }

    /// Runs `request` and returns its result (never throws: every failure becomes an Error result).
    func run(_ request: PodRequest) -> PodResult {
        if let http = request.http {
            return HTTPRunner(files: files).run(http, deadline: request.deadlineSeconds)
        }
        let startedAt = Date()
        func failure(_ message: String) -> PodResult {
            PodResult(exitCode: nil, error: message, startedAt: startedAt, finishedAt: Date())
        }
        let script: SandboxScript
        var command: [String]
        switch prepare(request) {
        case .failed(let result): return result
        case .ready(let ready, let readyScript):
            command = ready
            script = readyScript
        }
        if FileIO.exists(files.terminateRequest) { return failure(Self.terminatedMessage) }

        // setpriv --pdeathsig: the sandbox dies with the supervisor instead of running on unobserved.
        if let setpriv = findTool("setpriv", hostPath) {
            command = [setpriv, "--pdeathsig", "KILL"] + command
        }
        let watch = try? DirectoryWatch(directory: files.directory)
        let pid: pid_t
        do {
            pid = try ProcessLauncher.spawn(
                command, environment: ["PATH": hostPath ?? SandboxEnvironment.basePath],
                stdout: .append(files.supervisorLog), stderr: .append(files.supervisorLog), grouping: .newProcessGroup)
        } catch {
            return failure("could not start the sandbox: \(error)")
        }
        try? FileIO.writeAtomically(Data("\(pid)\n".utf8), to: files.sandboxPGID)
        var readiness: ReadinessChecker?
        if request.daemon {
            var target: ReadinessChecker.ExecTarget?
            if case .exec? = request.readinessProbe?.check, let nsenter = findTool("nsenter", hostPath) {
                target = ReadinessChecker.ExecTarget(
                    processGroup: pid,
                    environment: Dictionary(
                        SandboxEnvironment.variables(for: request, hostPath: hostPath), uniquingKeysWith: { $1 }),
                    nsenter: nsenter)
            }
            readiness = ReadinessChecker(probe: request.readinessProbe, sandbox: target)
        }
        readiness?.start(marker: layout.readyMarker(request.podName))
        let (status, stop) = wait(for: pid, deadline: request.deadlineSeconds, watch: watch)
        readiness?.cancel()
        watch?.unwatch()  // the supervisor exits soon: see `DirectoryWatch.unwatch()`
        StepProcesses.killGroup(pid)  // whatever the step left behind
        var result = collect(request, status: status, stop: stop, startedAt: startedAt)
        _ = script
        saveArtifacts(request, into: &result)
        return result
    }

    /// Binds in mount order: outer paths first, so an artifact inside a volume is bound over it; ties keep
    /// their order (volumes before artifacts).
    static func mountOrder(_ bindings: [VolumeBinding]) -> [VolumeBinding] {
        bindings.enumerated().sorted { lhs, rhs in
            let (l, r) = (
                lhs.element.mountPath.split(separator: "/").count, rhs.element.mountPath.split(separator: "/").count
            )
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Stores the output artifacts (when the step ran to an exit code, whatever it was, as Argo does) and the
    /// archived logs (whenever the step started), recording keys and failures in `result`.
    private func saveArtifacts(_ request: PodRequest, into result: inout PodResult) {
        let outputs = OutputArtifacts(files: files, repository: artifactRepository)
        if result.exitCode != nil {
            outputs.save(request.outputArtifacts, into: &result)
        }
        if let key = request.archiveLogsKey {
            outputs.saveLogs(key: key, into: &result)
        }
    }

    /// Creates the directories the sandbox binds and writes the script (and the script template's source).
    private func prepareDirectories(
        _ request: PodRequest, bindings: [VolumeBinding], script: SandboxScript, fresh: Bool
    ) throws {
        if !fresh {
            FileIO.remove(files.status)
            FileIO.remove(files.artifactsOut)
        }
        if !request.outputArtifacts.isEmpty {
            FileIO.remove(files.artifactCopyErrors)
            try FileIO.makeDirectory(files.artifactCopyErrors)
        }
        if !fresh { try ScratchSpace.create(files) }
        for capture in request.outputArtifacts where (try? ArtifactPaths.checkName(capture.name)) != nil {
            try FileIO.makeDirectory(files.artifactOut(capture.name))
        }
        try ScratchSpace.makeSkeleton(files, outputs: !request.outputParameterPaths.isEmpty)
        for binding in bindings where binding.createDirectory {
            try FileIO.makeDirectory(URL(fileURLWithPath: binding.hostPath, isDirectory: true))
        }
        if let source = request.scriptSource {
            try FileIO.makeDirectory(files.scriptDirectory)
            try FileIO.write(Data(source.utf8), to: files.scriptFile)
            chmod(files.scriptFile.path, 0o755)
        }
        try FileIO.write(script.renderBytes(), to: files.sandboxScript)
    }

    /// Waits for the sandbox, enforcing the deadline and honouring a terminate request.
    private func wait(for pid: pid_t, deadline: Double?, watch: DirectoryWatch?) -> (WaitStatus?, Stop?) {
        let exited = ChildExit(pid: pid)
        guard exited.fd >= 0 else { return (exited.waitBlocking(), nil) }
        let deadlineDate = deadline.map { Date().addingTimeInterval(max(0, $0)) }
        var stop: Stop?
        while stop == nil {
            let timeout = deadlineDate.map { max(0, $0.timeIntervalSinceNow) }
            let ready = Poll.readable([exited.fd] + (watch.map { [$0.fd] } ?? []), timeout: timeout)
            if ready.contains(0) { return (exited.status(), nil) }
            if ready.isEmpty, deadlineDate != nil {
                stop = .deadline
            } else if ready.contains(1) {
                _ = watch?.read()
                if FileIO.exists(files.terminateRequest) { stop = .terminated }
            }
        }
        StepProcesses.terminateStep(pgid: pid, excluding: [pid])
        if Poll.readable([exited.fd], timeout: terminationGrace).isEmpty {
            StepProcesses.killGroup(pid)
        }
        _ = Poll.readable([exited.fd], timeout: nil)
        return (exited.status(), stop)
    }

    /// The result of a directly launched pod whose script has finished (its done marker exists), from the files the
    /// script left in its scratch space (`status/started`, `status/exit` or `status/error`, output copies) and its
    /// logs; the scratch space stays for the caller to remove. A killed pod's `status/error` says it was terminated
    /// (see `SandboxExecutor.killDirect`).
    func collectDirect(_ request: PodRequest) -> PodResult {
        let started =
            FileIO.modificationDate(files.statusStarted) ?? FileIO.modificationDate(files.directRequest)
            ?? FileIO.modificationDate(files.request) ?? Date()
        var result = collect(request, status: nil, stop: nil, startedAt: started)
        result.finishedAt =
            FileIO.modificationDate(files.statusExit) ?? FileIO.modificationDate(files.statusError) ?? Date()
        return result
    }

    private func collect(
        _ request: PodRequest, status: WaitStatus?, stop: Stop?, startedAt: Date
    ) -> PodResult {
        var result = PodResult(exitCode: nil, startedAt: startedAt, finishedAt: Date())
        if let data = try? FileIO.readPrefix(of: files.stdoutLog, limit: Self.stdoutLimit) {
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            result.stdout = text
        }
        switch stop {
        case .deadline:
            result.error = Self.deadlineMessage
            return result
        case .terminated:
            result.error = Self.terminatedMessage
            return result
        case nil:
            break
        }
        if let text = FileIO.readTrimmed(files.statusExit), let code = Int32(text) {
            result.exitCode = code
        } else if let text = FileIO.readTrimmed(files.statusError) {
            result.error = text
            return result
        } else {
            let how =
                status.map { $0.exitCode.map { "exit status \($0)" } ?? "signal \($0.signal ?? 0)" } ?? "unknown status"
            let log =
                (try? FileIO.readPrefix(of: files.supervisorLog, limit: 64 * 1024))
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            let detail = log.split(separator: "\n").suffix(3).joined(separator: "; ")
            result.error =
                "the sandbox ended (\(how)) before the step ran"
                + (detail.isEmpty ? "" : ": \(detail)") + " (see \(files.supervisorLog.path))"
            return result
        }
        for (index, name) in request.outputParameterPaths.keys.sorted().enumerated() {
            let path = request.outputParameterPaths[name] ?? ""
            if let data = try? FileIO.readPrefix(of: files.output(index), limit: Self.outputLimit) {
                result.outputParameters[name] = String(decoding: data, as: UTF8.self)
            } else if let reason = FileIO.readTrimmed(files.outputs.appendingPathComponent("\(index).missing")) {
                result.missingOutputs[name] = reason
            } else {
                result.missingOutputs[name] = "could not collect \(path)"
            }
        }
        return result
    }
}

/// Reaps one child on a helper thread and makes its exit visible as a readable pipe, so it can be `poll`ed
/// together with other events.
final class ChildExit: @unchecked Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var raw: Int32?
    private let pid: pid_t

    var fd: Int32 { readEnd }

    init(pid: pid_t) {
        (readEnd, writeEnd) = Pipe.make() ?? (-1, -1)
        self.pid = pid
        guard readEnd >= 0 else { return }
        let thread = Thread { [self] in
            Thread.nameCurrent("swirl-reaper")
            let status = ProcessLauncher.wait(pid)
            lock.withLock { raw = status }
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
        thread.start()
    }

    func status() -> WaitStatus? { lock.withLock { raw.map(WaitStatus.init(raw:)) } }

    /// Without a pipe (out of descriptors) there is no reaper thread: wait here instead.
    func waitBlocking() -> WaitStatus? { ProcessLauncher.wait(pid).map(WaitStatus.init(raw:)) }

    deinit {
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
    }
}
